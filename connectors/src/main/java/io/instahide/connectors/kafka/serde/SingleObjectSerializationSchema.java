package io.instahide.connectors.kafka.serde;

import io.instahide.schemas.codec.SingleObjectCodec;

import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableSupplier;

import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.random.RandomGenerator;

/**
 * Writes records to one topic in Avro single-object encoding, without a key, headers or timestamp
 * (a key would only be something to link samples by; the producer stamps its send time).
 *
 * <p>Partitions: by default the producer's own partitioner, which sends whole batches to one
 * partition ("sticky"). With {@link #uniformPartitions} every record goes to a partition drawn
 * uniformly from the topic's partitions by the given generator, so the partition a record lands in
 * says nothing about which records were produced next to it.
 */
public final class SingleObjectSerializationSchema<T extends SpecificRecordBase>
        implements KafkaRecordSerializationSchema<T> {

    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private final String topic;
    private final SerializableSupplier<? extends RandomGenerator> partitionRandom;
    private transient SingleObjectCodec<T> codec;
    private transient RandomGenerator random;

    public SingleObjectSerializationSchema(Class<T> type, String topic) {
        this(type, topic, null);
    }

    private SingleObjectSerializationSchema(
            Class<T> type,
            String topic,
            SerializableSupplier<? extends RandomGenerator> partitionRandom) {
        Codecs.forType(type);
        this.type = type;
        this.topic = topic;
        this.partitionRandom = partitionRandom;
    }

    /**
     * Records to partitions drawn uniformly at random, each sink subtask with its own generator
     * from {@code random} (a secure one for outputs an attacker reads).
     */
    public static <T extends SpecificRecordBase>
            SingleObjectSerializationSchema<T> uniformPartitions(
                    Class<T> type,
                    String topic,
                    SerializableSupplier<? extends RandomGenerator> random) {
        if (random == null) {
            throw new IllegalArgumentException("a generator is required");
        }
        return new SingleObjectSerializationSchema<>(type, topic, random);
    }

    @Override
    public void open(
            SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        codec = Codecs.forType(type);
        if (partitionRandom != null) {
            random = partitionRandom.get();
        }
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            T element, KafkaSinkContext context, Long timestamp) {
        if (codec == null) {
            open(null, context);
        }
        Integer partition = null;
        if (random != null) {
            int[] partitions = context.getPartitionsForTopic(topic);
            partition = partitions[random.nextInt(partitions.length)];
        }
        return new ProducerRecord<>(topic, partition, null, null, codec.encode(element));
    }
}
