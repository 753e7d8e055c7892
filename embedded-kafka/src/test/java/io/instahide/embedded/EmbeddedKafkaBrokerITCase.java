package io.instahide.embedded;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

class EmbeddedKafkaBrokerITCase {

    @Test
    void brokerRoundTripsRecordsAndStopsCleanly() throws Exception {
        EmbeddedKafkaBroker stopped;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Duration.ofSeconds(90))) {
            stopped = broker;
            assertThat(broker.isRunning()).isTrue();
            broker.createTopics(List.of("greetings"), 2, Map.of());
            produce(broker, 0, 10);
            assertThat(consumeAll(broker, 10)).hasSize(10).contains("hello 0", "hello 9");
        }
        assertThat(stopped.isRunning()).isFalse();
        assertThat(stopped.directory()).doesNotExist();
    }

    @Test
    void aKilledBrokerRestartsOnItsPortWithItsData() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Duration.ofSeconds(90))) {
            String address = broker.bootstrapServers();
            broker.createTopics(List.of("greetings"), 2, Map.of());
            produce(broker, 0, 10);
            assertThatThrownBy(() -> broker.restart(Duration.ofSeconds(5)))
                    .hasMessageContaining("still running");

            broker.kill();
            assertThat(broker.isRunning()).isFalse();
            assertThat(broker.directory()).isDirectory();
            broker.restart(Duration.ofSeconds(90));

            assertThat(broker.isRunning()).isTrue();
            assertThat(broker.bootstrapServers()).isEqualTo(address);
            produce(broker, 10, 20);
            assertThat(consumeAll(broker, 20))
                    .as("the records from before the crash are still there")
                    .hasSize(20)
                    .contains("hello 0", "hello 9", "hello 10", "hello 19");
        }
    }

    @Test
    void aSecuredBrokerTalksOnlyTlsWithItsScramUsers() throws Exception {
        try (EmbeddedKafkaBroker broker =
                EmbeddedKafkaBroker.startSecured(Duration.ofSeconds(90), List.of("alice"))) {
            BrokerSecurity security = broker.security().orElseThrow();
            assertThat(security.users()).containsExactly("alice");
            broker.createTopics(List.of("greetings"), 2, Map.of());
            Properties alice = clientProps(broker);
            alice.putAll(security.clientProperties("alice"));
            produce(broker, alice, 0, 10);
            assertThat(consumeAll(broker, alice, 10)).hasSize(10);

            Properties wrongPassword = clientProps(broker);
            wrongPassword.putAll(security.clientProperties("alice", "not-her-password"));
            Throwable refused = catchThrowable(() -> produce(broker, wrongPassword, 10, 11));
            assertThat(causes(refused))
                    .as("a wrong password is refused by SCRAM")
                    .anyMatch(SaslAuthenticationException.class::isInstance);

            Properties plaintext = clientProps(broker);
            plaintext.put("max.block.ms", "5000");
            assertThat(causes(catchThrowable(() -> produce(broker, plaintext, 10, 11))))
                    .as("a client without TLS and credentials gets no metadata")
                    .anyMatch(TimeoutException.class::isInstance);
        }
    }

    private static List<Throwable> causes(Throwable thrown) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = thrown; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    private static void produce(EmbeddedKafkaBroker broker, int from, int to) throws Exception {
        produce(broker, clientProps(broker), from, to);
    }

    private static void produce(EmbeddedKafkaBroker broker, Properties client, int from, int to)
            throws Exception {
        Properties properties = new Properties();
        properties.putAll(client);
        properties.put("acks", "all");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer())) {
            for (int i = from; i < to; i++) {
                producer.send(new ProducerRecord<>("greetings", "k" + i, "hello " + i)).get();
            }
        }
    }

    private static List<String> consumeAll(EmbeddedKafkaBroker broker, int expected) {
        return consumeAll(broker, clientProps(broker), expected);
    }

    private static List<String> consumeAll(
            EmbeddedKafkaBroker broker, Properties client, int expected) {
        List<String> seen = new ArrayList<>();
        Properties consumerProps = new Properties();
        consumerProps.putAll(client);
        consumerProps.put("group.id", "test-" + System.nanoTime());
        consumerProps.put("auto.offset.reset", "earliest");
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(
                        consumerProps, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("greetings"));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (seen.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record :
                        consumer.poll(Duration.ofMillis(500))) {
                    seen.add(record.value());
                }
            }
        }
        return seen;
    }

    private static Properties clientProps(EmbeddedKafkaBroker broker) {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", broker.bootstrapServers());
        return properties;
    }
}
