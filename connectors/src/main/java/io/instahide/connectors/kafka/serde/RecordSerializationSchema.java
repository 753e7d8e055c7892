package io.instahide.connectors.kafka.serde;

import io.instahide.schemas.codec.RecordCodec;

import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableSupplier;

import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.random.RandomGenerator;

/**
 * Writes records to one topic in Avro single-object encoding, or in the Confluent wire format when
 * a schema registry is configured ({@link Codecs#forTopic}), without a key, headers or timestamp (a
 * key would only be something to link samples by; the producer stamps its send time).
 *
 * <p>Partitions: by default the producer's own partitioner, which sends whole batches to one
 * partition ("sticky"). With {@link #uniformPartitions} every record goes to a partition drawn
 * uniformly from the topic's partitions by the given generator, so the partition a record lands in
 * says nothing about which records were produced next to it.
 */
public final class RecordSerializationSchema<T extends SpecificRecordBase>
        implements KafkaRecordSerializationSchema<T> {

    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private final String topic;
    private final SerializableSupplier<? extends RandomGenerator> partitionRandom;
    private final String schemaRegistryUrl;
    private transient RecordCodec<T> codec;
    private transient RandomGenerator random;

    public RecordSerializationSchema(Class<T> type, String topic) {
        this(type, topic, null, null);
    }

    /**
     * @param schemaRegistryUrl a Confluent-compatible schema registry, or null for single-object
     *     encoding
     */
    public RecordSerializationSchema(Class<T> type, String topic, String schemaRegistryUrl) {
        this(type, topic, null, schemaRegistryUrl);
    }

    private RecordSerializationSchema(
            Class<T> type,
            String topic,
            SerializableSupplier<? extends RandomGenerator> partitionRandom,
            String schemaRegistryUrl) {
        Codecs.forType(type);
        this.type = type;
        this.topic = topic;
        this.partitionRandom = partitionRandom;
        this.schemaRegistryUrl = schemaRegistryUrl;
    }

    /**
     * Records to partitions drawn uniformly at random, each sink subtask with its own generator
     * from {@code random} (a secure one for outputs an attacker reads).
     */
    public static <T extends SpecificRecordBase> RecordSerializationSchema<T> uniformPartitions(
            Class<T> type,
            String topic,
            SerializableSupplier<? extends RandomGenerator> random,
            String schemaRegistryUrl) {
        if (random == null) {
            throw new IllegalArgumentException("a generator is required");
        }
        return new RecordSerializationSchema<>(type, topic, random, schemaRegistryUrl);
    }

    @Override
    public void open(
            SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        codec = Codecs.forTopic(type, topic, schemaRegistryUrl);
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
