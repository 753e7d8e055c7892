package io.instahide.connectors.kafka;

import io.instahide.connectors.kafka.serde.DecodingDeserializationSchema;
import io.instahide.connectors.kafka.serde.PublicImageUpdate;
import io.instahide.connectors.kafka.serde.PublicImageUpdateDeserializationSchema;
import io.instahide.connectors.kafka.serde.Received;
import io.instahide.connectors.kafka.serde.RecordSerializationSchema;
import io.instahide.schemas.DeadLetter;
import io.instahide.schemas.EncryptedSample;
import io.instahide.schemas.EscrowedKey;
import io.instahide.schemas.ImageRecord;

import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.types.Either;
import org.apache.flink.util.function.SerializableSupplier;

import org.apache.kafka.clients.consumer.OffsetResetStrategy;

import java.time.Duration;
import java.util.Properties;
import java.util.random.RandomGenerator;

/** Sources and sinks of the pipeline's topics, in Avro single-object encoding. */
public final class InstaHideKafka {

    private final KafkaSettings settings;

    public InstaHideKafka(KafkaSettings settings) {
        this.settings = settings;
    }

    /**
     * Private images from devices. A new consumer group starts at the earliest offset; afterwards
     * offsets come from Flink's checkpoints.
     */
    public KafkaSourceBuilder<Either<DeadLetter, Received<ImageRecord>>> rawImages(
            String topic, String groupId) {
        return KafkaSource.<Either<DeadLetter, Received<ImageRecord>>>builder()
                .setBootstrapServers(settings.bootstrapServers())
                .setProperties(settings.clientProperties())
                .setTopics(topic)
                .setGroupId(groupId)
                .setStartingOffsets(
                        OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setProperty("isolation.level", "read_committed")
                .setDeserializer(
                        DecodingDeserializationSchema.of(
                                ImageRecord.class, topic, settings.schemaRegistryUrl()));
    }

    /**
     * The public pool's compacted topic, always read from the earliest offset: every subtask
     * rebuilds the whole pool.
     */
    public KafkaSourceBuilder<Either<DeadLetter, Received<PublicImageUpdate>>> publicImages(
            String topic, String groupId) {
        return KafkaSource.<Either<DeadLetter, Received<PublicImageUpdate>>>builder()
                .setBootstrapServers(settings.bootstrapServers())
                .setProperties(settings.clientProperties())
                .setTopics(topic)
                .setGroupId(groupId)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(
                        new PublicImageUpdateDeserializationSchema(
                                topic, settings.schemaRegistryUrl()));
    }

    /**
     * Encrypted samples, exactly once (Kafka transactions committed on checkpoints).
     *
     * @param partitionRandom the generator that draws each record's partition uniformly (a secure
     *     one: the partition must not link samples), or null for the producer's sticky partitioner
     */
    public KafkaSink<EncryptedSample> encryptedSamples(
            String topic,
            String transactionalIdPrefix,
            Duration transactionTimeout,
            SerializableSupplier<? extends RandomGenerator> partitionRandom) {
        return sink(
                partitionRandom == null
                        ? new RecordSerializationSchema<>(
                                EncryptedSample.class, topic, settings.schemaRegistryUrl())
                        : RecordSerializationSchema.uniformPartitions(
                                EncryptedSample.class,
                                topic,
                                partitionRandom,
                                settings.schemaRegistryUrl()),
                transactionalIdPrefix,
                transactionTimeout,
                settings.encryptedSinkProperties());
    }

    /** Dead letters, exactly once like the main output. */
    public KafkaSink<DeadLetter> deadLetters(
            String topic, String transactionalIdPrefix, Duration transactionTimeout) {
        return sink(
                new RecordSerializationSchema<>(
                        DeadLetter.class, topic, settings.schemaRegistryUrl()),
                transactionalIdPrefix,
                transactionTimeout,
                settings.deadLetterSinkProperties());
    }

    /** Escrowed keys (research audits only), exactly once like the main output. */
    public KafkaSink<EscrowedKey> keyEscrow(
            String topic, String transactionalIdPrefix, Duration transactionTimeout) {
        return sink(
                new RecordSerializationSchema<>(
                        EscrowedKey.class, topic, settings.schemaRegistryUrl()),
                transactionalIdPrefix,
                transactionTimeout,
                settings.encryptedSinkProperties());
    }

    private <T extends org.apache.avro.specific.SpecificRecordBase> KafkaSink<T> sink(
            RecordSerializationSchema<T> serializer,
            String transactionalIdPrefix,
            Duration timeout,
            Properties producer) {
        producer.setProperty("transaction.timeout.ms", Long.toString(timeout.toMillis()));
        return KafkaSink.<T>builder()
                .setBootstrapServers(settings.bootstrapServers())
                .setKafkaProducerConfig(producer)
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .build();
    }
}
