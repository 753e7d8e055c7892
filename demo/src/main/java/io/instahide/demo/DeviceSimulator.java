package io.instahide.demo;

import io.instahide.clients.ImageDataset;
import io.instahide.clients.ImagePublisher;
import io.instahide.clients.KafkaClients;
import io.instahide.schemas.ImageEncoding;
import io.instahide.schemas.ImageRecord;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cameras publishing a labelled dataset to the raw topic at a steady rate, as devices would,
 * through the devices' own {@link ImagePublisher}: the record for image {@code i} comes from device
 * {@code camera-(i mod devices)}. Every {@code badEvery}-th record is a bad one of a rotating kind
 * (garbage bytes, wrong size, invalid label, undecodable PNG), to show that bad input is routed to
 * the dead-letter topic and never stops the job.
 */
final class DeviceSimulator implements Runnable {

    private final String bootstrapServers;
    private final String topic;
    private final ImageDataset images;
    private final int devices;
    private final double rate;
    private final int badEvery;
    private final boolean loop;
    final AtomicLong valid = new AtomicLong();
    final AtomicLong bad = new AtomicLong();
    private volatile boolean stopped;
    private volatile boolean done;

    DeviceSimulator(
            String bootstrapServers,
            String topic,
            ImageDataset images,
            int devices,
            double rate,
            int badEvery,
            boolean loop) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.images = images;
        this.devices = devices;
        this.rate = rate;
        this.badEvery = badEvery;
        this.loop = loop;
    }

    @Override
    public void run() {
        try (ImagePublisher publisher =
                new ImagePublisher(
                        KafkaClients.producer(bootstrapServers, "instahide-demo-devices"),
                        topic,
                        images.shape(),
                        "camera-0",
                        rate)) {
            long sent = 0;
            do {
                for (int i = 0; i < images.size() && !stopped; i++) {
                    sent++;
                    String device = "camera-" + (i % devices);
                    ImageRecord record =
                            publisher.record(
                                    device, Instant.now(), images.label(i), images.image(i));
                    if (badEvery > 0 && sent % badEvery == 0) {
                        sendBad(publisher, device, record, (int) (sent / badEvery));
                        bad.incrementAndGet();
                    } else {
                        publisher.send(device, record);
                        valid.incrementAndGet();
                    }
                }
            } while (loop && !stopped);
        } finally {
            done = true;
        }
    }

    private static void sendBad(
            ImagePublisher publisher, String device, ImageRecord record, int kind) {
        switch (kind % 4) {
            case 0:
                publisher.send(device, "not an avro record".getBytes(StandardCharsets.UTF_8));
                return;
            case 1:
                record.setWidth(record.getWidth() - 1);
                record.setPixels(ByteBuffer.wrap(new byte[record.getHeight() * record.getWidth()]));
                break;
            case 2:
                record.setLabel(42);
                break;
            default:
                record.setEncoding(ImageEncoding.PNG);
        }
        publisher.send(device, record);
    }

    void stop() {
        stopped = true;
    }

    boolean isDone() {
        return done;
    }
}
