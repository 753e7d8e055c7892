package io.instahide.job;

import io.instahide.job.config.JobConfig;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** Starts the job as the ITCases run it: parallelism 2, a bounded restart strategy. */
final class TestingJobs {

    private TestingJobs() {}

    /**
     * The options every ITCase's job runs with: its broker, topics and ids ({@code id} names the
     * consumer group and the transactional ids), 300 ms checkpoints, 20 ms batches.
     */
    static Configuration options(
            String bootstrapServers,
            String raw,
            String pool,
            String encrypted,
            String deadLetters,
            String id) {
        Configuration c = new Configuration();
        c.setString("kafka.bootstrap-servers", bootstrapServers);
        c.setString("topic.raw-images", raw);
        c.setString("topic.public-images", pool);
        c.setString("topic.encrypted-samples", encrypted);
        c.setString("topic.dead-letters", deadLetters);
        c.setString("kafka.group-id", id);
        c.setString("kafka.transactional-id-prefix", id);
        c.setString("kafka.transaction-timeout", "1 min");
        c.setString("job.checkpoint-interval", "300 ms");
        c.setString("encrypt.batch-latency", "20 ms");
        return c;
    }

    /** The ITCases' Flink: one TaskManager with two slots, for parallelism 2. */
    static MiniClusterExtension miniCluster() {
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setNumberTaskManagers(1)
                        .setNumberSlotsPerTaskManager(2)
                        .build());
    }

    /**
     * Submits {@link InstaHideJob} with {@code options} to the MiniCluster of the calling test.
     *
     * @param restoreFrom a savepoint to start from, or null
     */
    static JobClient start(Configuration options, String restoreFrom) throws Exception {
        Configuration flink = new Configuration();
        flink.setString("restart-strategy.type", "fixed-delay");
        flink.setString("restart-strategy.fixed-delay.attempts", "5");
        flink.setString("restart-strategy.fixed-delay.delay", "200 ms");
        flink.setString("parallelism.default", "2");
        if (restoreFrom != null) {
            flink.setString("execution.state-recovery.path", restoreFrom);
        }
        StreamExecutionEnvironment env = InstaHideJob.environment(flink);
        env.setParallelism(2);
        return InstaHideJob.start(env, JobConfig.from(options));
    }
}
