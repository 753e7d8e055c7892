package io.instahide.job.config;

import io.instahide.clients.image.ImageDecoder;
import io.instahide.connectors.kafka.KafkaSettings;
import io.instahide.core.ImageShape;
import io.instahide.core.InstaHideParameters;
import io.instahide.core.Normalizer;
import io.instahide.job.encrypt.EncryptionSettings;
import io.instahide.job.encrypt.MixingEngine;
import io.instahide.schemas.PixelFormat;
import io.instahide.schemas.codec.RestSchemaRegistry;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static io.instahide.job.config.JobOptions.*;

/**
 * The job's validated configuration. {@link #from} reads {@link JobOptions}, rejects unknown keys
 * under the job's prefixes (a typo must not silently fall back to a default) and rejects invalid
 * values and combinations with a message that names the option.
 */
public record JobConfig(
        KafkaSettings kafka,
        Topics topics,
        String groupId,
        String transactionalIdPrefix,
        Duration transactionTimeout,
        Duration checkpointInterval,
        EncryptionSettings encryption,
        ImageDecoder decoder)
        implements Serializable {

    /**
     * The topics of the job.
     *
     * @param keyEscrow the key-escrow topic, or null when key escrow is off (the default)
     */
    public record Topics(
            String rawImages,
            String publicImages,
            String encrypted,
            String deadLetters,
            String keyEscrow)
            implements Serializable {

        public boolean keyEscrowEnabled() {
            return keyEscrow != null;
        }
    }

    private static final List<String> JOB_PREFIXES =
            List.of(
                    "kafka.",
                    "topic.",
                    "instahide.",
                    "image.",
                    "normalizer.",
                    "labels.",
                    "encrypt.",
                    "job.");

    public static JobConfig from(Configuration configuration) {
        rejectUnknownKeys(configuration);
        String bootstrap =
                configuration
                        .getOptional(BOOTSTRAP_SERVERS)
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                "Missing "
                                                        + BOOTSTRAP_SERVERS.key()
                                                        + ": give --"
                                                        + BOOTSTRAP_SERVERS.key()
                                                        + " host:port"));
        KafkaSettings kafka =
                new KafkaSettings(
                        bootstrap,
                        kafkaProperties(configuration, KAFKA_PROPERTIES_PREFIX),
                        kafkaProperties(configuration, ENCRYPTED_SINK_PROPERTIES_PREFIX),
                        kafkaProperties(configuration, DEAD_LETTER_SINK_PROPERTIES_PREFIX),
                        schemaRegistryUrl(configuration));
        Topics topics =
                new Topics(
                        nonBlank(configuration, RAW_IMAGES_TOPIC),
                        nonBlank(configuration, PUBLIC_IMAGES_TOPIC),
                        nonBlank(configuration, ENCRYPTED_SAMPLES_TOPIC),
                        nonBlank(configuration, DEAD_LETTERS_TOPIC),
                        configuration.getOptional(KEY_ESCROW_TOPIC).isPresent()
                                ? nonBlank(configuration, KEY_ESCROW_TOPIC)
                                : null);
        List<String> named =
                new ArrayList<>(
                        List.of(
                                topics.rawImages,
                                topics.publicImages,
                                topics.encrypted,
                                topics.deadLetters));
        if (topics.keyEscrowEnabled()) {
            named.add(topics.keyEscrow);
        }
        if (new HashSet<>(named).size() < named.size()) {
            throw new IllegalArgumentException(
                    "topic.* options must name different topics, got " + topics);
        }
        Duration checkpointInterval = positive(configuration, CHECKPOINT_INTERVAL);
        Duration transactionTimeout = positive(configuration, TRANSACTION_TIMEOUT);
        if (transactionTimeout.compareTo(checkpointInterval) <= 0) {
            throw new IllegalArgumentException(
                    String.format(
                            "%s (%s) must be longer than %s (%s): a transaction stays open for"
                                    + " one checkpoint interval",
                            TRANSACTION_TIMEOUT.key(),
                            transactionTimeout,
                            CHECKPOINT_INTERVAL.key(),
                            checkpointInterval));
        }
        ImageShape shape =
                parse(SHAPE, configuration, () -> ImageShape.parse(configuration.get(SHAPE)));
        EncryptionSettings encryption = encryption(configuration, shape, topics.keyEscrowEnabled());
        int maxImageBytes = atLeast(configuration, MAX_IMAGE_BYTES, 1);
        long maxImagePixels = configuration.get(MAX_IMAGE_PIXELS);
        if (maxImagePixels < (long) shape.height() * shape.width()) {
            throw new IllegalArgumentException(
                    MAX_IMAGE_PIXELS.key() + " is smaller than one image of shape " + shape);
        }
        ImageDecoder decoder =
                parse(
                        SHAPE,
                        configuration,
                        () ->
                                new ImageDecoder(
                                        shape,
                                        configuration.get(RESIZE),
                                        maxImageBytes,
                                        maxImagePixels,
                                        positive(configuration, MAX_DECODE_TIME)));
        return new JobConfig(
                kafka,
                topics,
                nonBlank(configuration, GROUP_ID),
                nonBlank(configuration, TRANSACTIONAL_ID_PREFIX),
                transactionTimeout,
                checkpointInterval,
                encryption,
                decoder);
    }

    private static EncryptionSettings encryption(
            Configuration configuration, ImageShape shape, boolean keyEscrow) {
        int k = configuration.get(K);
        int privateSlots = configuration.get(PRIVATE_SLOTS);
        InstaHideParameters parameters =
                parse(
                        K,
                        configuration,
                        () ->
                                new InstaHideParameters(
                                        k,
                                        privateSlots,
                                        configuration.get(UPPER),
                                        privateSlots == k ? Double.NaN : configuration.get(DOM),
                                        true));
        Normalizer privateNormalizer = normalizer(configuration, PRIVATE_NORMALIZER);
        Normalizer publicNormalizer = normalizer(configuration, PUBLIC_NORMALIZER);
        MixingEngine engine =
                MixingEngine.parse(
                        configuration.get(ENGINE), atLeast(configuration, CUDA_DEVICE, 0));
        return new EncryptionSettings(
                parameters,
                shape,
                privateNormalizer,
                publicNormalizer,
                configuration.get(CLASSES),
                configuration.get(ENCRYPTIONS_PER_IMAGE),
                configuration.get(BATCH_SIZE),
                configuration.get(BATCH_LATENCY),
                configuration.get(RESERVOIR_SIZE),
                configuration.get(MAX_WAITING),
                configuration.get(MAX_POOL_SIZE),
                configuration.get(SHUFFLE_WINDOW).getBytes(),
                engine,
                keyEscrow,
                pixelFormat(configuration));
    }

    private static PixelFormat pixelFormat(Configuration configuration) {
        String value = configuration.get(PIXEL_FORMAT);
        try {
            return PixelFormat.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    PIXEL_FORMAT.key() + " must be float32 or float16, got '" + value + "'", e);
        }
    }

    private static Normalizer normalizer(Configuration configuration, ConfigOption<String> option) {
        return parse(option, configuration, () -> parseNormalizer(configuration.get(option)));
    }

    /** A preset name, or a custom normaliser written {@code MEAN,...,MEAN/STD,...,STD}. */
    static Normalizer parseNormalizer(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return Normalizer.preset(text);
        }
        return Normalizer.custom(
                floats(text.substring(0, slash)), floats(text.substring(slash + 1)));
    }

    private static float[] floats(String csv) {
        String[] parts = csv.split(",");
        float[] values = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = Float.parseFloat(parts[i].trim());
        }
        return values;
    }

    private static Map<String, String> kafkaProperties(Configuration configuration, String prefix) {
        Map<String, String> properties = new TreeMap<>();
        configuration
                .toMap()
                .forEach(
                        (key, value) -> {
                            if (key.startsWith(prefix)) {
                                properties.put(key.substring(prefix.length()), value);
                            }
                        });
        for (String managed :
                List.of(
                        "bootstrap.servers",
                        "group.id",
                        "transactional.id",
                        "transaction.timeout.ms",
                        "isolation.level",
                        "key.serializer",
                        "value.serializer",
                        "key.deserializer",
                        "value.deserializer",
                        "enable.auto.commit")) {
            if (properties.containsKey(managed)) {
                throw new IllegalArgumentException(
                        prefix
                                + managed
                                + " is set by the job itself; use the job's own option (see the"
                                + " README's configuration table) or remove it");
            }
        }
        return properties;
    }

    private static void rejectUnknownKeys(Configuration configuration) {
        Set<String> known =
                JobOptions.all().stream().map(ConfigOption::key).collect(Collectors.toSet());
        for (String key : configuration.keySet()) {
            boolean ours = JOB_PREFIXES.stream().anyMatch(key::startsWith);
            if (ours
                    && !known.contains(key)
                    && KAFKA_PREFIXES.stream().noneMatch(key::startsWith)) {
                throw new IllegalArgumentException(
                        "Unknown option '"
                                + key
                                + "'. Known options: "
                                + known.stream().sorted().collect(Collectors.joining(", "))
                                + "; Kafka client settings go under "
                                + KAFKA_PROPERTIES_PREFIX
                                + "*");
            }
        }
    }

    private static <T> T parse(
            ConfigOption<?> option, Configuration configuration, Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "Invalid " + option.key() + " (or related options): " + e.getMessage(), e);
        }
    }

    /** The registry URL, checked to be http(s) here rather than on the TaskManagers. */
    private static String schemaRegistryUrl(Configuration configuration) {
        String url = configuration.get(SCHEMA_REGISTRY_URL);
        if (url == null || url.isBlank()) {
            return null;
        }
        url = url.trim();
        try {
            RestSchemaRegistry.baseUri(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    SCHEMA_REGISTRY_URL.key() + ": " + e.getMessage(), e);
        }
        return url;
    }

    private static String nonBlank(Configuration configuration, ConfigOption<String> option) {
        String value = configuration.get(option);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(option.key() + " must not be empty");
        }
        return value.trim();
    }

    private static int atLeast(Configuration configuration, ConfigOption<Integer> option, int min) {
        int value = parse(option, configuration, () -> configuration.get(option));
        if (value < min) {
            throw new IllegalArgumentException(
                    option.key() + " must be at least " + min + ", got " + value);
        }
        return value;
    }

    private static Duration positive(Configuration configuration, ConfigOption<Duration> option) {
        Duration value = parse(option, configuration, () -> configuration.get(option));
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(option.key() + " must be positive, got " + value);
        }
        return value;
    }
}
