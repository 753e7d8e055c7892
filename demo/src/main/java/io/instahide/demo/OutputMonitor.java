package io.instahide.demo;

import io.instahide.schemas.DeadLetter;
import io.instahide.schemas.DeadLetterReason;
import io.instahide.schemas.EncryptedSample;
import io.instahide.schemas.codec.RecordDecodeException;
import io.instahide.schemas.codec.SingleObjectCodec;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads the job's outputs as a trainer would ({@code read_committed}: only what the job's
 * checkpoints committed), counts them, and keeps the first few encrypted samples for the summary.
 */
final class OutputMonitor implements Runnable {

    private final String bootstrapServers;
    private final String encryptedTopic;
    private final String deadLetterTopic;
    private final int keep;
    final AtomicLong encrypted = new AtomicLong();
    final AtomicLong deadLetters = new AtomicLong();
    final AtomicLong encryptedBytes = new AtomicLong();

    /** System.nanoTime() when the first and the latest encrypted sample were read; 0: none yet. */
    volatile long firstNanos;

    volatile long lastNanos;

    private volatile boolean timing;
    private long[] visibleMillis = new long[1024];
    private int visibleCount;
    private final Map<DeadLetterReason, Long> reasons =
            Collections.synchronizedMap(new EnumMap<>(DeadLetterReason.class));
    private final List<EncryptedSample> samples = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean stopped;

    OutputMonitor(
            String bootstrapServers, String encryptedTopic, String deadLetterTopic, int keep) {
        this.bootstrapServers = bootstrapServers;
        this.encryptedTopic = encryptedTopic;
        this.deadLetterTopic = deadLetterTopic;
        this.keep = keep;
    }

    @Override
    public void run() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "instahide-monitor-" + encryptedTopic);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        SingleObjectCodec<EncryptedSample> sampleCodec = SingleObjectCodec.encryptedSamples();
        SingleObjectCodec<DeadLetter> letterCodec = SingleObjectCodec.deadLetters();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(encryptedTopic, deadLetterTopic));
            while (!stopped) {
                for (ConsumerRecord<byte[], byte[]> record :
                        consumer.poll(Duration.ofMillis(200))) {
                    if (record.topic().equals(encryptedTopic)) {
                        lastNanos = System.nanoTime();
                        if (firstNanos == 0) {
                            firstNanos = lastNanos;
                        }
                        if (timing) {
                            recordVisibility(System.currentTimeMillis());
                        }
                        encryptedBytes.addAndGet(record.serializedValueSize());
                        encrypted.incrementAndGet();
                        if (samples.size() < keep) {
                            samples.add(sampleCodec.decode(record.value()));
                        }
                    } else {
                        deadLetters.incrementAndGet();
                        reasons.merge(
                                letterCodec.decode(record.value()).getReason(), 1L, Long::sum);
                    }
                }
            }
        } catch (RecordDecodeException e) {
            throw new IllegalStateException("The job wrote a record its own schema rejects", e);
        }
    }

    void stop() {
        stopped = true;
    }

    /** Also keeps, for each encrypted sample, the wall-clock millisecond it became readable. */
    OutputMonitor timingEverySample() {
        timing = true;
        return this;
    }

    private synchronized void recordVisibility(long millis) {
        if (visibleCount == visibleMillis.length) {
            visibleMillis = Arrays.copyOf(visibleMillis, visibleCount * 2);
        }
        visibleMillis[visibleCount++] = millis;
    }

    /**
     * When each encrypted sample became readable, in reading order ({@link #timingEverySample}).
     */
    synchronized long[] visibilityMillis() {
        return Arrays.copyOf(visibleMillis, visibleCount);
    }

    Map<DeadLetterReason, Long> reasons() {
        // Not new EnumMap<>(reasons): from a map that is no EnumMap (this synchronized view) it
        // throws while the map is empty, i.e. before the first dead letter.
        EnumMap<DeadLetterReason, Long> copy = new EnumMap<>(DeadLetterReason.class);
        synchronized (reasons) {
            copy.putAll(reasons);
        }
        return copy;
    }

    List<EncryptedSample> samples() {
        synchronized (samples) {
            return new ArrayList<>(samples);
        }
    }
}
