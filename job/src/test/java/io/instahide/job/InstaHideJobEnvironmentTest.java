package io.instahide.job;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InstaHideJobEnvironmentTest {

    @Test
    void chainedOperatorsShareRecordsWithoutCopiesByDefault() {
        StreamExecutionEnvironment env = InstaHideJob.environment(new Configuration());

        assertThat(env.getConfig().isObjectReuseEnabled()).isTrue();
        assertThat(env.getConfiguration().get(PipelineOptions.GENERIC_TYPES)).isFalse();
    }

    @Test
    void flinksOwnOptionStillTurnsObjectReuseOff() {
        Configuration configuration = new Configuration();
        configuration.set(PipelineOptions.OBJECT_REUSE, false);

        StreamExecutionEnvironment env = InstaHideJob.environment(configuration);

        assertThat(env.getConfig().isObjectReuseEnabled()).isFalse();
    }
}
