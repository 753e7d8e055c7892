package io.instahide.connectors.kafka.serde;

import io.instahide.schemas.DeadLetter;
import io.instahide.schemas.codec.RecordCodec;
import io.instahide.schemas.codec.RecordDecodeException;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;

import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes Kafka values in Avro single-object encoding (and, with a schema registry configured, in
 * the Confluent wire format) and never throws on bad bytes: a value that is not a valid record
 * becomes {@code Either.Left(DeadLetter)} with the raw bytes, topic, partition, offset and reason;
 * a valid one becomes {@code Either.Right(Received)}, the record with its origin.
 */
public final class DecodingDeserializationSchema<T extends SpecificRecordBase>
        implements KafkaRecordDeserializationSchema<Either<DeadLetter, Received<T>>> {

    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private final String topic;
    private final String schemaRegistryUrl;
    private transient RecordCodec<T> codec;

    private DecodingDeserializationSchema(Class<T> type, String topic, String schemaRegistryUrl) {
        this.type = type;
        this.topic = topic;
        this.schemaRegistryUrl = schemaRegistryUrl;
    }

    /** Single-object values only. */
    public static <T extends SpecificRecordBase> DecodingDeserializationSchema<T> of(
            Class<T> type) {
        return of(type, null, null);
    }

    /**
     * @param schemaRegistryUrl a Confluent-compatible schema registry for values in its wire format
     *     (subject {@code <topic>-value}), or null
     */
    public static <T extends SpecificRecordBase> DecodingDeserializationSchema<T> of(
            Class<T> type, String topic, String schemaRegistryUrl) {
        Codecs.forType(type); // fail fast on a type without a codec
        return new DecodingDeserializationSchema<>(type, topic, schemaRegistryUrl);
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        codec = Codecs.forTopic(type, topic, schemaRegistryUrl);
    }

    @Override
    public void deserialize(
            ConsumerRecord<byte[], byte[]> record, Collector<Either<DeadLetter, Received<T>>> out) {
        if (codec == null) {
            codec = Codecs.forTopic(type, topic, schemaRegistryUrl);
        }
        try {
            out.collect(Either.Right(Received.of(codec.decode(record.value()), record)));
        } catch (RecordDecodeException e) {
            out.collect(
                    Either.Left(
                            DeadLetterFactory.of(
                                    Received.of(null, record), e.reason(), e.getMessage())));
        }
    }

    @Override
    public TypeInformation<Either<DeadLetter, Received<T>>> getProducedType() {
        return new EitherTypeInfo<>(
                new AvroTypeInfo<>(DeadLetter.class), Received.typeOf(new AvroTypeInfo<>(type)));
    }
}
