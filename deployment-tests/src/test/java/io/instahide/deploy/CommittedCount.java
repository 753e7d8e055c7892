package io.instahide.deploy;

import io.instahide.clients.KafkaClients;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the records of a topic that a read_committed consumer (a trainer) sees, as they arrive,
 * without keeping them: progress for fault tests on topics too large to re-read every time. Rides
 * through broker outages as any consumer does (it keeps polling).
 */
final class CommittedCount implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final AtomicLong count = new AtomicLong();
    private final Thread thread;
    private volatile boolean stopped;

    CommittedCount(String bootstrapServers, String topic) {
        this.consumer =
                KafkaClients.consumer(
                        bootstrapServers, Map.of("isolation.level", "read_committed"));
        KafkaClients.assignFromStart(consumer, topic);
        this.thread = new Thread(this::poll, "committed-count-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    private void poll() {
        try {
            while (!stopped) {
                count.addAndGet(consumer.poll(Duration.ofMillis(200)).count());
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    long count() {
        return count.get();
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        consumer.wakeup();
        thread.join(10_000);
    }
}
