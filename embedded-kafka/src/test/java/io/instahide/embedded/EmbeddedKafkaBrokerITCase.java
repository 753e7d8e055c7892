package io.instahide.embedded;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedKafkaBrokerITCase {

    @Test
    void brokerRoundTripsRecordsAndStopsCleanly() throws Exception {
        EmbeddedKafkaBroker stopped;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Duration.ofSeconds(90))) {
            stopped = broker;
            assertThat(broker.isRunning()).isTrue();
            broker.createTopics(List.of("greetings"), 2, Map.of());
            try (KafkaProducer<String, String> producer =
                    new KafkaProducer<>(
                            clientProps(broker), new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>("greetings", "k" + i, "hello " + i)).get();
                }
            }
            List<String> seen = new ArrayList<>();
            Properties consumerProps = clientProps(broker);
            consumerProps.put("group.id", "test");
            consumerProps.put("auto.offset.reset", "earliest");
            try (KafkaConsumer<String, String> consumer =
                    new KafkaConsumer<>(
                            consumerProps, new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of("greetings"));
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (seen.size() < 10 && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> record :
                            consumer.poll(Duration.ofMillis(500))) {
                        seen.add(record.value());
                    }
                }
            }
            assertThat(seen).hasSize(10).contains("hello 0", "hello 9");
        }
        assertThat(stopped.isRunning()).isFalse();
        assertThat(stopped.directory()).doesNotExist();
    }

    private static Properties clientProps(EmbeddedKafkaBroker broker) {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", broker.bootstrapServers());
        return properties;
    }
}
