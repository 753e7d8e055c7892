package io.instahide.job;

import io.instahide.embedded.EmbeddedKafkaBroker;
import io.instahide.schemas.ImageRecord;
import io.instahide.schemas.codec.SingleObjectCodec;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The scenario of the savepoints in {@code src/test/resources/savepoints/}, each taken by a
 * released job so that {@link SavepointMigrationITCase} can restore it into today's: one public
 * image of the two the settings need, {@link #WAITING} private images read and checkpointed, none
 * of them encryptable yet, so the savepoint holds raw offsets, a pool and a full waiting set.
 *
 * <p>To add the savepoint of a release, run {@link #main} at that release's commit, with the
 * directory to write as its argument, and add the release to {@link SavepointMigrationITCase}.
 */
final class ReleasedSavepoint {

    static final String RAW = "released-raw";
    static final String POOL = "released-pool";
    static final String ENCRYPTED = "released-encrypted";
    static final String DEAD_LETTERS = "released-dead-letters";
    static final String GROUP = "released";

    /** Private images waiting in the savepoint (one raw partition: offset {@value}). */
    static final int WAITING = 60;

    static final int ENCRYPTIONS_PER_IMAGE = 2;

    private ReleasedSavepoint() {}

    static void createTopics(EmbeddedKafkaBroker broker) {
        broker.createTopics(List.of(RAW, DEAD_LETTERS), 1, Map.of());
        broker.createTopics(List.of(ENCRYPTED), 2, Map.of());
        broker.createTopics(List.of(POOL), 1, Map.of("cleanup.policy", "compact"));
    }

    static Configuration options(EmbeddedKafkaBroker broker) {
        Configuration c =
                TestingJobs.options(
                        broker.bootstrapServers(), RAW, POOL, ENCRYPTED, DEAD_LETTERS, GROUP);
        c.setString("image.shape", "3x8x8");
        c.setString("instahide.k", "4");
        c.setString("instahide.private-slots", "2");
        c.setString("instahide.encryptions-per-image", Integer.toString(ENCRYPTIONS_PER_IMAGE));
        return c;
    }

    /** Public image {@code p<index>} of the scenario's shape, the same bytes every time. */
    static byte[] publicImage(int index) {
        return SingleObjectCodec.publicImages()
                .encode(InstaHidePipelineITCase.publicImage(new Random(40 + index), "p" + index));
    }

    static List<byte[]> privateImages(long seed, int count) {
        Random random = new Random(seed);
        SingleObjectCodec<ImageRecord> codec = SingleObjectCodec.imageRecords();
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            images.add(codec.encode(InstaHidePipelineITCase.rawImage(random, i % 10, 8)));
        }
        return images;
    }

    /** Takes the scenario's savepoint with this checkout's job and copies it to {@code args[0]}. */
    public static void main(String[] args) throws Exception {
        Path target = Path.of(args[0]);
        Path work = Files.createTempDirectory("released-savepoint");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Duration.ofSeconds(60))) {
            TestingKafka kafka = new TestingKafka(broker);
            createTopics(broker);
            kafka.send(POOL, "p0", publicImage(0));
            kafka.send(RAW, privateImages(21, WAITING));
            JobClient job = TestingJobs.start(options(broker), null);
            TestingKafka.await(
                    "raw offsets committed",
                    Duration.ofMinutes(2),
                    () -> committed(kafka) == WAITING);
            if (!kafka.readCommitted(ENCRYPTED).isEmpty()
                    || !kafka.readCommitted(DEAD_LETTERS).isEmpty()) {
                throw new IllegalStateException("the scenario must leave every image waiting");
            }
            String savepoint =
                    job.stopWithSavepoint(
                                    false, work.toUri().toString(), SavepointFormatType.CANONICAL)
                            .get(1, TimeUnit.MINUTES);
            copy(Path.of(java.net.URI.create(savepoint)), target);
            System.out.println("Savepoint written to " + target);
        }
        System.exit(0);
    }

    private static long committed(TestingKafka kafka) {
        try {
            return kafka.committedOffsets(GROUP, RAW);
        } catch (Exception e) {
            return -1;
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.copy(
                        file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
