package io.instahide.job.config;

import io.instahide.connectors.kafka.SinkProducer;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.description.HtmlFormatter;
import org.apache.flink.util.TimeUtils;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every option of the job, in one place. Keys are given as {@code --key value} program arguments or
 * in the Flink configuration; {@link JobConfig#from} validates them together. The README's
 * configuration table lists each one (a test keeps the two in step).
 */
public final class JobOptions {

    private JobOptions() {}

    /** Kafka client properties are passed through under this prefix, e.g. security settings. */
    public static final String KAFKA_PROPERTIES_PREFIX = "kafka.properties.";

    /** Producer properties of the encrypted-samples and key-escrow sinks only. */
    public static final String ENCRYPTED_SINK_PROPERTIES_PREFIX =
            "kafka.encrypted-sink.properties.";

    /** Producer properties of the dead-letter sink only. */
    public static final String DEAD_LETTER_SINK_PROPERTIES_PREFIX =
            "kafka.dead-letter-sink.properties.";

    /** Every prefix under which Kafka client properties pass through. */
    public static final List<String> KAFKA_PREFIXES =
            List.of(
                    KAFKA_PROPERTIES_PREFIX,
                    ENCRYPTED_SINK_PROPERTIES_PREFIX,
                    DEAD_LETTER_SINK_PROPERTIES_PREFIX);

    public static final ConfigOption<String> BOOTSTRAP_SERVERS =
            ConfigOptions.key("kafka.bootstrap-servers")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Kafka brokers, host:port[,host:port...]. Required.");

    public static final ConfigOption<String> SCHEMA_REGISTRY_URL =
            ConfigOptions.key("kafka.schema-registry.url")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "A Confluent-compatible schema registry (Confluent, Apicurio's"
                                    + " /apis/ccompat/v7, Karapace, Redpanda), e.g."
                                    + " http://registry:8081. Set, every topic the job writes is in"
                                    + " the Confluent wire format (magic byte 0, schema id; subject"
                                    + " <topic>-value, registered at the first record) and both"
                                    + " framings are read; unset, Avro single-object encoding"
                                    + " everywhere, no registry needed.");

    public static final ConfigOption<String> GROUP_ID =
            ConfigOptions.key("kafka.group-id")
                    .stringType()
                    .defaultValue("instahide-encryptor")
                    .withDescription(
                            "Consumer group of the raw-images source (offsets are committed on"
                                    + " checkpoints, for monitoring lag).");

    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX =
            ConfigOptions.key("kafka.transactional-id-prefix")
                    .stringType()
                    .defaultValue("instahide-encryptor")
                    .withDescription(
                            "Prefix of the exactly-once sinks' transactional ids; unique per job"
                                    + " on a cluster.");

    public static final ConfigOption<Duration> TRANSACTION_TIMEOUT =
            ConfigOptions.key("kafka.transaction-timeout")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription(
                            "Kafka transaction timeout of the sinks; must exceed the checkpoint"
                                    + " interval and stay at or below the broker's"
                                    + " transaction.max.timeout.ms (15 min by default).");

    public static final ConfigOption<String> RAW_IMAGES_TOPIC =
            ConfigOptions.key("topic.raw-images")
                    .stringType()
                    .defaultValue("raw-images")
                    .withDescription("Private images from devices (ImageRecord).");

    public static final ConfigOption<String> PUBLIC_IMAGES_TOPIC =
            ConfigOptions.key("topic.public-images")
                    .stringType()
                    .defaultValue("public-images")
                    .withDescription(
                            "Public mixing pool (PublicImage keyed by id, compacted; a tombstone"
                                    + " removes an image).");

    public static final ConfigOption<String> ENCRYPTED_SAMPLES_TOPIC =
            ConfigOptions.key("topic.encrypted-samples")
                    .stringType()
                    .defaultValue("encrypted-samples")
                    .withDescription("Encrypted samples for trainers (EncryptedSample).");

    public static final ConfigOption<String> DEAD_LETTERS_TOPIC =
            ConfigOptions.key("topic.dead-letters")
                    .stringType()
                    .defaultValue("dead-letters")
                    .withDescription(
                            "Rejected input with a reason (DeadLetter). Holds raw private bytes:"
                                    + " restrict access like the raw topic.");

    public static final ConfigOption<String> KEY_ESCROW_TOPIC =
            ConfigOptions.key("topic.key-escrow")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "RESEARCH ONLY, off unless set. Writes every encryption's one-time"
                                    + " key (coefficients, mask bits, ids of the mixed images;"
                                    + " EscrowedKey) to this topic so that attacks can be scored"
                                    + " against ground truth (the privacy audit). Whoever can read"
                                    + " it can undo the encryptions: never set it for real"
                                    + " private data.");

    public static final ConfigOption<Integer> K =
            ConfigOptions.key("instahide.k")
                    .intType()
                    .defaultValue(6)
                    .withDescription("Images mixed into each encryption.");

    public static final ConfigOption<Integer> PRIVATE_SLOTS =
            ConfigOptions.key("instahide.private-slots")
                    .intType()
                    .defaultValue(2)
                    .withDescription(
                            "Private images per encryption (the image itself plus partners from"
                                    + " the reservoir); the other k - private-slots come from the"
                                    + " public pool. Equal to k: inside-dataset mode, no pool.");

    public static final ConfigOption<Double> UPPER =
            ConfigOptions.key("instahide.upper")
                    .doubleType()
                    .defaultValue(0.65)
                    .withDescription("Largest allowed coefficient (c1); in (1/k, 1].");

    public static final ConfigOption<Double> DOM =
            ConfigOptions.key("instahide.dom")
                    .doubleType()
                    .defaultValue(0.3)
                    .withDescription(
                            "Smallest total weight of the private slots (c2), cross-dataset mode"
                                    + " only; ignored when private-slots = k.");

    public static final ConfigOption<Integer> ENCRYPTIONS_PER_IMAGE =
            ConfigOptions.key("instahide.encryptions-per-image")
                    .intType()
                    .defaultValue(1)
                    .withDescription(
                            "Independent encryptions (T) of each private image. More make the"
                                    + " known attacks stronger.");

    public static final ConfigOption<String> SHAPE =
            ConfigOptions.key("image.shape")
                    .stringType()
                    .defaultValue("3x32x32")
                    .withDescription(
                            "Channels x height x width of every image in the stream (1 or 3"
                                    + " channels).");

    public static final ConfigOption<Boolean> RESIZE =
            ConfigOptions.key("image.resize")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Resize PNG/JPEG images of another size (shorter side, then centre"
                                    + " crop); off: such images are dead-lettered. RAW_U8 images"
                                    + " must always match the shape.");

    public static final ConfigOption<Integer> MAX_IMAGE_BYTES =
            ConfigOptions.key("image.max-bytes")
                    .intType()
                    .defaultValue(4 << 20)
                    .withDescription("Largest accepted pixel payload in bytes (OVERSIZED_IMAGE).");

    public static final ConfigOption<Long> MAX_IMAGE_PIXELS =
            ConfigOptions.key("image.max-pixels")
                    .longType()
                    .defaultValue(16L << 20)
                    .withDescription(
                            "Largest accepted declared width x height, checked before decoding"
                                    + " (OVERSIZED_IMAGE).");

    public static final ConfigOption<Duration> MAX_DECODE_TIME =
            ConfigOptions.key("image.max-decode-time")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(2))
                    .withDescription(
                            "Longest time one PNG/JPEG may take to decode; a slower one is"
                                    + " aborted and dead-lettered as UNDECODABLE_IMAGE, so a"
                                    + " hostile image cannot stall the job.");

    public static final ConfigOption<String> PRIVATE_NORMALIZER =
            ConfigOptions.key("normalizer.private")
                    .stringType()
                    .defaultValue("cifar")
                    .withDescription(
                            "Per-channel normalisation of private images: cifar, imagenet, mnist,"
                                    + " symmetric, or custom as MEAN,...,MEAN/STD,...,STD.");

    public static final ConfigOption<String> PUBLIC_NORMALIZER =
            ConfigOptions.key("normalizer.public")
                    .stringType()
                    .defaultValue("cifar")
                    .withDescription("Normalisation of public images, same forms.");

    public static final ConfigOption<Integer> CLASSES =
            ConfigOptions.key("labels.classes")
                    .intType()
                    .defaultValue(10)
                    .withDescription(
                            "Labels must be in [0, classes) (INVALID_LABEL otherwise); 0: the"
                                    + " stream is unlabelled and soft labels are empty.");

    public static final ConfigOption<Integer> BATCH_SIZE =
            ConfigOptions.key("encrypt.batch-size")
                    .intType()
                    .defaultValue(64)
                    .withDescription("Images per micro-batch.");

    public static final ConfigOption<Duration> BATCH_LATENCY =
            ConfigOptions.key("encrypt.batch-latency")
                    .durationType()
                    .defaultValue(Duration.ofMillis(50))
                    .withDescription("Longest time an image waits in a partial micro-batch.");

    public static final ConfigOption<Integer> RESERVOIR_SIZE =
            ConfigOptions.key("encrypt.reservoir-size")
                    .intType()
                    .defaultValue(1024)
                    .withDescription(
                            "Recent private images kept in memory per subtask as partners (not"
                                    + " checkpointed).");

    public static final ConfigOption<Integer> MAX_WAITING =
            ConfigOptions.key("encrypt.max-waiting")
                    .intType()
                    .defaultValue(10_000)
                    .withDescription(
                            "Images per subtask that may wait for partners (cold start, pool too"
                                    + " small; checkpointed). Beyond it images go to the dead"
                                    + " letters with reason NO_PARTNERS, never out with fewer"
                                    + " partners.");

    public static final ConfigOption<Integer> MAX_POOL_SIZE =
            ConfigOptions.key("encrypt.max-pool-size")
                    .intType()
                    .defaultValue(50_000)
                    .withDescription(
                            "Public images kept (every subtask holds and checkpoints a uint8"
                                    + " copy); above it a deterministic rank decides which stay.");

    public static final ConfigOption<MemorySize> SHUFFLE_WINDOW =
            ConfigOptions.key("encrypt.shuffle-window")
                    .memoryType()
                    .defaultValue(MemorySize.ofMebiBytes(64))
                    .withDescription(
                            "Bytes of encrypted samples per subtask held back and emitted in a"
                                    + " secure random order (when full, at every checkpoint and at"
                                    + " end of input), so that output order does not group the"
                                    + " encryptions of one image. The images sharing one window"
                                    + " are the anonymity set (metric anonymitySet): at most this"
                                    + " bound, at most one checkpoint interval of input. 0 turns"
                                    + " the shuffle off: for privacy audits only.");

    public static final ConfigOption<String> PIXEL_FORMAT =
            ConfigOptions.key("output.pixel-format")
                    .stringType()
                    .defaultValue("float32")
                    .withDescription(
                            "How encrypted samples hold their values: float32, or float16 (IEEE"
                                    + " half, rounded to nearest even: half the bytes on the"
                                    + " broker and the trainers' network; named in every"
                                    + " sample's scheme.pixelFormat, which the trainers read).");

    public static final ConfigOption<String> ENGINE =
            ConfigOptions.key("encrypt.engine")
                    .stringType()
                    .defaultValue("java")
                    .withDescription(
                            "Mixing kernel: java (fastest on CPU, see the benchmarks), nd4j, or"
                                    + " cuda (NVIDIA GPU through the driver, no toolkit needed;"
                                    + " fails at start without one, never falls back). All give"
                                    + " the same bits.");

    public static final ConfigOption<Integer> CUDA_DEVICE =
            ConfigOptions.key("encrypt.cuda.device")
                    .intType()
                    .defaultValue(0)
                    .withDescription(
                            "GPU index for encrypt.engine=cuda when Flink assigns none; with"
                                    + " external-resource.gpu, subtasks use the TaskManager's"
                                    + " GPUs round-robin instead.");

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
            ConfigOptions.key("job.checkpoint-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withFallbackKeys(CheckpointingOptions.CHECKPOINTING_INTERVAL.key())
                    .withDescription(
                            "Checkpoint interval; encrypted samples become visible to"
                                + " read_committed trainers when a checkpoint completes. Unset,"
                                + " Flink's own execution.checkpointing.interval (the cluster's"
                                + " configuration or --execution.checkpointing.interval) applies,"
                                + " and without it this default.");

    /** All options declared above, for documentation and unknown-key checks. */
    public static List<ConfigOption<?>> all() {
        List<ConfigOption<?>> options = new ArrayList<>();
        for (Field field : JobOptions.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers())
                    && ConfigOption.class.isAssignableFrom(field.getType())) {
                try {
                    options.add((ConfigOption<?>) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return options;
    }

    /** A Markdown table of every option (key, default, description): the README's and --help's. */
    public static String markdownTable() {
        StringBuilder table =
                new StringBuilder("| option | default | meaning |\n| --- | --- | --- |\n");
        for (ConfigOption<?> option : all()) {
            Object value =
                    option.hasDefaultValue()
                            ? option.defaultValue()
                            : option == KEY_ESCROW_TOPIC
                                    ? "(off)"
                                    : option == SCHEMA_REGISTRY_URL ? "(none)" : "(required)";
            if (value instanceof Duration duration) {
                value = TimeUtils.formatWithHighestUnit(duration);
            }
            table.append("| `")
                    .append(option.key())
                    .append("` | ")
                    .append(value)
                    .append(" | ")
                    .append(new HtmlFormatter().format(option.description()))
                    .append(" |\n");
        }
        table.append("| `")
                .append(KAFKA_PROPERTIES_PREFIX)
                .append(
                        "*` | | Any Kafka client property for every consumer and producer, e.g."
                                + " `kafka.properties.security.protocol`. |\n");
        prefixRow(
                table,
                ENCRYPTED_SINK_PROPERTIES_PREFIX,
                SinkProducer.INCOMPRESSIBLE,
                "Producer properties of the encrypted-samples and key-escrow sinks only, over"
                        + " `kafka.properties.*`. Encrypted samples do not compress; the defaults"
                        + " were chosen by `demo/throughput.sh` (docs/performance.md).");
        prefixRow(
                table,
                DEAD_LETTER_SINK_PROPERTIES_PREFIX,
                SinkProducer.COMPRESSIBLE,
                "Producer properties of the dead-letter sink only.");
        return table.toString();
    }

    /** A table row for a pass-through prefix whose defaults are {@code producer}'s. */
    private static void prefixRow(
            StringBuilder table, String prefix, SinkProducer producer, String description) {
        String defaults =
                producer.defaults().entrySet().stream()
                        .sorted(Map.Entry.comparingByKey())
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(", "));
        table.append("| `")
                .append(prefix)
                .append("*` | ")
                .append(defaults)
                .append(" | ")
                .append(description)
                .append(" |\n");
    }
}
