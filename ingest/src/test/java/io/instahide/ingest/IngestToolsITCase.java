package io.instahide.ingest;

import io.instahide.clients.KafkaClients;
import io.instahide.clients.PoolTopic;
import io.instahide.embedded.EmbeddedKafkaBroker;
import io.instahide.schemas.ImageEncoding;
import io.instahide.schemas.ImageRecord;
import io.instahide.schemas.PublicImage;
import io.instahide.schemas.codec.RecordCodec;
import io.instahide.schemas.codec.RegistryCodec;
import io.instahide.schemas.codec.SingleObjectCodec;
import io.instahide.schemas.codec.TestingSchemaRegistry;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The device-side tools against a real broker. */
class IngestToolsITCase {

    private static EmbeddedKafkaBroker broker;

    @TempDir Path files;

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.start(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private static void png(Path file, int width, int height, long seed) throws Exception {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(image, "png", file.toFile());
    }

    private static int run(boolean pool, String... args) {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        return pool
                ? BuildPublicPool.run(args, quiet, quiet)
                : PublishImages.run(args, quiet, quiet);
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(String topic) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                KafkaClients.consumer(broker.bootstrapServers(), Map.of())) {
            KafkaClients.readToEnd(consumer, topic, records::add);
        }
        return records;
    }

    @Test
    void publishesAFolderTreeWithFolderLabelsAndReportsTheUnreadableFile() throws Exception {
        String topic = "raw-" + UUID.randomUUID();
        broker.createTopics(List.of(topic), 1, Map.of());
        for (int i = 0; i < 3; i++) {
            png(files.resolve("cat").resolve(i + ".png"), 40, 30, i);
            png(files.resolve("dog").resolve(i + ".png"), 30, 40, 10 + i);
        }
        Files.write(files.resolve("dog").resolve("broken.png"), new byte[] {1, 2, 3});

        int exit =
                run(
                        false,
                        "--kafka.bootstrap-servers",
                        broker.bootstrapServers(),
                        "--dir",
                        files.toString(),
                        "--topic",
                        topic,
                        "--shape",
                        "3x8x8",
                        "--device-id",
                        "camera-9");

        assertThat(exit)
                .as("exit code says something was skipped")
                .isEqualTo(PublishImages.SKIPPED);
        List<ConsumerRecord<byte[], byte[]>> records = read(topic);
        assertThat(records).hasSize(6);
        Map<Integer, Integer> perLabel = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            assertThat(new String(record.key())).isEqualTo("camera-9");
            ImageRecord image = SingleObjectCodec.imageRecords().decode(record.value());
            assertThat(image.getEncoding()).isEqualTo(ImageEncoding.RAW_U8);
            assertThat(List.of(image.getChannels(), image.getHeight(), image.getWidth()))
                    .containsExactly(3, 8, 8);
            assertThat(image.getPixels().remaining()).isEqualTo(3 * 8 * 8);
            perLabel.merge(image.getLabel(), 1, Integer::sum);
        }
        assertThat(perLabel).containsExactlyInAnyOrderEntriesOf(Map.of(0, 3, 1, 3));
    }

    /** With --schema-registry both tools write the Confluent wire format the job reads. */
    @Test
    void withASchemaRegistryBothToolsWriteTheWireFormat() throws Exception {
        String raw = "raw-" + UUID.randomUUID();
        String poolTopic = "pool-" + UUID.randomUUID();
        broker.createTopics(List.of(raw), 1, Map.of());
        broker.createTopics(List.of(poolTopic), 1, Map.of("cleanup.policy", "compact"));
        png(files.resolve("registry").resolve("7").resolve("a.png"), 40, 30, 4);
        try (TestingSchemaRegistry registry = TestingSchemaRegistry.start()) {
            String[] common = {
                "--kafka.bootstrap-servers",
                broker.bootstrapServers(),
                "--shape",
                "3x8x8",
                "--schema-registry",
                registry.url()
            };
            assertThat(
                            run(
                                    false,
                                    concat(
                                            common,
                                            "--dir",
                                            files.resolve("registry").toString(),
                                            "--topic",
                                            raw)))
                    .isZero();
            assertThat(
                            run(
                                    true,
                                    concat(
                                            common,
                                            "--photos",
                                            files.resolve("registry").resolve("7").toString(),
                                            "--patches-per-photo",
                                            "2",
                                            "--topic",
                                            poolTopic)))
                    .isZero();

            RecordCodec<ImageRecord> images =
                    RegistryCodec.forTopic(SingleObjectCodec.imageRecords(), raw, registry.url());
            List<ConsumerRecord<byte[], byte[]>> published = read(raw);
            assertThat(published).hasSize(1);
            assertThat(published.get(0).value()[0]).as("Confluent magic byte").isZero();
            assertThat(images.decode(published.get(0).value()).getLabel()).isEqualTo(7);
            RecordCodec<PublicImage> pool =
                    RegistryCodec.forTopic(
                            SingleObjectCodec.publicImages(), poolTopic, registry.url());
            List<ConsumerRecord<byte[], byte[]>> patches = read(poolTopic);
            assertThat(patches).isNotEmpty();
            for (ConsumerRecord<byte[], byte[]> patch : patches) {
                assertThat(pool.decode(patch.value()).getId()).isEqualTo(new String(patch.key()));
            }
            assertThat(registry.registrations)
                    .contains(
                            RegistryCodec.valueSubject(raw), RegistryCodec.valueSubject(poolTopic));
        }
    }

    @Test
    void buildsReplacesAndPrunesThePublicPool() throws Exception {
        String topic = "pool-" + UUID.randomUUID();
        broker.createTopics(List.of(topic), 1, Map.of("cleanup.policy", "compact"));
        png(files.resolve("first").resolve("a.png"), 64, 48, 1);
        png(files.resolve("first").resolve("b.png"), 64, 48, 2);
        png(files.resolve("second").resolve("c.png"), 64, 48, 3);
        String[] common = {
            "--kafka.bootstrap-servers",
            broker.bootstrapServers(),
            "--topic",
            topic,
            "--shape",
            "3x8x8",
            "--patches-per-photo",
            "5"
        };

        assertThat(run(true, concat(common, "--photos", files.resolve("first").toString())))
                .isZero();
        PoolTopic pool = new PoolTopic(broker.bootstrapServers(), topic, Map.of());
        Set<String> first = pool.liveIds();
        assertThat(first).hasSize(10).allSatisfy(id -> assertThat(id).startsWith("pool-"));
        // Re-running adds nothing new: ids are content hashes.
        assertThat(run(true, concat(common, "--photos", files.resolve("first").toString())))
                .isZero();
        assertThat(pool.liveIds()).isEqualTo(first);

        assertThat(
                        run(
                                true,
                                concat(
                                        common,
                                        "--photos",
                                        files.resolve("second").toString(),
                                        "--replace")))
                .isZero();
        Set<String> second = pool.liveIds();
        assertThat(second).hasSize(5).doesNotContainAnyElementsOf(first);

        String gone = second.iterator().next();
        assertThat(run(true, concat(common, "--remove", gone))).isZero();
        assertThat(pool.liveIds()).hasSize(4).doesNotContain(gone);
        pool.close();
    }

    @Test
    void watchesADirectoryAndPublishesFilesAsTheyAppear() throws Exception {
        String topic = "watch-" + UUID.randomUUID();
        broker.createTopics(List.of(topic), 1, Map.of());
        Path inbox = Files.createDirectories(files.resolve("inbox"));
        int[] exit = new int[1];
        Thread watcher =
                new Thread(
                        () ->
                                exit[0] =
                                        run(
                                                false,
                                                "--kafka.bootstrap-servers",
                                                broker.bootstrapServers(),
                                                "--watch",
                                                inbox.toString(),
                                                "--label",
                                                "4",
                                                "--limit",
                                                "2",
                                                "--topic",
                                                topic,
                                                "--shape",
                                                "1x8x8"));
        watcher.start();
        // Files written elsewhere and moved in, as a camera's uploader would, until two are seen.
        int written = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (watcher.isAlive() && System.nanoTime() < deadline) {
            Path staged = files.resolve("staged-" + written + ".png");
            png(staged, 16, 16, written);
            Files.move(staged, inbox.resolve("frame-" + written++ + ".png"));
            watcher.join(500); // the watcher ends by itself after --limit images
        }
        assertThat(watcher.isAlive()).as("watcher stopped after --limit").isFalse();
        assertThat(exit[0]).isZero();
        List<ConsumerRecord<byte[], byte[]>> records = read(topic);
        assertThat(records).hasSize(2);
        for (ConsumerRecord<byte[], byte[]> record : records) {
            ImageRecord image = SingleObjectCodec.imageRecords().decode(record.value());
            assertThat(image.getLabel()).isEqualTo(4);
            assertThat(image.getChannels()).isEqualTo(1);
        }
    }

    @Test
    void badUsageIsExitCodeTwoWithAMessage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit =
                PublishImages.run(
                        new String[] {"--kafka.bootstrap-servers", "x:1", "--dirr", "."},
                        new PrintStream(new ByteArrayOutputStream()),
                        new PrintStream(err));
        assertThat(exit).isEqualTo(PublishImages.USAGE);
        assertThat(err.toString()).contains("Unknown option --dirr").contains("--dir");
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
