package io.instahide.job;

import io.instahide.embedded.EmbeddedKafkaBroker;
import io.instahide.schemas.EncryptedSample;
import io.instahide.schemas.EscrowedKey;
import io.instahide.schemas.ImageRecord;
import io.instahide.schemas.PublicImage;
import io.instahide.schemas.codec.ImageSourceId;
import io.instahide.schemas.codec.SingleObjectCodec;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a trainer reading {@code encrypted-samples} sees must not group the T encryptions of one
 * image (spec section 2): the whole job on a real broker and MiniCluster, T = 5, scored by the
 * research key escrow, across a TaskManager failure.
 */
class UnlinkableOutputITCase {

    private static final int IMAGES = 600;
    private static final int T = 5;
    private static final int PARTITIONS = 4;
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @RegisterExtension static final MiniClusterExtension FLINK = TestingJobs.miniCluster();

    private static EmbeddedKafkaBroker broker;
    private static TestingKafka kafka;

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

    /** One committed sample as a trainer reads it, with the image the escrow says it encrypts. */
    private record Read(int partition, long offset, long timestamp, String image) {}

    @Test
    void orderAndPartitionsLinkNothingAndEveryImageIsEncryptedExactlyTTimesAcrossAFailure(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String raw = "raw-" + id;
        String pool = "pool-" + id;
        String encrypted = "encrypted-" + id;
        String escrow = "keys-" + id;
        broker.createTopics(List.of(raw), 2, Map.of());
        broker.createTopics(List.of(encrypted), PARTITIONS, Map.of());
        broker.createTopics(List.of("dead-" + id, escrow), 1, Map.of());
        broker.createTopics(List.of(pool), 1, Map.of("cleanup.policy", "compact"));

        Random random = new Random(21);
        for (int i = 0; i < 6; i++) {
            PublicImage image = InstaHidePipelineITCase.publicImage(random, "p" + i);
            kafka.send(pool, "p" + i, SingleObjectCodec.publicImages().encode(image));
        }
        SingleObjectCodec<ImageRecord> codec = SingleObjectCodec.imageRecords();
        List<byte[]> images = new ArrayList<>();
        Set<String> sourceIds = new HashSet<>();
        for (int i = 0; i < IMAGES; i++) {
            byte[] value = codec.encode(InstaHidePipelineITCase.rawImage(random, i % 10, 8));
            images.add(value);
            sourceIds.add(ImageSourceId.format(ImageSourceId.of(value)));
        }
        assertThat(sourceIds).hasSize(IMAGES);

        kafka.send(raw, images.subList(0, IMAGES / 2));
        Configuration options = new Configuration();
        options.setString("kafka.bootstrap-servers", broker.bootstrapServers());
        options.setString("topic.raw-images", raw);
        options.setString("topic.public-images", pool);
        options.setString("topic.encrypted-samples", encrypted);
        options.setString("topic.dead-letters", "dead-" + id);
        options.setString("topic.key-escrow", escrow);
        options.setString("kafka.group-id", "it-" + id);
        options.setString("kafka.transactional-id-prefix", "it-" + id);
        options.setString("kafka.transaction-timeout", "1 min");
        options.setString("image.shape", "3x8x8");
        options.setString("instahide.k", "4");
        options.setString("instahide.private-slots", "2");
        options.setString("instahide.encryptions-per-image", Integer.toString(T));
        // Windows of many images: each half of the input arrives well within one interval.
        options.setString("job.checkpoint-interval", "2 s");
        options.setString("encrypt.batch-latency", "20 ms");
        JobClient job = TestingJobs.start(options, null);

        TestingKafka.await(
                "first outputs", TIMEOUT, () -> kafka.readCommitted(encrypted).size() >= T);
        cluster.terminateTaskManager(0).get(1, TimeUnit.MINUTES);
        cluster.startTaskManager();
        kafka.send(raw, images.subList(IMAGES / 2, IMAGES));
        TestingKafka.await(
                "all outputs", TIMEOUT, () -> kafka.readCommitted(encrypted).size() >= IMAGES * T);
        assertThat(
                        cluster.getExecutionGraph(job.getJobID())
                                .get()
                                .getStatusTimestamp(JobStatus.RESTARTING))
                .as("the job failed over")
                .isPositive();
        job.cancel().get(1, TimeUnit.MINUTES);

        Map<String, String> imageOfSample = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.readCommitted(escrow)) {
            EscrowedKey key = SingleObjectCodec.escrowedKeys().decode(r.value());
            imageOfSample.put(key.getSampleId(), key.getImageIds().get(0));
        }
        List<Read> reads = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.readCommitted(encrypted)) {
            assertThat(r.key()).isNull();
            assertThat(r.headers().toArray()).isEmpty();
            EncryptedSample sample = SingleObjectCodec.encryptedSamples().decode(r.value());
            String image = imageOfSample.get(sample.getSampleId());
            assertThat(image).as("escrowed key of %s", sample.getSampleId()).isNotNull();
            reads.add(new Read(r.partition(), r.offset(), r.timestamp(), image));
        }

        // Exactly once: every image T times, no more, no less, across the failure.
        Map<String, Integer> perImage = new HashMap<>();
        reads.forEach(r -> perImage.merge(r.image(), 1, Integer::sum));
        assertThat(perImage.keySet()).isEqualTo(sourceIds);
        assertThat(perImage.values()).containsOnly(T);

        assertNeighboursAreUnrelated(reads);
        assertPartitionsAreUniformDraws(reads);
    }

    /**
     * Neighbours within a partition. In an order drawn uniformly over windows of at least W = 50
     * images (250 encryptions; each half of the input gives every subtask about 150 per window), a
     * neighbour shares its image with probability at most (T−1)/(W·T−1) = 4/249; the count of such
     * pairs is then below the binomial mean + 5σ. Emitted in batches, as before the shuffle, about
     * 4 in 5 neighbours share their image.
     */
    private static void assertNeighboursAreUnrelated(List<Read> reads) {
        Map<Integer, List<Read>> byPartition = new HashMap<>();
        reads.forEach(
                r -> byPartition.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(r));
        int pairs = 0;
        int sharing = 0;
        for (List<Read> partition : byPartition.values()) {
            partition.sort((a, b) -> Long.compare(a.offset(), b.offset()));
            for (int i = 1; i < partition.size(); i++) {
                pairs++;
                sharing += partition.get(i).image().equals(partition.get(i - 1).image()) ? 1 : 0;
            }
        }
        double p = (T - 1) / (50.0 * T - 1);
        double bound = pairs * p + 5 * Math.sqrt(pairs * p * (1 - p));
        assertThat((double) sharing)
                .as("%d of %d neighbours share their image", sharing, pairs)
                .isLessThanOrEqualTo(bound);
    }

    /**
     * Each encryption's partition is a uniform draw from 4: all T = 5 of one image land in one
     * partition with probability 4/4⁵ = 1/256 (600 images: mean 2.3, bound mean + 5σ ≈ 10; a sticky
     * partitioner puts most images in one), and every partition holds N/4 ± 5σ records.
     */
    private static void assertPartitionsAreUniformDraws(List<Read> reads) {
        Map<String, Set<Integer>> partitionsOfImage = new HashMap<>();
        int[] perPartition = new int[PARTITIONS];
        for (Read r : reads) {
            partitionsOfImage.computeIfAbsent(r.image(), i -> new HashSet<>()).add(r.partition());
            perPartition[r.partition()]++;
        }
        long inOne = partitionsOfImage.values().stream().filter(s -> s.size() == 1).count();
        double mean = IMAGES / 256.0;
        assertThat((double) inOne)
                .as("images with all %d encryptions in one partition", T)
                .isLessThanOrEqualTo(mean + 5 * Math.sqrt(mean));
        int n = reads.size();
        double sigma = Math.sqrt(n * 0.25 * 0.75);
        for (int count : perPartition) {
            assertThat((double) count).isBetween(n / 4.0 - 5 * sigma, n / 4.0 + 5 * sigma);
        }
    }
}
