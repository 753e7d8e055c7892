package io.instahide.trainer;

import io.instahide.clients.KafkaClients;
import io.instahide.schemas.EncryptedSample;
import io.instahide.schemas.SchemeParameters;
import io.instahide.schemas.codec.RecordCodec;
import io.instahide.schemas.codec.RecordDecodeException;
import io.instahide.schemas.codec.RegistryCodec;
import io.instahide.schemas.codec.SamplePixels;
import io.instahide.schemas.codec.SingleObjectCodec;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;

/**
 * A DL4J {@link DataSetIterator} over the {@code encrypted-samples} topic: minibatches of [batch,
 * channels, height, width] float32 features with the samples' soft labels.
 *
 * <p>It reads {@code read_committed}, so only what the job's checkpoints committed is trained on. A
 * stream has no end, so an <em>epoch</em> here is a window of {@code samplesPerEpoch} samples:
 * {@link #hasNext()} turns false when the window is full, or when nothing arrived for {@code
 * idleTimeout}, and {@link #reset()} opens the next window where the last one stopped (it does not
 * rewind). The first sample fixes the shape, the class count and the scheme; a later sample that
 * does not match them, has non-finite values, or does not decode is skipped and counted ({@link
 * #skipped()}), never trained on.
 *
 * <p>{@link #commit()} stores, for the consumer group, the position after the last sample handed
 * out: call it after saving the model, and a restarted trainer resumes exactly there. Not
 * thread-safe (one Kafka consumer), so not for DL4J's asynchronous prefetch.
 */
public final class EncryptedSampleIterator implements DataSetIterator, AutoCloseable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(EncryptedSampleIterator.class);

    private final transient KafkaConsumer<byte[], byte[]> consumer;
    private final transient RecordCodec<EncryptedSample> codec;
    private final int batchSize;
    private final long samplesPerEpoch;
    private final Duration idleTimeout;
    private final ArrayDeque<Pending> buffer = new ArrayDeque<>();
    private final Map<TopicPartition, Long> handedOut = new HashMap<>();
    private DataSetPreProcessor preProcessor;
    private SchemeParameters scheme;
    private int[] shape;
    private int classes;
    private long inEpoch;
    private long skipped;

    /** A checked sample, its pixels decoded once. */
    private record Pending(
            TopicPartition partition, long offset, float[] pixels, List<Float> softLabel) {}

    /**
     * @param consumer a consumer already subscribed to (or assigned) the topic; configure it with
     *     {@link #consumerProperties}
     * @param samplesPerEpoch samples per window; {@code Long.MAX_VALUE} for one endless window
     * @param idleTimeout how long {@link #hasNext()} waits for new samples before it ends the
     *     window
     */
    public EncryptedSampleIterator(
            KafkaConsumer<byte[], byte[]> consumer,
            int batchSize,
            long samplesPerEpoch,
            Duration idleTimeout) {
        this(
                consumer,
                batchSize,
                samplesPerEpoch,
                idleTimeout,
                SingleObjectCodec.encryptedSamples());
    }

    /**
     * @param codec how the topic's values are framed: {@link SingleObjectCodec}, or a {@link
     *     RegistryCodec} for the job's output with {@code kafka.schema-registry.url}
     */
    public EncryptedSampleIterator(
            KafkaConsumer<byte[], byte[]> consumer,
            int batchSize,
            long samplesPerEpoch,
            Duration idleTimeout,
            RecordCodec<EncryptedSample> codec) {
        this.codec = codec;
        if (batchSize < 1 || samplesPerEpoch < 1) {
            throw new IllegalArgumentException("batch size and samples per epoch must be >= 1");
        }
        this.consumer = consumer;
        this.batchSize = batchSize;
        this.samplesPerEpoch = samplesPerEpoch;
        this.idleTimeout = idleTimeout;
    }

    /**
     * Subscribes a new consumer of {@code group} to {@code topic}.
     *
     * @param schemaRegistryUrl the job's {@code kafka.schema-registry.url}, to read its Confluent
     *     wire format; null when it writes single-object encoding
     */
    public static EncryptedSampleIterator subscribe(
            String bootstrapServers,
            String topic,
            String group,
            Map<String, String> extraProperties,
            int batchSize,
            long samplesPerEpoch,
            Duration idleTimeout,
            String schemaRegistryUrl) {
        KafkaConsumer<byte[], byte[]> consumer =
                KafkaClients.consumer(
                        bootstrapServers, consumerProperties(group, batchSize, extraProperties));
        consumer.subscribe(List.of(topic));
        return new EncryptedSampleIterator(
                consumer,
                batchSize,
                samplesPerEpoch,
                idleTimeout,
                RegistryCodec.forTopic(
                        SingleObjectCodec.encryptedSamples(), topic, schemaRegistryUrl));
    }

    /**
     * What a trainer's consumer needs: {@code read_committed}, manual commits, the earliest offset
     * for a new group; {@code extra} (security settings) on top.
     */
    public static Map<String, String> consumerProperties(
            String group, int batchSize, Map<String, String> extra) {
        Map<String, String> properties = new TreeMap<>();
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(4 * batchSize));
        properties.putAll(extra);
        return properties;
    }

    @Override
    public boolean hasNext() {
        if (inEpoch >= samplesPerEpoch) {
            return false;
        }
        long wanted = Math.min(batchSize, samplesPerEpoch - inEpoch);
        long deadline = System.nanoTime() + idleTimeout.toNanos();
        while (buffer.size() < wanted && System.nanoTime() < deadline) {
            int before = buffer.size();
            poll(Duration.ofMillis(Math.min(200, Math.max(1, idleTimeout.toMillis()))));
            if (buffer.size() > before) {
                deadline = System.nanoTime() + idleTimeout.toNanos();
            }
        }
        return !buffer.isEmpty();
    }

    @Override
    public DataSet next() {
        return next(batchSize);
    }

    @Override
    public DataSet next(int num) {
        if (!hasNext()) {
            throw new NoSuchElementException(
                    "No samples arrived within " + idleTimeout + " or the epoch window is full");
        }
        int n = (int) Math.min(Math.min(num, buffer.size()), samplesPerEpoch - inEpoch);
        int size = shape[0] * shape[1] * shape[2];
        float[] features = new float[n * size];
        float[] labels = new float[n * classes];
        for (int i = 0; i < n; i++) {
            Pending pending = buffer.poll();
            System.arraycopy(pending.pixels(), 0, features, i * size, size);
            List<Float> label = pending.softLabel();
            for (int c = 0; c < classes; c++) {
                labels[i * classes + c] = label.get(c);
            }
            handedOut.put(pending.partition(), pending.offset() + 1);
        }
        inEpoch += n;
        INDArray x = Nd4j.create(features, new long[] {n, shape[0], shape[1], shape[2]}, 'c');
        INDArray y = Nd4j.create(labels, new long[] {n, classes}, 'c');
        DataSet batch = new DataSet(x, y);
        if (preProcessor != null) {
            preProcessor.preProcess(batch);
        }
        return batch;
    }

    private void poll(Duration timeout) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(timeout)) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            EncryptedSample sample = null;
            float[] pixels = null;
            String problem;
            try {
                sample = codec.decode(record.value());
                problem = problem(sample);
                if (problem == null) {
                    pixels = SamplePixels.decode(sample);
                    problem = allFinite(pixels) ? null : "non-finite pixel values";
                }
            } catch (RecordDecodeException e) {
                problem = "not an EncryptedSample (" + e.getMessage() + ")";
            }
            if (problem == null) {
                buffer.add(new Pending(partition, record.offset(), pixels, sample.getSoftLabel()));
            } else {
                skipped++;
                handedOut.merge(partition, record.offset() + 1, Math::max);
                LOG.warn(
                        "Skipped the record at {} offset {}: {}",
                        partition,
                        record.offset(),
                        problem);
            }
        }
    }

    private static boolean allFinite(float[] values) {
        for (float value : values) {
            if (!Float.isFinite(value)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Why a sample's shape, scheme or label rules it out, or null when they fit (the first sample
     * fixes the stream's shape). Pixel values are checked once decoded.
     */
    private String problem(EncryptedSample sample) {
        int[] sampleShape = {sample.getChannels(), sample.getHeight(), sample.getWidth()};
        int sampleClasses = sample.getSoftLabel().size();
        if (shape == null) {
            shape = sampleShape;
            classes = sampleClasses;
            scheme = sample.getScheme();
        }
        if (!Arrays.equals(shape, sampleShape) || classes != sampleClasses) {
            return String.format(
                    "shape %s with %d classes, but the stream started with %s and %d",
                    Arrays.toString(sampleShape), sampleClasses, Arrays.toString(shape), classes);
        }
        if (!sample.getScheme().getNormalization().equals(scheme.getNormalization())) {
            return "normalisation "
                    + sample.getScheme().getNormalization().getName()
                    + " differs from the stream's "
                    + scheme.getNormalization().getName();
        }
        String pixels = SamplePixels.lengthProblem(sample);
        if (pixels != null) {
            return pixels;
        }
        for (float t : sample.getSoftLabel()) {
            if (!(t >= 0f && t <= 1f)) {
                return "soft label outside [0, 1]";
            }
        }
        return null;
    }

    /** Stores the position after the last sample handed out (and skipped records before it). */
    public void commit() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        handedOut.forEach((p, offset) -> offsets.put(p, new OffsetAndMetadata(offset)));
        consumer.commitSync(offsets);
    }

    /**
     * Blocks until the first sample arrived (or {@code timeout} passed) and returns the stream's
     * scheme, which tells the trainer how to normalise clean test images; null on timeout.
     */
    public SchemeParameters awaitScheme(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (scheme == null && System.nanoTime() < deadline) {
            poll(Duration.ofMillis(200));
        }
        return scheme;
    }

    /** Channels, height, width of the stream, or null before the first sample. */
    public int[] shape() {
        return shape == null ? null : shape.clone();
    }

    public long skipped() {
        return skipped;
    }

    @Override
    public int inputColumns() {
        return shape == null ? -1 : shape[0] * shape[1] * shape[2];
    }

    @Override
    public int totalOutcomes() {
        return shape == null ? -1 : classes;
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    /** Opens the next epoch window; the stream continues where the last window stopped. */
    @Override
    public void reset() {
        inEpoch = 0;
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return null;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
