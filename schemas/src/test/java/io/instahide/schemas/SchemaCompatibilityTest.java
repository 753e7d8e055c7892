package io.instahide.schemas;

import io.instahide.schemas.codec.ReleasedSchemas;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every released schema ({@link ReleasedSchemas}, shipped in the jar) stays fully compatible with
 * the current one: new readers read old records and old readers read new records, so producers, the
 * job and trainers can be upgraded in any order.
 */
class SchemaCompatibilityTest {

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
        for (String release : ReleasedSchemas.RELEASES) {
            Map<String, Schema> released = ReleasedSchemas.release(release);
            for (String name : ReleasedSchemas.FILES) {
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
}
