package io.instahide.job.config;

import io.instahide.core.InstaHideParameters;
import io.instahide.job.InstaHideJob;
import io.instahide.job.encrypt.MixingEngine;
import io.instahide.schemas.PixelFormat;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobConfigTest {

    private static Configuration with(String... keyValues) {
        Configuration configuration = new Configuration();
        configuration.setString("kafka.bootstrap-servers", "localhost:9092");
        for (int i = 0; i < keyValues.length; i += 2) {
            configuration.setString(keyValues[i], keyValues[i + 1]);
        }
        return configuration;
    }

    @Test
    void defaultsAreTheChallengeConfigurationInCrossDatasetMode() {
        JobConfig config = JobConfig.from(with());
        assertThat(config.encryption().parameters())
                .isEqualTo(InstaHideParameters.cross(6, 2, 0.65, 0.3));
        assertThat(config.encryption().encryptionsPerImage()).isEqualTo(1);
        assertThat(config.encryption().engine()).isEqualTo(MixingEngine.JAVA);
        assertThat(config.topics())
                .isEqualTo(
                        new JobConfig.Topics(
                                "raw-images",
                                "public-images",
                                "encrypted-samples",
                                "dead-letters",
                                null));
        assertThat(config.encryption().keyEscrow()).isFalse();
        assertThat(config.kafka().bootstrapServers()).isEqualTo("localhost:9092");
    }

    @Test
    void keyEscrowIsOnOnlyWithItsOwnTopic() {
        JobConfig config = JobConfig.from(with("topic.key-escrow", "audit-keys"));
        assertThat(config.topics().keyEscrow()).isEqualTo("audit-keys");
        assertThat(config.encryption().keyEscrow()).isTrue();
        assertThatThrownBy(() -> JobConfig.from(with("topic.key-escrow", "encrypted-samples")))
                .hasMessageContaining("different topics");
        assertThatThrownBy(() -> JobConfig.from(with("topic.key-escrow", " ")))
                .hasMessageContaining("topic.key-escrow must not be empty");
    }

    @Test
    void insideModeIgnoresDom() {
        JobConfig config = JobConfig.from(with("instahide.k", "4", "instahide.private-slots", "4"));
        assertThat(config.encryption().parameters()).isEqualTo(InstaHideParameters.inside(4, 0.65));
    }

    @Test
    void missingBootstrapServersSaysWhatToGive() {
        assertThatThrownBy(() -> JobConfig.from(new Configuration()))
                .hasMessageContaining("--kafka.bootstrap-servers");
    }

    @Test
    void aTypoInAnOptionIsRejectedNotDefaulted() {
        assertThatThrownBy(() -> JobConfig.from(with("instahide.kk", "4")))
                .hasMessageContaining("Unknown option 'instahide.kk'")
                .hasMessageContaining("instahide.k,");
    }

    @Test
    void invalidValuesNameTheirOption() {
        assertThatThrownBy(() -> JobConfig.from(with("instahide.upper", "0.1")))
                .hasMessageContaining("instahide.k")
                .hasMessageContaining("upper must be in (1/k, 1]");
        assertThatThrownBy(() -> JobConfig.from(with("encrypt.batch-size", "0")))
                .hasMessageContaining("encrypt.batch-size must be at least 1");
        assertThatThrownBy(() -> JobConfig.from(with("instahide.k", "four")))
                .hasMessageContaining("instahide.k");
        assertThatThrownBy(() -> JobConfig.from(with("image.shape", "3x32")))
                .hasMessageContaining("image.shape");
        assertThatThrownBy(() -> JobConfig.from(with("image.shape", "1x28x28")))
                .hasMessageContaining("normalizer.private");
        assertThatThrownBy(() -> JobConfig.from(with("encrypt.engine", "opencl")))
                .hasMessageContaining("encrypt.engine must be java, nd4j or cuda, got 'opencl'");
        assertThatThrownBy(() -> JobConfig.from(with("encrypt.cuda.device", "-1")))
                .hasMessageContaining("encrypt.cuda.device");
        assertThatThrownBy(() -> JobConfig.from(with("topic.dead-letters", "raw-images")))
                .hasMessageContaining("must name different topics");
    }

    @Test
    void theEngineIsChosenByNameWithTheFallbackGpuIndex() {
        assertThat(JobConfig.from(with("encrypt.engine", " ND4J ")).encryption().engine())
                .isEqualTo(new MixingEngine(MixingEngine.Kind.ND4J, 0));
        // Parsing needs no GPU: the device is opened by the operator, on the TaskManager.
        assertThat(
                        JobConfig.from(with("encrypt.engine", "cuda", "encrypt.cuda.device", "3"))
                                .encryption()
                                .engine())
                .isEqualTo(new MixingEngine(MixingEngine.Kind.CUDA, 3));
    }

    @Test
    void thePixelFormatIsFloat32UnlessFloat16IsAsked() {
        assertThat(JobConfig.from(with()).encryption().pixelFormat())
                .isEqualTo(PixelFormat.FLOAT32);
        assertThat(
                        JobConfig.from(with("output.pixel-format", " Float16 "))
                                .encryption()
                                .pixelFormat())
                .isEqualTo(PixelFormat.FLOAT16);
        assertThatThrownBy(() -> JobConfig.from(with("output.pixel-format", "bfloat16")))
                .hasMessageContaining("output.pixel-format must be float32 or float16, got");
    }

    @Test
    void transactionsMustOutliveACheckpointInterval() {
        assertThatThrownBy(
                        () ->
                                JobConfig.from(
                                        with(
                                                "job.checkpoint-interval", "2 min",
                                                "kafka.transaction-timeout", "1 min")))
                .hasMessageContaining("kafka.transaction-timeout")
                .hasMessageContaining("job.checkpoint-interval");
        assertThat(JobConfig.from(with("job.checkpoint-interval", "500 ms")).checkpointInterval())
                .isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void theCheckpointIntervalFallsBackToFlinksOwnSetting() {
        Configuration cluster = new Configuration();
        cluster.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(30));

        // Unset in the job's options: the cluster's execution.checkpointing.interval applies ...
        assertThat(
                        JobConfig.from(InstaHideJob.withFlinkCheckpointInterval(with(), cluster))
                                .checkpointInterval())
                .isEqualTo(Duration.ofSeconds(30));
        // ... and is checked against the transaction timeout like the job's own option.
        assertThatThrownBy(
                        () ->
                                JobConfig.from(
                                        InstaHideJob.withFlinkCheckpointInterval(
                                                with("kafka.transaction-timeout", "20 s"),
                                                cluster)))
                .hasMessageContaining("kafka.transaction-timeout");
        // Given as a job argument, Flink's key works too; the job's own option wins over both.
        assertThat(
                        JobConfig.from(with("execution.checkpointing.interval", "2 s"))
                                .checkpointInterval())
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(
                        JobConfig.from(
                                        InstaHideJob.withFlinkCheckpointInterval(
                                                with("job.checkpoint-interval", "3 s"), cluster))
                                .checkpointInterval())
                .isEqualTo(Duration.ofSeconds(3));
        // Neither set anywhere: the job's default.
        assertThat(
                        JobConfig.from(
                                        InstaHideJob.withFlinkCheckpointInterval(
                                                with(), new Configuration()))
                                .checkpointInterval())
                .isEqualTo(JobOptions.CHECKPOINT_INTERVAL.defaultValue());
    }

    @Test
    void everyStreamingBoundIsCheckedOnceAndNamesItsOption() {
        for (String[] bad :
                new String[][] {
                    {"labels.classes", "-1"},
                    {"instahide.encryptions-per-image", "0"},
                    {"encrypt.batch-size", "0"},
                    {"encrypt.batch-latency", "0 ms"},
                    {"encrypt.reservoir-size", "1"},
                    {"encrypt.max-waiting", "0"},
                    {"encrypt.max-pool-size", "1"},
                }) {
            assertThatThrownBy(
                            () ->
                                    JobConfig.from(
                                            with(
                                                    "instahide.k",
                                                    "4",
                                                    "instahide.private-slots",
                                                    "2",
                                                    bad[0],
                                                    bad[1])))
                    .as(bad[0])
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(bad[0]);
        }
    }

    @Test
    void eachSinkTakesItsOwnProducerPropertiesOverTheCommonOnes() {
        JobConfig config =
                JobConfig.from(
                        with(
                                "kafka.properties.linger.ms", "20",
                                "kafka.encrypted-sink.properties.batch.size", "1048576",
                                "kafka.dead-letter-sink.properties.compression.type", "zstd"));
        assertThat(config.kafka().encryptedSinkProperties())
                .containsEntry("batch.size", "1048576")
                .containsEntry("compression.type", "none")
                .containsEntry("linger.ms", "20");
        assertThat(config.kafka().deadLetterSinkProperties())
                .containsEntry("compression.type", "zstd")
                .containsEntry("linger.ms", "20");
        assertThatThrownBy(
                        () ->
                                JobConfig.from(
                                        with(
                                                "kafka.encrypted-sink.properties.transactional.id",
                                                "x")))
                .hasMessageContaining("kafka.encrypted-sink.properties.transactional.id")
                .hasMessageContaining("set by the job itself");
    }

    @Test
    void kafkaClientPropertiesPassThroughButManagedOnesAreRefused() {
        JobConfig config =
                JobConfig.from(
                        with(
                                "kafka.properties.security.protocol", "SASL_SSL",
                                "kafka.properties.sasl.mechanism", "PLAIN"));
        assertThat(config.kafka().clientProperties())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN"));
        assertThatThrownBy(() -> JobConfig.from(with("kafka.properties.isolation.level", "x")))
                .hasMessageContaining("set by the job itself");
    }

    @Test
    void customNormaliserIsMeansSlashStds() {
        JobConfig config =
                JobConfig.from(
                        with(
                                "image.shape", "1x28x28",
                                "normalizer.private", "0.1307/0.3081",
                                "normalizer.public", "mnist"));
        assertThat(config.encryption().privateNormalizer().mean()).containsExactly(0.1307f);
        assertThat(config.encryption().privateNormalizer().std()).containsExactly(0.3081f);
        assertThatThrownBy(
                        () ->
                                JobConfig.from(
                                        with(
                                                "image.shape", "1x28x28",
                                                "normalizer.private", "0.1/0")))
                .hasMessageContaining("normalizer.private");
    }

    @Test
    void everyOptionIsDocumentedInTheReadme() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        for (ConfigOption<?> option : JobOptions.all()) {
            assertThat(readme).as(option.key()).contains("`" + option.key() + "`");
        }
        assertThat(JobOptions.all()).hasSizeGreaterThan(25);
    }
}
