package io.instahide.demo;

import io.instahide.clients.IdxDataset;
import io.instahide.clients.KafkaClients;
import io.instahide.schemas.ImageEncoding;
import io.instahide.schemas.ImageRecord;
import io.instahide.schemas.codec.SingleObjectCodec;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Cameras publishing labelled images to the raw topic at a steady rate, as devices would: each
 * record is an {@link ImageRecord} keyed by device id. Every {@code badEvery}-th record is a bad
 * one of a rotating kind (garbage bytes, wrong size, invalid label, undecodable PNG), to show that
 * bad input is routed to the dead-letter topic and never stops the job.
 */
final class DeviceSimulator implements Runnable {

    private final String bootstrapServers;
    private final String topic;
    private final IdxDataset images;
    private final int devices;
    private final double rate;
    private final int badEvery;
    private final boolean loop;
    private final SingleObjectCodec<ImageRecord> codec = SingleObjectCodec.imageRecords();
    final AtomicLong valid = new AtomicLong();
    final AtomicLong bad = new AtomicLong();
    private volatile boolean stopped;
    private volatile boolean done;

    DeviceSimulator(
            String bootstrapServers,
            String topic,
            IdxDataset images,
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
        try (KafkaProducer<byte[], byte[]> producer =
                KafkaClients.producer(bootstrapServers, "instahide-demo-devices")) {
            long start = System.nanoTime();
            long sent = 0;
            do {
                for (int i = 0; i < images.size() && !stopped; i++) {
                    pace(start, sent++);
                    String device = "camera-" + (i % devices);
                    byte[] value;
                    if (badEvery > 0 && sent % badEvery == 0) {
                        value = badRecord(device, i, (int) (sent / badEvery));
                        bad.incrementAndGet();
                    } else {
                        value = codec.encode(record(device, i, images.label(i), images.width()));
                        valid.incrementAndGet();
                    }
                    producer.send(
                            new ProducerRecord<>(
                                    topic, device.getBytes(StandardCharsets.UTF_8), value));
                }
            } while (loop && !stopped);
            producer.flush();
        } finally {
            done = true;
        }
    }

    private void pace(long start, long sent) {
        if (rate <= 0) {
            return;
        }
        long due = start + (long) (sent * 1e9 / rate);
        long wait = due - System.nanoTime();
        if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    private ImageRecord record(String device, int index, int label, int width) {
        byte[] pixels = images.image(index);
        if (width != images.width()) {
            pixels = new byte[images.height() * width];
        }
        return ImageRecord.newBuilder()
                .setDeviceId(device)
                .setCaptureTime(Instant.now())
                .setLabel(label)
                .setWidth(width)
                .setHeight(images.height())
                .setChannels(1)
                .setEncoding(ImageEncoding.RAW_U8)
                .setPixels(ByteBuffer.wrap(pixels))
                .build();
    }

    private byte[] badRecord(String device, int index, int kind) {
        switch (kind % 4) {
            case 0:
                return "not an avro record".getBytes(StandardCharsets.UTF_8);
            case 1:
                return codec.encode(record(device, index, images.label(index), images.width() - 1));
            case 2:
                return codec.encode(record(device, index, 42, images.width()));
            default:
                ImageRecord png = record(device, index, images.label(index), images.width());
                png.setEncoding(ImageEncoding.PNG);
                return codec.encode(png);
        }
    }

    void stop() {
        stopped = true;
    }

    boolean isDone() {
        return done;
    }
}
