package io.instahide.job;

import io.instahide.job.config.JobConfig;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Starts the job as the ITCases run it: parallelism 2, a bounded restart strategy. */
final class TestingJobs {

    private TestingJobs() {}

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
