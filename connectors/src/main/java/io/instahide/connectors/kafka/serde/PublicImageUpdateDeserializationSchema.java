package io.instahide.connectors.kafka.serde;

import io.instahide.schemas.DeadLetter;
import io.instahide.schemas.DeadLetterReason;
import io.instahide.schemas.PublicImage;
import io.instahide.schemas.codec.RecordCodec;
import io.instahide.schemas.codec.RecordDecodeException;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.nio.charset.StandardCharsets;

/**
 * Reads the compacted public-images topic: a value is a {@link PublicImage} put under its id, a
 * null value (tombstone) removes the record key's id. Bad bytes, a tombstone without a key, or an
 * image whose id is not its record key (it could never be removed) become dead letters.
 */
public final class PublicImageUpdateDeserializationSchema
        implements KafkaRecordDeserializationSchema<
                Either<DeadLetter, Received<PublicImageUpdate>>> {

    private static final long serialVersionUID = 1L;

    private final String topic;
    private final String schemaRegistryUrl;
    private transient RecordCodec<PublicImage> codec;

    /** Single-object values only. */
    public PublicImageUpdateDeserializationSchema() {
        this(null, null);
    }

    /**
     * @param schemaRegistryUrl a Confluent-compatible schema registry for values in its wire format
     *     (subject {@code <topic>-value}), or null
     */
    public PublicImageUpdateDeserializationSchema(String topic, String schemaRegistryUrl) {
        this.topic = topic;
        this.schemaRegistryUrl = schemaRegistryUrl;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        codec = Codecs.forTopic(PublicImage.class, topic, schemaRegistryUrl);
    }

    @Override
    public void deserialize(
            ConsumerRecord<byte[], byte[]> record,
            Collector<Either<DeadLetter, Received<PublicImageUpdate>>> out) {
        if (codec == null) {
            codec = Codecs.forTopic(PublicImage.class, topic, schemaRegistryUrl);
        }
        if (record.value() == null) {
            if (record.key() == null) {
                out.collect(
                        Either.Left(
                                DeadLetterFactory.of(
                                        Received.of(null, record),
                                        DeadLetterReason.MALFORMED_AVRO,
                                        "Tombstone without a key: cannot tell which public image"
                                                + " to remove")));
                return;
            }
            String id = new String(record.key(), StandardCharsets.UTF_8);
            out.collect(Either.Right(Received.of(PublicImageUpdate.removal(id), record)));
            return;
        }
        try {
            PublicImage image = codec.decode(record.value());
            String key =
                    record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
            if (!image.getId().equals(key)) {
                // Compaction and removal work by key: an image under another key (or none) could
                // never be removed by a tombstone for its id.
                out.collect(
                        Either.Left(
                                DeadLetterFactory.of(
                                        Received.of(null, record),
                                        DeadLetterReason.MALFORMED_AVRO,
                                        String.format(
                                                "Public image id '%s' differs from its Kafka key"
                                                        + " %s: a tombstone for that id could"
                                                        + " never remove it. Publish each pool"
                                                        + " image with its id as the key.",
                                                image.getId(),
                                                key == null ? "(none)" : "'" + key + "'"))));
                return;
            }
            out.collect(
                    Either.Right(Received.of(new PublicImageUpdate(image.getId(), image), record)));
        } catch (RecordDecodeException e) {
            out.collect(
                    Either.Left(
                            DeadLetterFactory.of(
                                    Received.of(null, record), e.reason(), e.getMessage())));
        }
    }

    @Override
    public TypeInformation<Either<DeadLetter, Received<PublicImageUpdate>>> getProducedType() {
        return new EitherTypeInfo<>(
                new AvroTypeInfo<>(DeadLetter.class),
                Received.typeOf(TypeInformation.of(PublicImageUpdate.class)));
    }
}
