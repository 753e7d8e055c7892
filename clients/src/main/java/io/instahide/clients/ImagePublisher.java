package io.instahide.clients;

import io.instahide.core.image.ImageFitting;
import io.instahide.schemas.ImageEncoding;
import io.instahide.schemas.ImageRecord;
import io.instahide.schemas.codec.RecordCodec;
import io.instahide.schemas.codec.RegistryCodec;
import io.instahide.schemas.codec.SingleObjectCodec;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes images to the raw topic as a device would: fitted to the stream's shape (scale the
 * shorter side, centre-crop), RAW_U8 interleaved, keyed by device id, at most {@code rate} per
 * second (0: unlimited).
 */
public final class ImagePublisher implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final int channels;
    private final int height;
    private final int width;
    private final String deviceId;
    private final double rate;
    private final RecordCodec<ImageRecord> codec;
    private final long start = System.nanoTime();
    private long sent;
    private volatile Exception failure;

    public ImagePublisher(
            KafkaProducer<byte[], byte[]> producer,
            String topic,
            int[] shape,
            String deviceId,
            double rate) {
        this(producer, topic, shape, deviceId, rate, null);
    }

    /**
     * @param schemaRegistryUrl a Confluent-compatible schema registry: records in its wire format
     *     (subject {@code <topic>-value}); null for single-object encoding
     */
    public ImagePublisher(
            KafkaProducer<byte[], byte[]> producer,
            String topic,
            int[] shape,
            String deviceId,
            double rate,
            String schemaRegistryUrl) {
        this.codec =
                RegistryCodec.forTopic(SingleObjectCodec.imageRecords(), topic, schemaRegistryUrl);
        this.producer = producer;
        this.topic = topic;
        this.channels = shape[0];
        this.height = shape[1];
        this.width = shape[2];
        this.deviceId = deviceId;
        this.rate = rate;
    }

    /** Publishes {@code image} as this publisher's device, fitted to the stream's shape. */
    public void publish(LabeledImage image) {
        BufferedImage fitted = ImageFitting.fit(image.image(), channels, height, width);
        byte[] hwc = ImageFitting.chwToHwc(ImageFitting.toChw(fitted, channels), channels);
        send(deviceId, record(deviceId, image.time(), image.label(), hwc));
    }

    /**
     * A RAW_U8 record of the stream's shape from {@code hwc} pixels that already have it (a device
     * that captures at the stream's size, or a dataset such as MNIST).
     */
    public ImageRecord record(String device, Instant time, int label, byte[] hwc) {
        return ImageRecord.newBuilder()
                .setDeviceId(device)
                .setCaptureTime(time)
                .setLabel(label)
                .setWidth(width)
                .setHeight(height)
                .setChannels(channels)
                .setEncoding(ImageEncoding.RAW_U8)
                .setPixels(ByteBuffer.wrap(hwc))
                .build();
    }

    /** Sends {@code record} keyed by {@code device}, paced. */
    public void send(String device, ImageRecord record) {
        send(device, codec.encode(record));
    }

    /**
     * Sends an already encoded value keyed by {@code device}, paced: what a faulty device would
     * send, for demonstrations of dead-letter routing.
     */
    public void send(String device, byte[] value) {
        pace();
        producer.send(
                new ProducerRecord<>(topic, device.getBytes(StandardCharsets.UTF_8), value),
                (metadata, error) -> {
                    if (error != null && failure == null) {
                        failure = error;
                    }
                });
        sent++;
        checkFailure();
    }

    private void checkFailure() {
        if (failure != null) {
            throw new IllegalStateException(
                    "Kafka did not accept an image (" + failure.getMessage() + ")", failure);
        }
    }

    private void pace() {
        if (rate > 0) {
            long wait = start + (long) (sent * 1e9 / rate) - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
    }

    /** Sends what is buffered and fails if Kafka rejected anything. */
    @Override
    public void close() {
        producer.flush();
        producer.close();
        checkFailure();
    }
}
