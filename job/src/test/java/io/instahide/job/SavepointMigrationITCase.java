package io.instahide.job;

import io.instahide.embedded.EmbeddedKafkaBroker;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A savepoint taken by a released job ({@link ReleasedSavepoint}: raw offsets, one public image,
 * {@value ReleasedSavepoint#WAITING} images waiting for partners) restores into today's job, whose
 * operators may be chained differently: the waiting images are encrypted once the second public
 * image arrives, the restored pool is their partner, and no record the release had read is read
 * again.
 */
class SavepointMigrationITCase {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @RegisterExtension static final MiniClusterExtension FLINK = TestingJobs.miniCluster();

    @TempDir Path work;

    private EmbeddedKafkaBroker broker;

    @BeforeEach
    void startBroker() {
        broker = EmbeddedKafkaBroker.start(Duration.ofSeconds(60));
    }

    @AfterEach
    void stopBroker() {
        broker.close();
    }

    /** Each value is the commit of a release whose savepoint is in the test resources. */
    @ParameterizedTest
    @ValueSource(strings = {"d455722"})
    void theSavepointOfAReleaseRestores(String release) throws Exception {
        TestingKafka kafka = new TestingKafka(broker);
        ReleasedSavepoint.createTopics(broker);
        // The topics as the release left them: p0 read (the pool source resumes after it), the
        // release's private records read. These stand in for them: if today's job read them
        // again, each would be a dead letter.
        kafka.send(ReleasedSavepoint.POOL, "p0", ReleasedSavepoint.publicImage(0));
        kafka.send(
                ReleasedSavepoint.RAW,
                Collections.nCopies(
                        ReleasedSavepoint.WAITING,
                        "read by the release".getBytes(StandardCharsets.UTF_8)));
        int fresh = 20;
        List<byte[]> next = new ArrayList<>(ReleasedSavepoint.privateImages(22, fresh));
        kafka.send(ReleasedSavepoint.RAW, next);

        JobClient job =
                TestingJobs.start(ReleasedSavepoint.options(broker), savepoint(release).toString());
        kafka.send(ReleasedSavepoint.POOL, "p1", ReleasedSavepoint.publicImage(1));
        long expected =
                (long) (ReleasedSavepoint.WAITING + fresh)
                        * ReleasedSavepoint.ENCRYPTIONS_PER_IMAGE;
        TestingKafka.await(
                expected + " samples",
                TIMEOUT,
                () -> kafka.readCommitted(ReleasedSavepoint.ENCRYPTED).size() >= expected);
        job.stopWithSavepoint(
                        false,
                        work.resolve("after").toUri().toString(),
                        SavepointFormatType.CANONICAL)
                .get(1, TimeUnit.MINUTES);

        assertThat(kafka.readCommitted(ReleasedSavepoint.ENCRYPTED))
                .as("the waiting images and the fresh ones, each T times, nothing twice")
                .hasSize((int) expected);
        assertThat(kafka.readCommitted(ReleasedSavepoint.DEAD_LETTERS))
                .as("no record the release had read was read again")
                .isEmpty();
    }

    private Path savepoint(String release) throws Exception {
        Path copy = Files.createDirectories(work.resolve(release));
        try (InputStream metadata =
                getClass().getResourceAsStream("/savepoints/" + release + "/_metadata")) {
            assertThat(metadata).as("savepoint of release %s", release).isNotNull();
            Files.copy(metadata, copy.resolve("_metadata"));
        }
        return copy;
    }
}
