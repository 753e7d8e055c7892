package io.instahide.schemas;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every released schema (copies under {@code avro-history/<version>/}) stays fully compatible with
 * the current one: new readers read old records and old readers read new records, so producers, the
 * job and trainers can be upgraded in any order.
 */
class SchemaCompatibilityTest {

    /** Released versions, oldest first. Add a directory here when a schema change is released. */
    private static final List<String> RELEASES = List.of("v1");

    /** Files in dependency order: named types before the records that use them. */
    private static final List<String> FILES =
            List.of(
                    "ImageEncoding",
                    "DeadLetterReason",
                    "Normalization",
                    "SchemeParameters",
                    "ImageRecord",
                    "PublicImage",
                    "EncryptedSample",
                    "DeadLetter");

    private static final Map<String, Schema> CURRENT =
            Map.of(
                    "ImageEncoding", ImageEncoding.getClassSchema(),
                    "DeadLetterReason", DeadLetterReason.getClassSchema(),
                    "Normalization", Normalization.getClassSchema(),
                    "SchemeParameters", SchemeParameters.getClassSchema(),
                    "ImageRecord", ImageRecord.getClassSchema(),
                    "PublicImage", PublicImage.getClassSchema(),
                    "EncryptedSample", EncryptedSample.getClassSchema(),
                    "DeadLetter", DeadLetter.getClassSchema());

    static Stream<Arguments> releasedSchemas() throws IOException {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (String release : RELEASES) {
            Map<String, Schema> released = parseRelease(release);
            for (String name : FILES) {
                cases.add(Arguments.of(release, name, released.get(name)));
            }
        }
        return cases.build();
    }

    @ParameterizedTest(name = "{1} {0}")
    @MethodSource("releasedSchemas")
    void currentReaderReadsReleasedWriter(String release, String name, Schema released) {
        assertCompatible(CURRENT.get(name), released);
    }

    @ParameterizedTest(name = "{1} {0}")
    @MethodSource("releasedSchemas")
    void releasedReaderReadsCurrentWriter(String release, String name, Schema released) {
        assertCompatible(released, CURRENT.get(name));
    }

    private static void assertCompatible(Schema reader, Schema writer) {
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        assertThat(result.getType())
                .as("%s", result.getResult().getIncompatibilities())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    private static Map<String, Schema> parseRelease(String release) throws IOException {
        Schema.Parser parser = new Schema.Parser();
        Map<String, Schema> schemas = new HashMap<>();
        for (String name : FILES) {
            String path = "/avro-history/" + release + "/" + name + ".avsc";
            try (InputStream in = SchemaCompatibilityTest.class.getResourceAsStream(path)) {
                assertThat(in).as("released schema %s", path).isNotNull();
                schemas.put(name, parser.parse(in));
            }
        }
        return schemas;
    }
}
