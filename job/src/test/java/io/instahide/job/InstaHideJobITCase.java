package io.instahide.job;

import io.instahide.core.ImageShape;
import io.instahide.core.Normalizer;
import io.instahide.embedded.EmbeddedKafkaBroker;
import io.instahide.schemas.DeadLetter;
import io.instahide.schemas.DeadLetterReason;
import io.instahide.schemas.EncryptedSample;
import io.instahide.schemas.EscrowedKey;
import io.instahide.schemas.ImageEncoding;
import io.instahide.schemas.ImageRecord;
import io.instahide.schemas.PublicImage;
import io.instahide.schemas.codec.ImageSourceId;
import io.instahide.schemas.codec.RegistryCodec;
import io.instahide.schemas.codec.ReleasedSchemas;
import io.instahide.schemas.codec.RestSchemaRegistry;
import io.instahide.schemas.codec.SingleObjectCodec;
import io.instahide.schemas.codec.TestingSchemaRegistry;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole job against a real Kafka broker (child JVM, Kafka's own jars) on a Flink MiniCluster:
 * cold start, bad input, exactly N·T outputs read with read_committed, restore from a savepoint,
 * and exactly-once across a TaskManager failure.
 */
class InstaHideJobITCase {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @RegisterExtension static final MiniClusterExtension FLINK = TestingJobs.miniCluster();

    private static EmbeddedKafkaBroker broker;
    private static TestingKafka kafka;

    @TempDir Path savepoints;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start(Duration.ofSeconds(60));
        kafka = new TestingKafka(broker);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    /** Unique topics and ids for one test. */
    private record Run(String raw, String pool, String encrypted, String deadLetters, String id) {
        static Run create() {
            String id = UUID.randomUUID().toString().substring(0, 8);
            Run run =
                    new Run(
                            "raw-" + id,
                            "pool-" + id,
                            "encrypted-" + id,
                            "dead-" + id,
                            "instahide-it-" + id);
            broker.createTopics(List.of(run.raw, run.encrypted), 2, Map.of());
            broker.createTopics(List.of(run.deadLetters), 1, Map.of());
            broker.createTopics(List.of(run.pool), 1, Map.of("cleanup.policy", "compact"));
            return run;
        }

        Configuration options(String... extra) {
            Configuration c =
                    TestingJobs.options(
                            broker.bootstrapServers(), raw, pool, encrypted, deadLetters, id);
            for (int i = 0; i < extra.length; i += 2) {
                c.setString(extra[i], extra[i + 1]);
            }
            return c;
        }

        long encryptedCount() {
            return kafka.readCommitted(encrypted).size();
        }
    }

    private static JobClient start(Configuration options, String restoreFrom) throws Exception {
        return TestingJobs.start(options, restoreFrom);
    }

    private String stop(JobClient job) throws Exception {
        return job.stopWithSavepoint(
                        false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                .get(1, TimeUnit.MINUTES);
    }

    @Test
    void coldStartBadInputExactlyNTimesTAndRestoreFromASavepoint() throws Exception {
        Run run = Run.create();
        ImageShape shape = new ImageShape(3, 8, 8);
        int n = 120;
        int t = 2;
        Random random = new Random(7);
        SingleObjectCodec<ImageRecord> codec = SingleObjectCodec.imageRecords();
        List<byte[]> raw = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            raw.add(codec.encode(InstaHidePipelineITCase.rawImage(random, i % 10, 8)));
        }
        raw.add("garbage".getBytes());
        byte[] unknownSchema = new byte[20];
        random.nextBytes(unknownSchema);
        unknownSchema[0] = (byte) 0xC3;
        unknownSchema[1] = 0x01;
        raw.add(unknownSchema);
        ImageRecord png = InstaHidePipelineITCase.rawImage(random, 1, 8);
        png.setEncoding(ImageEncoding.PNG);
        raw.add(codec.encode(png));
        raw.add(codec.encode(InstaHidePipelineITCase.rawImage(random, 1, 7)));
        ImageRecord huge = InstaHidePipelineITCase.rawImage(random, 1, 8);
        huge.setWidth(1 << 20);
        huge.setHeight(1 << 20);
        raw.add(codec.encode(huge));
        raw.add(codec.encode(InstaHidePipelineITCase.rawImage(random, 10, 8)));
        kafka.send(run.raw, raw);
        kafka.send(run.pool, "broken", new byte[] {1, 2, 3});

        Configuration options =
                run.options(
                        "image.shape",
                        shape.toString(),
                        "instahide.k",
                        "4",
                        "instahide.private-slots",
                        "2",
                        "instahide.encryptions-per-image",
                        Integer.toString(t));
        JobClient job = start(options, null);

        // Cold start: every raw record was read and checkpointed, but no public image exists,
        // so nothing may come out encrypted (never with fewer partners); bad input is routed.
        TestingKafka.await(
                "raw offsets committed", TIMEOUT, () -> committed(run.id, run.raw) == raw.size());
        TestingKafka.await(
                "7 dead letters", TIMEOUT, () -> kafka.readCommitted(run.deadLetters).size() == 7);
        assertThat(run.encryptedCount()).isZero();

        sendPool(run.pool, new Random(8), 6);
        kafka.send(run.pool, "p0", null); // tombstone: removal
        TestingKafka.await("N*T samples", TIMEOUT, () -> run.encryptedCount() >= (long) n * t);
        String savepoint = stop(job);

        List<ConsumerRecord<byte[], byte[]>> out = kafka.readCommitted(run.encrypted);
        assertThat(out).hasSize(n * t);
        assertSamples(out, shape);
        Map<DeadLetterReason, String> reasons = new HashMap<>();
        Set<String> sent = new HashSet<>();
        raw.forEach(bytes -> sent.add(HexFormat.of().formatHex(bytes)));
        for (ConsumerRecord<byte[], byte[]> r : kafka.readCommitted(run.deadLetters)) {
            DeadLetter letter = SingleObjectCodec.deadLetters().decode(r.value());
            reasons.put(letter.getReason(), letter.getSourceTopic());
            if (letter.getSourceTopic().equals(run.raw)) {
                // Provenance: where the record was, and its bytes exactly as they were sent.
                assertThat(letter.getPartition()).as("partition of %s", letter).isBetween(0, 1);
                assertThat(letter.getOffset()).as("offset of %s", letter).isNotNegative();
                byte[] payload = new byte[letter.getPayload().remaining()];
                letter.getPayload().duplicate().get(payload);
                assertThat(sent).contains(HexFormat.of().formatHex(payload));
            }
        }
        assertThat(reasons)
                .containsOnlyKeys(
                        DeadLetterReason.MALFORMED_AVRO,
                        DeadLetterReason.UNKNOWN_SCHEMA,
                        DeadLetterReason.UNDECODABLE_IMAGE,
                        DeadLetterReason.WRONG_SHAPE,
                        DeadLetterReason.OVERSIZED_IMAGE,
                        DeadLetterReason.INVALID_LABEL);

        // Restore: more images, the job restarted from the savepoint. The pool source resumes at
        // its end offset, so encryption can only use the pool restored from the savepoint.
        int more = 40;
        List<byte[]> next = new ArrayList<>();
        for (int i = 0; i < more; i++) {
            next.add(codec.encode(InstaHidePipelineITCase.rawImage(random, i % 10, 8)));
        }
        kafka.send(run.raw, next);
        JobClient restored = start(options, savepoint);
        TestingKafka.await(
                "samples after restore",
                TIMEOUT,
                () -> run.encryptedCount() >= (long) (n + more) * t);
        stop(restored);
        assertThat(kafka.readCommitted(run.encrypted)).hasSize((n + more) * t);
    }

    /**
     * Devices still on the first release: records written with every released ImageRecord schema
     * (the copies the schemas jar ships, encoded generically as an old producer would) are all
     * encrypted by the running job.
     */
    @Test
    void recordsOfEveryReleasedWriterSchemaAreEncrypted() throws Exception {
        Run run = Run.create();
        Random random = new Random(14);
        List<byte[]> raw = new ArrayList<>();
        for (String release : ReleasedSchemas.RELEASES) {
            Schema writer = ReleasedSchemas.release(release).get("ImageRecord");
            BinaryMessageEncoder<GenericRecord> encoder =
                    new BinaryMessageEncoder<>(GenericData.get(), writer);
            for (int i = 0; i < 20; i++) {
                ImageRecord image = InstaHidePipelineITCase.rawImage(random, i % 10, 8);
                GenericRecord old = new GenericData.Record(writer);
                old.put("deviceId", "camera-" + release);
                old.put("captureTime", image.getCaptureTime().toEpochMilli());
                old.put("label", image.getLabel());
                old.put("width", image.getWidth());
                old.put("height", image.getHeight());
                old.put("channels", image.getChannels());
                old.put(
                        "encoding",
                        new GenericData.EnumSymbol(
                                writer.getField("encoding").schema(), image.getEncoding().name()));
                old.put("pixels", image.getPixels());
                ByteBuffer encoded = encoder.encode(old);
                byte[] value = new byte[encoded.remaining()];
                encoded.get(value);
                raw.add(value);
            }
        }
        kafka.send(run.raw, raw);
        sendPool(run.pool, random, 6);
        JobClient job =
                start(
                        run.options(
                                "image.shape", "3x8x8",
                                "instahide.k", "4",
                                "instahide.private-slots", "2"),
                        null);
        TestingKafka.await(
                raw.size() + " samples", TIMEOUT, () -> run.encryptedCount() >= raw.size());
        stop(job);
        assertThat(kafka.readCommitted(run.encrypted)).hasSize(raw.size());
        assertThat(kafka.readCommitted(run.deadLetters)).isEmpty();
    }

    /**
     * With a schema registry: devices that moved to the Confluent wire format and devices still on
     * single-object encoding are both encrypted, a value with a made-up schema id is a dead letter,
     * and everything the job writes is in the wire format under its topic's subject.
     */
    @Test
    void withASchemaRegistryBothFramingsAreReadAndTheWireFormatIsWritten() throws Exception {
        Run run = Run.create();
        try (TestingSchemaRegistry registry = TestingSchemaRegistry.start()) {
            RestSchemaRegistry client = new RestSchemaRegistry(registry.url(), TIMEOUT);
            RegistryCodec<ImageRecord> devices =
                    new RegistryCodec<>(
                            SingleObjectCodec.imageRecords(),
                            client,
                            RegistryCodec.valueSubject(run.raw));
            RegistryCodec<PublicImage> pool =
                    new RegistryCodec<>(
                            SingleObjectCodec.publicImages(),
                            client,
                            RegistryCodec.valueSubject(run.pool));
            Random random = new Random(31);
            List<byte[]> raw = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                ImageRecord image = InstaHidePipelineITCase.rawImage(random, i % 10, 8);
                raw.add(
                        i < 30
                                ? devices.encode(image)
                                : SingleObjectCodec.imageRecords().encode(image));
            }
            raw.add(new byte[] {0, 0x7F, 0, 0, 1, 2, 3}); // a schema id nobody registered
            kafka.send(run.raw, raw);
            for (int i = 0; i < 6; i++) {
                kafka.send(
                        run.pool,
                        "p" + i,
                        pool.encode(InstaHidePipelineITCase.publicImage(random, "p" + i)));
            }
            JobClient job =
                    start(
                            run.options(
                                    "image.shape", "3x8x8",
                                    "instahide.k", "4",
                                    "instahide.private-slots", "2",
                                    "kafka.schema-registry.url", registry.url()),
                            null);
            TestingKafka.await("40 samples", TIMEOUT, () -> run.encryptedCount() >= 40);
            TestingKafka.await(
                    "1 dead letter",
                    TIMEOUT,
                    () -> kafka.readCommitted(run.deadLetters).size() == 1);
            stop(job);

            RegistryCodec<EncryptedSample> trainers =
                    new RegistryCodec<>(
                            SingleObjectCodec.encryptedSamples(),
                            client,
                            RegistryCodec.valueSubject(run.encrypted));
            List<ConsumerRecord<byte[], byte[]>> out = kafka.readCommitted(run.encrypted);
            assertThat(out).hasSize(40);
            for (ConsumerRecord<byte[], byte[]> record : out) {
                assertThat(record.value()[0]).as("Confluent magic byte").isZero();
                assertThat(trainers.decode(record.value()).getScheme().getK()).isEqualTo(4);
            }
            RegistryCodec<DeadLetter> letters =
                    new RegistryCodec<>(
                            SingleObjectCodec.deadLetters(),
                            client,
                            RegistryCodec.valueSubject(run.deadLetters));
            DeadLetter letter = letters.decode(kafka.readCommitted(run.deadLetters).get(0).value());
            assertThat(letter.getReason()).isEqualTo(DeadLetterReason.UNKNOWN_SCHEMA);
            assertThat(letter.getMessage()).contains("schema id " + 0x7F000001);
            assertThat(registry.registrations)
                    .contains(
                            RegistryCodec.valueSubject(run.encrypted),
                            RegistryCodec.valueSubject(run.deadLetters));
        }
    }

    @Test
    void keyEscrowGoesExactlyOnceToItsOwnTopicAndNamesTheRawRecords() throws Exception {
        Run run = Run.create();
        String escrow = "keys-" + run.id;
        broker.createTopics(List.of(escrow), 2, Map.of());
        Random random = new Random(12);
        SingleObjectCodec<ImageRecord> codec = SingleObjectCodec.imageRecords();
        List<byte[]> raw = new ArrayList<>();
        Set<String> sourceIds = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            byte[] value = codec.encode(InstaHidePipelineITCase.rawImage(random, i % 10, 8));
            raw.add(value);
            sourceIds.add(ImageSourceId.format(ImageSourceId.of(value)));
        }
        kafka.send(run.raw, raw);
        sendPool(run.pool, random, 6);
        JobClient job =
                start(
                        run.options(
                                "image.shape", "3x8x8",
                                "instahide.k", "4",
                                "instahide.private-slots", "2",
                                "topic.key-escrow", escrow),
                        null);
        TestingKafka.await("50 samples", TIMEOUT, () -> run.encryptedCount() >= 50);
        stop(job);

        Set<String> samples = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.readCommitted(run.encrypted)) {
            samples.add(SingleObjectCodec.encryptedSamples().decode(r.value()).getSampleId());
        }
        List<EscrowedKey> keys = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.readCommitted(escrow)) {
            keys.add(SingleObjectCodec.escrowedKeys().decode(r.value()));
        }
        assertThat(samples).hasSize(50);
        assertThat(keys)
                .extracting(EscrowedKey::getSampleId)
                .containsExactlyInAnyOrderElementsOf(samples);
        assertThat(keys)
                .allSatisfy(
                        key -> {
                            assertThat(sourceIds)
                                    .contains(key.getImageIds().get(0), key.getImageIds().get(1));
                            assertThat(key.getImageIds().subList(2, 4))
                                    .allMatch(id -> id.startsWith("public:p"));
                            assertThat(key.getMask().remaining()).isEqualTo(8 * 3); // 192 bits
                        });
        // Every raw record is named as the encrypted image exactly once (T = 1).
        assertThat(keys)
                .extracting(k -> k.getImageIds().get(0))
                .containsExactlyInAnyOrderElementsOf(sourceIds);
    }

    @Test
    void exactlyOnceAcrossATaskManagerFailure(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        // Audit configuration, for this test only: k=1 links each output to its input (|enc| is
        // the normalised image), which production parameters never allow to be read back.
        Run run = Run.create();
        int n = 2_000;
        Normalizer normalizer = Normalizer.symmetric();
        Map<Integer, Integer> byteOfAbs = new HashMap<>();
        for (int u = 128; u < 256; u++) {
            byteOfAbs.put(Float.floatToIntBits(Math.abs(normalizer.normalize(0, u))), u);
        }
        SingleObjectCodec<ImageRecord> codec = SingleObjectCodec.imageRecords();
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] pixels = new byte[16];
            pixels[0] = (byte) (128 + (i & 127));
            pixels[1] = (byte) (128 + (i >> 7));
            for (int p = 2; p < 16; p++) {
                pixels[p] = (byte) (128 + p);
            }
            images.add(codec.encode(image(pixels, i % 10)));
        }
        kafka.send(run.raw, images.subList(0, n / 2));
        Configuration options =
                run.options(
                        "image.shape", "1x4x4",
                        "instahide.k", "1",
                        "instahide.private-slots", "1",
                        "normalizer.private", "symmetric",
                        "normalizer.public", "symmetric",
                        "job.checkpoint-interval", "200 ms");
        JobClient job = start(options, null);
        TestingKafka.await("first outputs", TIMEOUT, () -> run.encryptedCount() >= n / 8);
        cluster.terminateTaskManager(0).get(1, TimeUnit.MINUTES);
        cluster.startTaskManager();
        kafka.send(run.raw, images.subList(n / 2, n));
        TestingKafka.await("all outputs", TIMEOUT, () -> run.encryptedCount() >= n);
        assertThat(
                        cluster.getExecutionGraph(job.getJobID())
                                .get()
                                .getStatusTimestamp(JobStatus.RESTARTING))
                .as("the job failed over")
                .isPositive();
        stop(job);

        List<ConsumerRecord<byte[], byte[]>> out = kafka.readCommitted(run.encrypted);
        assertThat(out).hasSize(n);
        Set<Integer> seen = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : out) {
            float[] pixels = pixels(SingleObjectCodec.encryptedSamples().decode(record.value()));
            int low = byteOfAbs.get(Float.floatToIntBits(Math.abs(pixels[0]))) - 128;
            int high = byteOfAbs.get(Float.floatToIntBits(Math.abs(pixels[1]))) - 128;
            assertThat(seen.add(low + (high << 7))).as("input encrypted twice").isTrue();
        }
        assertThat(seen).hasSize(n);
    }

    /** Public images p0..p{count-1} of the test shape on the pool topic. */
    private static void sendPool(String topic, Random random, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            kafka.send(
                    topic,
                    "p" + i,
                    SingleObjectCodec.publicImages()
                            .encode(InstaHidePipelineITCase.publicImage(random, "p" + i)));
        }
    }

    private static long committed(String group, String topic) {
        try {
            return kafka.committedOffsets(group, topic);
        } catch (Exception e) {
            return -1;
        }
    }

    private static ImageRecord image(byte[] pixels, int label) {
        return ImageRecord.newBuilder()
                .setDeviceId("camera-7")
                .setCaptureTime(Instant.ofEpochMilli(1_700_000_000_000L))
                .setLabel(label)
                .setWidth(4)
                .setHeight(4)
                .setChannels(1)
                .setEncoding(ImageEncoding.RAW_U8)
                .setPixels(ByteBuffer.wrap(pixels))
                .build();
    }

    private static float[] pixels(EncryptedSample sample) {
        float[] pixels = new float[sample.getPixels().remaining() / 4];
        sample.getPixels().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(pixels);
        return pixels;
    }

    private static void assertSamples(List<ConsumerRecord<byte[], byte[]>> out, ImageShape shape)
            throws Exception {
        Set<String> ids = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : out) {
            assertThat(record.key()).as("no key that could link samples").isNull();
            assertThat(record.headers().toArray()).isEmpty();
            EncryptedSample sample = SingleObjectCodec.encryptedSamples().decode(record.value());
            assertThat(ids.add(sample.getSampleId())).isTrue();
            assertThat(List.of(sample.getChannels(), sample.getHeight(), sample.getWidth()))
                    .containsExactly(shape.channels(), shape.height(), shape.width());
            float[] pixels = pixels(sample);
            assertThat(pixels).hasSize(shape.size());
            double sum = 0;
            for (float p : sample.getSoftLabel()) {
                sum += p;
            }
            assertThat(sum).isBetween(0.3 - 1e-6, 1.0 + 1e-6);
            assertThat(sample.getSoftLabel()).hasSize(10);
            assertThat(sample.getScheme().getK()).isEqualTo(4);
            assertThat(sample.getScheme().getPrivateSlots()).isEqualTo(2);
            String text = sample.toString();
            assertThat(text).doesNotContain("camera-").doesNotContain("1700000000000");
        }
    }
}
