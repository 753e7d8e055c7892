package io.instahide.trainer;

import io.instahide.clients.KafkaClients;
import io.instahide.embedded.EmbeddedKafkaBroker;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A real broker for one test class ({@code @RegisterExtension static}), fresh topics, and
 * transactional sends that are committed or aborted.
 */
final class TestingTopics implements BeforeAllCallback, AfterAllCallback {

    private EmbeddedKafkaBroker broker;

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = EmbeddedKafkaBroker.start(Duration.ofSeconds(60));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (broker != null) {
            broker.close();
        }
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** A new single-partition topic. */
    String topic() {
        String topic = "samples-" + UUID.randomUUID();
        broker.createTopics(List.of(topic), 1, Map.of());
        return topic;
    }

    /** Sends {@code values} in one transaction, committed or aborted. */
    void send(String topic, List<byte[]> values, boolean commit) {
        try (KafkaProducer<byte[], byte[]> producer =
                KafkaClients.producer(
                        broker.bootstrapServers(),
                        "test",
                        Map.of("transactional.id", "test-" + UUID.randomUUID()))) {
            producer.initTransactions();
            producer.beginTransaction();
            values.forEach(value -> producer.send(new ProducerRecord<>(topic, value)));
            if (commit) {
                producer.commitTransaction();
            } else {
                producer.abortTransaction();
            }
        }
    }
}
