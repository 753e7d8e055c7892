package io.instahide.demo;

import io.instahide.clients.IdxDataset;
import io.instahide.clients.KafkaClients;
import io.instahide.schemas.ImageEncoding;
import io.instahide.schemas.PublicImage;
import io.instahide.schemas.codec.SingleObjectCodec;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Publishes a dataset to the compacted public-pool topic, keyed by image id. */
final class PoolPublisher {

    private PoolPublisher() {}

    static void publish(String bootstrapServers, String topic, IdxDataset pool, String idPrefix) {
        SingleObjectCodec<PublicImage> codec = SingleObjectCodec.publicImages();
        try (KafkaProducer<byte[], byte[]> producer =
                KafkaClients.producer(bootstrapServers, "instahide-demo-pool")) {
            for (int i = 0; i < pool.size(); i++) {
                String id = idPrefix + i;
                PublicImage image =
                        PublicImage.newBuilder()
                                .setId(id)
                                .setWidth(pool.width())
                                .setHeight(pool.height())
                                .setChannels(1)
                                .setEncoding(ImageEncoding.RAW_U8)
                                .setPixels(ByteBuffer.wrap(pool.image(i)))
                                .build();
                producer.send(
                        new ProducerRecord<>(
                                topic, id.getBytes(StandardCharsets.UTF_8), codec.encode(image)));
            }
            producer.flush();
        }
    }
}
