package io.instahide.connectors.kafka.serde;

import io.instahide.schemas.DeadLetter;
import io.instahide.schemas.codec.RecordDecodeException;
import io.instahide.schemas.codec.SingleObjectCodec;

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
 * Decodes Kafka values in Avro single-object encoding and never throws on bad bytes: a value that
 * is not a valid record becomes {@code Either.Left(DeadLetter)} with the raw bytes, topic,
 * partition, offset and reason; a valid one becomes {@code Either.Right(Received)}, the record with
 * its origin.
 */
public final class DecodingDeserializationSchema<T extends SpecificRecordBase>
        implements KafkaRecordDeserializationSchema<Either<DeadLetter, Received<T>>> {

    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private transient SingleObjectCodec<T> codec;

    private DecodingDeserializationSchema(Class<T> type) {
        this.type = type;
    }

    public static <T extends SpecificRecordBase> DecodingDeserializationSchema<T> of(
            Class<T> type) {
        Codecs.forType(type); // fail fast on a type without a codec
        return new DecodingDeserializationSchema<>(type);
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        codec = Codecs.forType(type);
    }

    @Override
    public void deserialize(
            ConsumerRecord<byte[], byte[]> record, Collector<Either<DeadLetter, Received<T>>> out) {
        if (codec == null) {
            codec = Codecs.forType(type);
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
