package io.instahide.schemas;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The encrypted output must not carry anything that links two encryptions of one image (spec
 * section 2): no source, device or capture-time field anywhere in the record tree.
 */
class EncryptedSampleSchemaTest {

    private static final List<String> LINKING_WORDS =
            List.of("device", "source", "capture", "time", "offset", "partition", "key");

    @Test
    void encryptedSampleHasNoLinkingField() {
        List<String> fields = new ArrayList<>();
        collectFieldNames(EncryptedSample.getClassSchema(), "", fields);

        assertThat(fields).contains("sampleId", "pixels", "softLabel", "scheme.k");
        for (String field : fields) {
            String lower = field.toLowerCase(Locale.ROOT);
            assertThat(LINKING_WORDS).noneMatch(lower::contains);
        }
    }

    private static void collectFieldNames(Schema schema, String prefix, List<String> out) {
        if (schema.getType() == Schema.Type.UNION) {
            schema.getTypes().forEach(branch -> collectFieldNames(branch, prefix, out));
            return;
        }
        if (schema.getType() != Schema.Type.RECORD) {
            return;
        }
        for (Schema.Field field : schema.getFields()) {
            String name = prefix + field.name();
            out.add(name);
            collectFieldNames(field.schema(), name + ".", out);
        }
    }
}
