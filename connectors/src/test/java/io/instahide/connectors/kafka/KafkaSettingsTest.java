package io.instahide.connectors.kafka;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaSettingsTest {

    @Test
    void sinksStartFromTheirProfileThenTheCommonThenTheirOwnProperties() {
        KafkaSettings defaults = new KafkaSettings("b:9092", Map.of("security.protocol", "SSL"));
        Properties encrypted = defaults.encryptedSinkProperties();
        assertThat(encrypted)
                .containsEntry("compression.type", "none")
                .containsEntry("batch.size", "262144")
                .containsEntry("security.protocol", "SSL");
        assertThat(defaults.deadLetterSinkProperties())
                .containsEntry("compression.type", "lz4")
                .containsEntry("security.protocol", "SSL")
                .doesNotContainKey("batch.size");
        assertThat(defaults.clientProperties())
                .as("consumers get no producer defaults")
                .doesNotContainKey("compression.type");

        KafkaSettings tuned =
                new KafkaSettings(
                        "b:9092",
                        Map.of("compression.type", "zstd", "linger.ms", "50"),
                        Map.of("batch.size", "1048576", "linger.ms", "10"),
                        Map.of("compression.type", "gzip"),
                        null);
        assertThat(tuned.encryptedSinkProperties())
                .containsEntry("compression.type", "zstd")
                .containsEntry("batch.size", "1048576")
                .containsEntry("linger.ms", "10");
        assertThat(tuned.deadLetterSinkProperties())
                .containsEntry("compression.type", "gzip")
                .containsEntry("linger.ms", "50");
    }
}
