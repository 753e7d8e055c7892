package io.instahide.demo;

import io.instahide.clients.IdxDataset;
import io.instahide.clients.ImageDataset;
import io.instahide.embedded.EmbeddedKafkaBroker;
import io.instahide.job.config.JobOptions;

import org.apache.flink.configuration.Configuration;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The stream the demo and the throughput harness run: MNIST digits (1x28x28, private) mixed with a
 * Fashion-MNIST public pool, on the job's default topic names.
 */
final class MnistStream {

    static final String RAW = "raw-images";
    static final String PUBLIC = "public-images";
    static final int CLASSES = 10;

    private MnistStream() {}

    /**
     * The job options of this stream, then every argument not in {@code own} (job options such as
     * {@code instahide.k}) on top.
     */
    static Configuration jobOptions(
            Map<String, String> arguments, Set<String> own, String checkpointInterval) {
        if (arguments.containsKey(JobOptions.KEY_ESCROW_TOPIC.key())) {
            throw new IllegalArgumentException(
                    "--"
                            + JobOptions.KEY_ESCROW_TOPIC.key()
                            + ": the demo tools never write a key escrow (whoever reads it can"
                            + " undo the encryptions); run the job itself for a privacy audit");
        }
        Configuration job = new Configuration();
        job.setString("image.shape", "1x28x28");
        job.setString("normalizer.private", "mnist");
        job.setString("normalizer.public", "0.2860/0.3530"); // Fashion-MNIST statistics
        job.setString("job.checkpoint-interval", checkpointInterval);
        arguments.forEach(
                (key, value) -> {
                    if (!own.contains(key)) {
                        job.setString(key, value);
                    }
                });
        return job;
    }

    /** Creates the raw topic and the compacted pool topic, and publishes the Fashion-MNIST pool. */
    static void prepare(EmbeddedKafkaBroker broker, int rawPartitions, IdxDataset pool) {
        prepare(broker, rawPartitions, pool, "fashion-mnist-");
    }

    /** As above for any pool, its images keyed {@code poolPrefix + index}. */
    static void prepare(
            EmbeddedKafkaBroker broker, int rawPartitions, ImageDataset pool, String poolPrefix) {
        broker.createTopics(List.of(RAW), rawPartitions, Map.of());
        broker.createTopics(List.of(PUBLIC), 1, Map.of("cleanup.policy", "compact"));
        PoolPublisher.publish(broker.bootstrapServers(), PUBLIC, pool, poolPrefix);
    }
}
