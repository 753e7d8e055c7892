package io.instahide.demo;

import io.instahide.clients.IdxDataset;
import io.instahide.clients.KafkaClients;
import io.instahide.core.EncodedBatch;
import io.instahide.core.ImageSet;
import io.instahide.core.ImageShape;
import io.instahide.core.InstaHideEncoder;
import io.instahide.core.InstaHideParameters;
import io.instahide.core.JavaMixer;
import io.instahide.core.KeyStreamRandom;
import io.instahide.core.MixSources;
import io.instahide.core.Normalizer;
import io.instahide.core.U8ImageList;
import io.instahide.job.encrypt.EncryptedSampleWriter;
import io.instahide.schemas.EncryptedSample;
import io.instahide.schemas.codec.SingleObjectCodec;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes samples made by the core encoder directly (no job), one fresh encryption of every
 * training image per epoch, in a new order each epoch, with partners drawn from the whole training
 * set as the reference does: the accuracy benchmark's plain and Mixup rows.
 */
final class EncoderFeeder implements Runnable {

    private static final int CHUNK = 1024;

    private final String bootstrapServers;
    private final String topic;
    private final IdxDataset train;
    private final InstaHideParameters parameters;
    private final Normalizer normalizer;
    private final int epochs;
    private final long seed;

    EncoderFeeder(
            String bootstrapServers,
            String topic,
            IdxDataset train,
            InstaHideParameters parameters,
            Normalizer normalizer,
            int epochs,
            long seed) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.train = train;
        this.parameters = parameters;
        this.normalizer = normalizer;
        this.epochs = epochs;
        this.seed = seed;
    }

    @Override
    public void run() {
        ImageShape shape = new ImageShape(1, train.height(), train.width());
        U8ImageList all = new U8ImageList(shape, normalizer, train.size());
        for (int i = 0; i < train.size(); i++) {
            all.add(i, train.label(i), train.image(i));
        }
        EncryptedSampleWriter writer = new EncryptedSampleWriter(parameters, shape, normalizer);
        SingleObjectCodec<EncryptedSample> codec = SingleObjectCodec.encryptedSamples();
        KeyStreamRandom random = KeyStreamRandom.fromOsEntropy();
        EncodedBatch batch = new EncodedBatch(shape, MnistStream.CLASSES);
        try (var encoder =
                        new InstaHideEncoder<>(
                                parameters,
                                shape,
                                MnistStream.CLASSES,
                                new JavaMixer(shape),
                                random);
                KafkaProducer<byte[], byte[]> producer =
                        KafkaClients.producer(bootstrapServers, "accuracy-encoder")) {
            for (int epoch = 0; epoch < epochs; epoch++) {
                int[] order = IdxDataset.randomOrder(train.size(), seed * 1000 + epoch);
                for (int start = 0; start < order.length; start += CHUNK) {
                    U8ImageList chunk = new U8ImageList(shape, normalizer, CHUNK);
                    for (int i = start; i < Math.min(order.length, start + CHUNK); i++) {
                        // The id is the image's index in `all`: never its own partner.
                        chunk.add(order[i], train.label(order[i]), train.image(order[i]));
                    }
                    encoder.encode(new MixSources<>(chunk, all, ImageSet.empty(shape)), 1, batch);
                    for (int i = 0; i < batch.count(); i++) {
                        producer.send(
                                new ProducerRecord<>(
                                        topic, codec.encode(writer.write(batch, i, random))));
                    }
                }
            }
            producer.flush();
        }
    }
}
