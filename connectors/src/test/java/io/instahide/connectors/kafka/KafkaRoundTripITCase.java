package io.instahide.connectors.kafka;

import io.instahide.connectors.kafka.serde.PublicImageUpdate;
import io.instahide.connectors.kafka.serde.Received;
import io.instahide.embedded.EmbeddedKafkaBroker;
import io.instahide.schemas.DeadLetter;
import io.instahide.schemas.DeadLetterReason;
import io.instahide.schemas.EncryptedSample;
import io.instahide.schemas.ImageEncoding;
import io.instahide.schemas.ImageRecord;
import io.instahide.schemas.Normalization;
import io.instahide.schemas.PublicImage;
import io.instahide.schemas.SchemeParameters;
import io.instahide.schemas.codec.SingleObjectCodec;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Either;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The connectors against a real Kafka broker and a real Flink MiniCluster. */
class KafkaRoundTripITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start(Duration.ofSeconds(90));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void rawImagesDecodeAndBadBytesBecomeDeadLettersWithProvenance() throws Exception {
        String topic = "raw-" + UUID.randomUUID();
        broker.createTopics(List.of(topic), 1, Map.of());
        byte[] garbage = {1, 2, 3, 4};
        byte[] wrongType =
                SingleObjectCodec.publicImages().encode(publicImage("not-a-private-image"));
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            values.add(SingleObjectCodec.imageRecords().encode(image(i)));
        }
        values.add(2, garbage);
        values.add(4, wrongType);
        produce(topic, values);

        StreamExecutionEnvironment env = environment();
        InstaHideKafka kafka = new InstaHideKafka(settings());
        List<Either<DeadLetter, Received<ImageRecord>>> results = new ArrayList<>();
        try (var iterator =
                env.fromSource(
                                kafka.rawImages(topic, "it-" + UUID.randomUUID())
                                        .setBounded(OffsetsInitializer.latest())
                                        .build(),
                                WatermarkStrategy.noWatermarks(),
                                "raw images")
                        .executeAndCollect()) {
            iterator.forEachRemaining(results::add);
        }

        assertThat(results).hasSize(7);
        assertThat(results.stream().filter(Either::isRight).map(e -> e.right().value.getLabel()))
                .containsExactly(0, 1, 2, 3, 4);
        DeadLetter malformed = results.get(2).left();
        assertThat(malformed.getReason()).isEqualTo(DeadLetterReason.MALFORMED_AVRO);
        assertThat(malformed.getSourceTopic()).isEqualTo(topic);
        assertThat(malformed.getOffset()).isEqualTo(2L);
        assertThat(malformed.getPayload()).isEqualTo(ByteBuffer.wrap(garbage));
        DeadLetter unknown = results.get(4).left();
        assertThat(unknown.getReason()).isEqualTo(DeadLetterReason.UNKNOWN_SCHEMA);
        assertThat(unknown.getOffset()).isEqualTo(4L);
    }

    /** A pool image under another key, or none, could never be removed: it is dead-lettered. */
    @Test
    void aPublicImageWhoseIdIsNotItsKeyIsDeadLettered() throws Exception {
        String topic = "pool-" + UUID.randomUUID();
        broker.createTopics(List.of(topic), 1, Map.of("cleanup.policy", "compact"));
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            producer.send(
                    record(topic, "x", SingleObjectCodec.publicImages().encode(publicImage("y"))));
            producer.send(
                            record(
                                    topic,
                                    "ok",
                                    SingleObjectCodec.publicImages().encode(publicImage("ok"))))
                    .get();
        }

        List<Either<DeadLetter, Received<PublicImageUpdate>>> results = readPool(topic);

        // (A compacted topic refuses records without a key: the broker enforces that case.)
        assertThat(results).hasSize(2);
        assertThat(results.get(0).left().getMessage()).contains("'y'").contains("'x'");
        assertThat(results.get(0).left().getOffset()).isZero();
        assertThat(results.get(1).right().value.id).isEqualTo("ok");
    }

    @Test
    void publicPoolTopicYieldsPutsAndTombstoneRemovals() throws Exception {
        String topic = "pool-" + UUID.randomUUID();
        broker.createTopics(List.of(topic), 1, Map.of("cleanup.policy", "compact"));
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            producer.send(
                    record(topic, "a", SingleObjectCodec.publicImages().encode(publicImage("a"))));
            producer.send(
                    record(topic, "b", SingleObjectCodec.publicImages().encode(publicImage("b"))));
            producer.send(record(topic, "a", null));
            producer.send(record(topic, "c", new byte[] {(byte) 0xC3, 0x01, 5})).get();
        }

        List<Either<DeadLetter, Received<PublicImageUpdate>>> results = readPool(topic);

        assertThat(results).hasSize(4);
        assertThat(results.get(0).right().value.id).isEqualTo("a");
        assertThat(results.get(1).right().value.image.getId()).isEqualTo("b");
        assertThat(results.get(2).right().value).isEqualTo(PublicImageUpdate.removal("a"));
        assertThat(results.get(3).isLeft()).isTrue();
        assertThat(results.get(3).left().getReason()).isEqualTo(DeadLetterReason.MALFORMED_AVRO);
        assertThat(results.get(3).left().getOffset()).isEqualTo(3L);
    }

    @Test
    void encryptedSamplesAreWrittenExactlyOnceAndVisibleToReadCommitted() throws Exception {
        String topic = "encrypted-" + UUID.randomUUID();
        broker.createTopics(List.of(topic), 2, Map.of());
        List<EncryptedSample> samples = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            samples.add(sample(i));
        }

        StreamExecutionEnvironment env = environment();
        env.enableCheckpointing(200);
        env.fromData(samples)
                .sinkTo(
                        new InstaHideKafka(settings())
                                .encryptedSamples(
                                        topic,
                                        "it-" + UUID.randomUUID(),
                                        Duration.ofMinutes(5),
                                        SecureRandom::new));
        env.execute("write encrypted samples");

        List<EncryptedSample> read = new ArrayList<>();
        Properties properties = new Properties();
        properties.put("bootstrap.servers", broker.bootstrapServers());
        properties.put("group.id", "reader-" + UUID.randomUUID());
        properties.put("auto.offset.reset", "earliest");
        properties.put("isolation.level", "read_committed");
        SingleObjectCodec<EncryptedSample> codec = SingleObjectCodec.encryptedSamples();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (read.size() < samples.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record :
                        consumer.poll(Duration.ofMillis(500))) {
                    assertThat(record.key()).isNull();
                    read.add(codec.decode(record.value()));
                }
            }
        }
        assertThat(read).containsExactlyInAnyOrderElementsOf(samples);
    }

    private static StreamExecutionEnvironment environment() {
        Configuration configuration = new Configuration();
        configuration.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(configuration);
        env.setParallelism(1);
        return env;
    }

    private static KafkaSettings settings() {
        return new KafkaSettings(broker.bootstrapServers(), Map.of());
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", broker.bootstrapServers());
        return new KafkaProducer<>(
                properties, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Everything the public-pool source reads from {@code topic} now. */
    private static List<Either<DeadLetter, Received<PublicImageUpdate>>> readPool(String topic)
            throws Exception {
        StreamExecutionEnvironment env = environment();
        List<Either<DeadLetter, Received<PublicImageUpdate>>> results = new ArrayList<>();
        try (var iterator =
                env.fromSource(
                                new InstaHideKafka(settings())
                                        .publicImages(topic, "it-" + UUID.randomUUID())
                                        .setBounded(OffsetsInitializer.latest())
                                        .build(),
                                WatermarkStrategy.noWatermarks(),
                                "public images")
                        .executeAndCollect()) {
            iterator.forEachRemaining(results::add);
        }
        return results;
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String key, byte[] value) {
        return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value);
    }

    private static void produce(String topic, List<byte[]> values) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (byte[] value : values) {
                producer.send(new ProducerRecord<>(topic, value)).get();
            }
        }
    }

    static ImageRecord image(int label) {
        return ImageRecord.newBuilder()
                .setDeviceId("camera-" + label)
                .setCaptureTime(Instant.ofEpochMilli(1_700_000_000_000L + label))
                .setLabel(label)
                .setWidth(2)
                .setHeight(2)
                .setChannels(1)
                .setEncoding(ImageEncoding.RAW_U8)
                .setPixels(ByteBuffer.wrap(new byte[] {1, 2, 3, (byte) label}))
                .build();
    }

    static PublicImage publicImage(String id) {
        return PublicImage.newBuilder()
                .setId(id)
                .setWidth(1)
                .setHeight(1)
                .setChannels(1)
                .setEncoding(ImageEncoding.RAW_U8)
                .setPixels(ByteBuffer.wrap(new byte[] {9}))
                .build();
    }

    static EncryptedSample sample(int i) {
        ByteBuffer pixels =
                ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(0, i);
        return EncryptedSample.newBuilder()
                .setSampleId(new UUID(0, i).toString())
                .setChannels(1)
                .setHeight(1)
                .setWidth(1)
                .setPixels(pixels)
                .setSoftLabel(List.of(0.5f, 0.5f))
                .setScheme(
                        SchemeParameters.newBuilder()
                                .setSchemeVersion("instahide-1")
                                .setK(2)
                                .setPrivateSlots(2)
                                .setUpper(0.65)
                                .setMasked(true)
                                .setNormalization(
                                        Normalization.newBuilder()
                                                .setName("SYMMETRIC")
                                                .setMean(List.of())
                                                .setStd(List.of())
                                                .build())
                                .build())
                .build();
    }
}
