package io.instahide.audit;

import io.instahide.clients.KafkaClients;
import io.instahide.core.InstaHideParameters;
import io.instahide.core.Normalizer;
import io.instahide.core.U8ImageList;
import io.instahide.core.image.ImageFitting;
import io.instahide.embedded.EmbeddedKafkaBroker;
import io.instahide.job.InstaHideJob;
import io.instahide.job.config.JobConfig;
import io.instahide.schemas.EncryptedSample;
import io.instahide.schemas.EscrowedKey;
import io.instahide.schemas.ImageEncoding;
import io.instahide.schemas.ImageRecord;
import io.instahide.schemas.PublicImage;
import io.instahide.schemas.codec.ImageSourceId;
import io.instahide.schemas.codec.RecordDecodeException;
import io.instahide.schemas.codec.SamplePixels;
import io.instahide.schemas.codec.SingleObjectCodec;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real job on an embedded broker with the research key escrow on: publishes an audit's public
 * pool and private images to their topics, runs {@link InstaHideJob} on a local Flink cluster with
 * the product's defaults (except what the audit sets: scheme, T, shape, normalisers, the output
 * shuffle), and reads {@code encrypted-samples} back as a trainer does ({@code read_committed}),
 * joined with the escrow for scoring.
 */
public final class AuditedJob implements AutoCloseable {

    /** Partitions of the encrypted topic, as a small deployment would have. */
    static final int OUTPUT_PARTITIONS = 4;

    static final int PARALLELISM = 2;
    private static final Duration TIMEOUT = Duration.ofMinutes(15);

    private final EmbeddedKafkaBroker broker;
    private final Path checkpoints;
    private final PrintStream progress;
    private int runs;

    private AuditedJob(EmbeddedKafkaBroker broker, PrintStream progress) {
        this.broker = broker;
        this.checkpoints = broker.directory().resolve("flink-checkpoints");
        this.progress = progress;
    }

    /** Starts the broker (a child JVM) that every {@link #run} uses with topics of its own. */
    public static AuditedJob start(PrintStream progress) {
        progress.println("privacy-audit: starting a Kafka broker for the job-output rows ...");
        return new AuditedJob(EmbeddedKafkaBroker.start(Duration.ofSeconds(90)), progress);
    }

    /**
     * Encrypts every private image of {@code images} T times through the job and returns what the
     * encrypted topic holds.
     *
     * @param shuffle the output shuffle (the product's default); off reproduces the ordered,
     *     sticky-partitioned output of earlier versions
     */
    public JobOutput run(AuditImages images, InstaHideParameters scheme, int t, boolean shuffle)
            throws Exception {
        String run = "audit-" + (++runs);
        String raw = run + "-raw";
        String pool = run + "-public";
        String encrypted = run + "-encrypted";
        String escrow = run + "-key-escrow";
        broker.createTopics(List.of(raw, escrow), PARALLELISM, Map.of());
        broker.createTopics(List.of(encrypted), OUTPUT_PARTITIONS, Map.of());
        broker.createTopics(List.of(run + "-dead-letters"), 1, Map.of());
        broker.createTopics(List.of(pool), 1, Map.of("cleanup.policy", "compact"));
        Map<String, Integer> privateIndex = publish(images, raw, pool);

        Configuration options = new Configuration();
        options.setString("kafka.bootstrap-servers", broker.bootstrapServers());
        options.setString("topic.raw-images", raw);
        options.setString("topic.public-images", pool);
        options.setString("topic.encrypted-samples", encrypted);
        options.setString("topic.dead-letters", run + "-dead-letters");
        options.setString("topic.key-escrow", escrow);
        options.setString("kafka.group-id", run);
        options.setString("kafka.transactional-id-prefix", run);
        options.setString("image.shape", shape(images));
        options.setString("instahide.k", Integer.toString(scheme.k()));
        options.setString("instahide.private-slots", Integer.toString(scheme.privateSlots()));
        options.setString("instahide.encryptions-per-image", Integer.toString(t));
        options.setString("normalizer.private", normalizer(images.privateNormalizer()));
        options.setString("normalizer.public", normalizer(images.poolNormalizer()));
        options.setString("labels.classes", images.privates().label(0) < 0 ? "0" : "10");
        if (!shuffle) {
            options.setString("encrypt.shuffle-window", "0");
        }
        Configuration flink = new Configuration();
        flink.setString("parallelism.default", Integer.toString(PARALLELISM));
        flink.setString("execution.checkpointing.dir", checkpoints.toUri().toString());
        StreamExecutionEnvironment env = InstaHideJob.environment(flink);
        JobClient job = InstaHideJob.start(env, JobConfig.from(options));
        int expected = images.privates().size() * t;
        List<ConsumerRecord<byte[], byte[]>> records;
        try {
            records = awaitCommitted(encrypted, expected);
        } finally {
            job.cancel().get(1, TimeUnit.MINUTES);
        }
        return read(records, escrow, privateIndex, scheme, t);
    }

    /** Publishes the pool, then the private images; returns private index by escrow source id. */
    private Map<String, Integer> publish(AuditImages images, String raw, String pool)
            throws Exception {
        SingleObjectCodec<ImageRecord> records = SingleObjectCodec.imageRecords();
        SingleObjectCodec<PublicImage> publics = SingleObjectCodec.publicImages();
        Map<String, Integer> index = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer =
                KafkaClients.producer(broker.bootstrapServers(), "privacy-audit")) {
            U8ImageList poolImages = images.pool();
            for (int i = 0; i < poolImages.size(); i++) {
                String id = "p" + i;
                PublicImage image =
                        PublicImage.newBuilder()
                                .setId(id)
                                .setWidth(poolImages.shape().width())
                                .setHeight(poolImages.shape().height())
                                .setChannels(poolImages.shape().channels())
                                .setEncoding(ImageEncoding.RAW_U8)
                                .setPixels(ByteBuffer.wrap(hwc(poolImages, i)))
                                .build();
                producer.send(
                        new ProducerRecord<>(
                                pool, id.getBytes(StandardCharsets.UTF_8), publics.encode(image)));
            }
            producer.flush();
            U8ImageList privates = images.privates();
            for (int i = 0; i < privates.size(); i++) {
                ImageRecord record =
                        ImageRecord.newBuilder()
                                .setDeviceId("audit")
                                .setCaptureTime(Instant.now())
                                .setLabel(privates.label(i) < 0 ? null : privates.label(i))
                                .setWidth(privates.shape().width())
                                .setHeight(privates.shape().height())
                                .setChannels(privates.shape().channels())
                                .setEncoding(ImageEncoding.RAW_U8)
                                .setPixels(ByteBuffer.wrap(hwc(privates, i)))
                                .build();
                byte[] value = records.encode(record);
                index.put(ImageSourceId.format(ImageSourceId.of(value)), i);
                producer.send(new ProducerRecord<>(raw, null, value));
            }
            producer.flush();
        }
        if (index.size() != images.privates().size()) {
            throw new IllegalStateException("two private images are identical records");
        }
        return index;
    }

    /**
     * Reads {@code topic} as a trainer does ({@code read_committed}, one consumer, from the start)
     * until {@code expected} records are there; returns them.
     */
    private List<ConsumerRecord<byte[], byte[]>> awaitCommitted(String topic, int expected) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        long lastReport = System.nanoTime();
        try (KafkaConsumer<byte[], byte[]> consumer = readCommitted()) {
            KafkaClients.assignFromStart(consumer, topic);
            while (records.size() < expected) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            String.format(
                                    "The job committed %d of %d samples to %s in %s; see its log",
                                    records.size(), expected, topic, TIMEOUT));
                }
                if (System.nanoTime() - lastReport > 10e9) {
                    progress.printf(
                            Locale.ROOT,
                            "privacy-audit:   job committed %,d of %,d samples%n",
                            records.size(),
                            expected);
                    lastReport = System.nanoTime();
                }
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
    }

    private KafkaConsumer<byte[], byte[]> readCommitted() {
        return KafkaClients.consumer(
                broker.bootstrapServers(), Map.of("isolation.level", "read_committed"));
    }

    private JobOutput read(
            List<ConsumerRecord<byte[], byte[]>> records,
            String escrow,
            Map<String, Integer> privateIndex,
            InstaHideParameters scheme,
            int t)
            throws RecordDecodeException {
        Map<String, EscrowedKey> keys = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = readCommitted()) {
            List<ConsumerRecord<byte[], byte[]>> escrowed = new ArrayList<>();
            KafkaClients.readToEnd(consumer, escrow, escrowed::add);
            for (ConsumerRecord<byte[], byte[]> r : escrowed) {
                EscrowedKey key = SingleObjectCodec.escrowedKeys().decode(r.value());
                keys.put(key.getSampleId(), key);
            }
        }
        records.sort(
                Comparator.<ConsumerRecord<byte[], byte[]>>comparingInt(ConsumerRecord::partition)
                        .thenComparingLong(ConsumerRecord::offset));
        int n = records.size();
        int kPriv = scheme.privateSlots();
        List<float[]> encryptions = new ArrayList<>(n);
        int[] owners = new int[n];
        int[][] privateIds = new int[n][];
        double[][] privateLambdas = new double[n][];
        int[] partitions = new int[n];
        long[] offsets = new long[n];
        long[] timestamps = new long[n];
        for (int j = 0; j < n; j++) {
            ConsumerRecord<byte[], byte[]> r = records.get(j);
            EncryptedSample sample = SingleObjectCodec.encryptedSamples().decode(r.value());
            EscrowedKey key = keys.get(sample.getSampleId());
            if (key == null) {
                throw new IllegalStateException("No escrowed key for " + sample.getSampleId());
            }
            encryptions.add(SamplePixels.decode(sample));
            privateIds[j] = new int[kPriv];
            privateLambdas[j] = new double[kPriv];
            for (int s = 0; s < kPriv; s++) {
                Integer index = privateIndex.get(key.getImageIds().get(s));
                if (index == null) {
                    throw new IllegalStateException(
                            "The escrow names an image the audit did not publish: "
                                    + key.getImageIds().get(s));
                }
                privateIds[j][s] = index;
                privateLambdas[j][s] = key.getLambdas().get(s);
            }
            owners[j] = privateIds[j][0];
            partitions[j] = r.partition();
            offsets[j] = r.offset();
            timestamps[j] = r.timestamp();
        }
        EncryptedSet set =
                new EncryptedSet(scheme, t, encryptions, owners, privateIds, privateLambdas);
        return new JobOutput(set, partitions, offsets, timestamps);
    }

    private static byte[] hwc(U8ImageList images, int i) {
        byte[] chw = new byte[images.shape().size()];
        images.copyStored(i, 1, ByteBuffer.wrap(chw));
        return ImageFitting.chwToHwc(chw, images.shape().channels());
    }

    private static String shape(AuditImages images) {
        return images.shape().channels()
                + "x"
                + images.shape().height()
                + "x"
                + images.shape().width();
    }

    /** The job's custom normaliser syntax, {@code MEAN,...,MEAN/STD,...,STD}. */
    private static String normalizer(Normalizer normalizer) {
        if (normalizer.mean().length == 0) {
            return normalizer.name();
        }
        StringBuilder text = new StringBuilder();
        float[] mean = normalizer.mean();
        float[] std = normalizer.std();
        for (int c = 0; c < mean.length; c++) {
            text.append(c == 0 ? "" : ",").append(mean[c]);
        }
        text.append('/');
        for (int c = 0; c < std.length; c++) {
            text.append(c == 0 ? "" : ",").append(std[c]);
        }
        return text.toString();
    }

    @Override
    public void close() {
        broker.close();
    }
}
