package io.instahide.job;

import io.instahide.connectors.kafka.InstaHideKafka;
import io.instahide.connectors.kafka.serde.PublicImageUpdate;
import io.instahide.connectors.kafka.serde.Received;
import io.instahide.core.KeyStreamRandom;
import io.instahide.job.config.JobConfig;
import io.instahide.job.config.JobOptions;
import io.instahide.schemas.DeadLetter;
import io.instahide.schemas.EncryptedSample;
import io.instahide.schemas.ImageRecord;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Either;
import org.apache.flink.util.ParameterTool;
import org.apache.flink.util.function.SerializableSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;

/**
 * The InstaHide streaming job: {@code raw-images} and {@code public-images} from Kafka, encrypted
 * samples and dead letters back to Kafka, exactly once. Options: {@link
 * io.instahide.job.config.JobOptions}, given as {@code --key value} arguments.
 */
public final class InstaHideJob {

    public static final String JOB_NAME = "InstaHide encryption";

    /** Stable ids of the Kafka operators (savepoint compatibility). */
    public static final String RAW_SOURCE = "raw-images-source";

    public static final String PUBLIC_SOURCE = "public-images-source";
    public static final String ENCRYPTED_SINK = "encrypted-samples-sink";
    public static final String DEAD_LETTER_SINK = "dead-letters-sink";
    public static final String KEY_ESCROW_SINK = "key-escrow-sink";

    private static final Logger LOG = LoggerFactory.getLogger(InstaHideJob.class);

    private InstaHideJob() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || Arrays.asList(args).contains("--help")) {
            System.out.println(
                    "InstaHide encryption job. Options (--key value):\n\n"
                            + JobOptions.markdownTable());
            return;
        }
        Configuration configuration = ParameterTool.fromArgs(args).getConfiguration();
        StreamExecutionEnvironment env = environment(configuration);
        JobConfig config;
        try {
            config =
                    JobConfig.from(
                            withFlinkCheckpointInterval(configuration, env.getConfiguration()));
        } catch (IllegalArgumentException e) {
            System.err.println("instahide: " + e.getMessage());
            System.exit(2);
            return;
        }
        build(env, config);
        env.execute(JOB_NAME);
    }

    /** An environment with the job's type settings and object reuse (on by default) applied. */
    public static StreamExecutionEnvironment environment(Configuration configuration) {
        Configuration merged = new Configuration(configuration);
        merged.set(PipelineOptions.GENERIC_TYPES, false);
        // Every operator of the job emits fresh records and keeps none it has passed on, so chained
        // operators need no defensive copies: without reuse Flink deep-copies each raw record and
        // each sample between chained operators (JFR at 1x28x28: 7 % of the encrypting thread,
        // 29 % of the validating one). Flink's pipeline.object-reuse=false still turns it off.
        merged.set(
                PipelineOptions.OBJECT_REUSE,
                configuration.getOptional(PipelineOptions.OBJECT_REUSE).orElse(true));
        return StreamExecutionEnvironment.getExecutionEnvironment(merged);
    }

    /**
     * The job's options with the cluster's {@code execution.checkpointing.interval} (Flink's own
     * setting, from its configuration file or {@code -D}) added where the options name neither it
     * nor {@code job.checkpoint-interval}, so that the job's option falls back to it and the
     * transaction timeout is checked against the interval the job will really use.
     */
    public static Configuration withFlinkCheckpointInterval(
            Configuration jobOptions, ReadableConfig flink) {
        Configuration effective = new Configuration(jobOptions);
        if (!jobOptions.containsKey(JobOptions.CHECKPOINT_INTERVAL.key())
                && !jobOptions.containsKey(CheckpointingOptions.CHECKPOINTING_INTERVAL.key())) {
            flink.getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL)
                    .ifPresent(
                            interval ->
                                    effective.set(
                                            CheckpointingOptions.CHECKPOINTING_INTERVAL, interval));
        }
        return effective;
    }

    /** The job's two Kafka inputs, decoded (bad records already as dead letters). */
    public record Inputs(
            DataStream<Either<DeadLetter, Received<ImageRecord>>> rawImages,
            DataStream<Either<DeadLetter, Received<PublicImageUpdate>>> publicImages) {}

    /** Adds the job's sources, pipeline and sinks to {@code env}. */
    public static void build(StreamExecutionEnvironment env, JobConfig config) {
        configureCheckpointing(env, config);
        JobConfig.Topics topics = config.topics();
        Inputs inputs = sources(env, config);
        InstaHidePipeline.Outputs outputs =
                InstaHidePipeline.build(
                        inputs.rawImages(),
                        inputs.publicImages(),
                        config.encryption(),
                        config.decoder(),
                        topics.rawImages());
        sinks(outputs, config);
    }

    /**
     * Exactly-once checkpoints every {@code job.checkpoint-interval} (which falls back to Flink's
     * {@code execution.checkpointing.interval}, see {@link #withFlinkCheckpointInterval}).
     */
    public static void configureCheckpointing(StreamExecutionEnvironment env, JobConfig config) {
        if (env.getConfiguration()
                .getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY)
                .isEmpty()) {
            LOG.warn(
                    "execution.checkpointing.dir is not set: checkpoints are kept in memory (5 MB"
                            + " at most), which a public pool of more than a few thousand images"
                            + " exceeds. Point it at durable storage (README, 'Running against your"
                            + " Kafka and Flink cluster').");
        }
        env.enableCheckpointing(
                config.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
    }

    /** The raw-images and public-images Kafka sources, with their stable uids. */
    public static Inputs sources(StreamExecutionEnvironment env, JobConfig config) {
        InstaHideKafka kafka = new InstaHideKafka(config.kafka());
        JobConfig.Topics topics = config.topics();
        DataStream<Either<DeadLetter, Received<ImageRecord>>> raw =
                env.fromSource(
                                kafka.rawImages(topics.rawImages(), config.groupId()).build(),
                                WatermarkStrategy.noWatermarks(),
                                "Kafka: " + topics.rawImages())
                        .uid(RAW_SOURCE);
        DataStream<Either<DeadLetter, Received<PublicImageUpdate>>> pool =
                env.fromSource(
                                kafka.publicImages(
                                                topics.publicImages(),
                                                config.groupId() + "-public-pool")
                                        .build(),
                                WatermarkStrategy.noWatermarks(),
                                "Kafka: " + topics.publicImages())
                        .uid(PUBLIC_SOURCE);
        return new Inputs(raw, pool);
    }

    /** The exactly-once sink of encrypted samples (secure uniform partitions, see below). */
    public static KafkaSink<EncryptedSample> encryptedSink(JobConfig config) {
        return new InstaHideKafka(config.kafka())
                .encryptedSamples(
                        config.topics().encrypted(),
                        config.transactionalIdPrefix(),
                        config.transactionTimeout(),
                        outputPartitions(config));
    }

    /** Sends the pipeline's outputs to their topics (the escrow only when it is configured). */
    public static void sinks(InstaHidePipeline.Outputs outputs, JobConfig config) {
        InstaHideKafka kafka = new InstaHideKafka(config.kafka());
        JobConfig.Topics topics = config.topics();
        outputs.encrypted()
                .sinkTo(encryptedSink(config))
                .uid(ENCRYPTED_SINK)
                .name("Kafka: " + topics.encrypted());
        outputs.deadLetters()
                .sinkTo(
                        kafka.deadLetters(
                                topics.deadLetters(),
                                config.transactionalIdPrefix() + "-dead-letters",
                                config.transactionTimeout()))
                .uid(DEAD_LETTER_SINK)
                .name("Kafka: " + topics.deadLetters());
        if (topics.keyEscrowEnabled()) {
            LOG.warn(
                    "KEY ESCROW IS ON (topic.key-escrow={}): every encryption's one-time key and"
                            + " the ids of the images it mixed go to that topic. Whoever can read"
                            + " it can undo the encryptions. For privacy audits on research data"
                            + " only; remove the option for real private data.",
                    topics.keyEscrow());
            outputs.keyEscrow()
                    .sinkTo(
                            kafka.keyEscrow(
                                    topics.keyEscrow(),
                                    config.transactionalIdPrefix() + "-key-escrow",
                                    config.transactionTimeout()))
                    .uid(KEY_ESCROW_SINK)
                    .name("Kafka: " + topics.keyEscrow() + " (KEY ESCROW)");
        }
    }

    /**
     * Each encrypted sample goes to a partition drawn by a secure generator, so partitions do not
     * group the encryptions of one image; with the output shuffle off (audits of the ordered output
     * only) the producer's sticky partitioner, as before the shuffle existed.
     */
    public static SerializableSupplier<KeyStreamRandom> outputPartitions(JobConfig config) {
        return config.encryption().shuffleWindowBytes() > 0 ? KeyStreamRandom::fromOsEntropy : null;
    }

    /** Builds and submits without blocking (used by the embedded demo and the harness). */
    public static JobClient start(StreamExecutionEnvironment env, JobConfig config)
            throws Exception {
        build(env, config);
        return env.executeAsync(JOB_NAME);
    }
}
