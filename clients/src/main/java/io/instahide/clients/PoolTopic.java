package io.instahide.clients;

import io.instahide.core.image.ImageFitting;
import io.instahide.schemas.ImageEncoding;
import io.instahide.schemas.PublicImage;
import io.instahide.schemas.codec.RecordCodec;
import io.instahide.schemas.codec.RegistryCodec;
import io.instahide.schemas.codec.SingleObjectCodec;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The compacted public-pool topic: put images by id, remove them with tombstones, list live ids.
 */
public final class PoolTopic implements AutoCloseable {

    private final String bootstrapServers;
    private final String topic;
    private final Map<String, String> properties;
    private final KafkaProducer<byte[], byte[]> producer;
    private final RecordCodec<PublicImage> codec;

    public PoolTopic(String bootstrapServers, String topic, Map<String, String> properties) {
        this(bootstrapServers, topic, properties, null);
    }

    /**
     * @param schemaRegistryUrl a Confluent-compatible schema registry: images in its wire format
     *     (subject {@code <topic>-value}); null for single-object encoding
     */
    public PoolTopic(
            String bootstrapServers,
            String topic,
            Map<String, String> properties,
            String schemaRegistryUrl) {
        this.codec =
                RegistryCodec.forTopic(SingleObjectCodec.publicImages(), topic, schemaRegistryUrl);
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.properties = properties;
        this.producer =
                KafkaClients.producer(bootstrapServers, "instahide-pool-builder", properties);
    }

    public void put(String id, byte[] chw, int[] shape) {
        PublicImage image =
                PublicImage.newBuilder()
                        .setId(id)
                        .setChannels(shape[0])
                        .setHeight(shape[1])
                        .setWidth(shape[2])
                        .setEncoding(ImageEncoding.RAW_U8)
                        .setPixels(ByteBuffer.wrap(ImageFitting.chwToHwc(chw, shape[0])))
                        .build();
        producer.send(new ProducerRecord<>(topic, key(id), codec.encode(image)));
    }

    public void remove(String id) {
        producer.send(new ProducerRecord<>(topic, key(id), null));
    }

    /** Ids whose latest record is not a tombstone, read from the start to the current end. */
    public Set<String> liveIds() {
        Set<String> live = new TreeSet<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                KafkaClients.consumer(bootstrapServers, properties)) {
            KafkaClients.readToEnd(
                    consumer,
                    topic,
                    record -> {
                        if (record.key() == null) {
                            return;
                        }
                        String id = new String(record.key(), StandardCharsets.UTF_8);
                        if (record.value() == null) {
                            live.remove(id);
                        } else {
                            live.add(id);
                        }
                    });
        }
        return live;
    }

    private static byte[] key(String id) {
        return id.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.flush();
        producer.close();
    }
}
