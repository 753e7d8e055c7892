package io.instahide.connectors.kafka.serde;

import io.instahide.schemas.DeadLetter;
import io.instahide.schemas.EncryptedSample;
import io.instahide.schemas.EscrowedKey;
import io.instahide.schemas.ImageRecord;
import io.instahide.schemas.PublicImage;
import io.instahide.schemas.codec.RecordCodec;
import io.instahide.schemas.codec.RegistryCodec;
import io.instahide.schemas.codec.SingleObjectCodec;

import org.apache.avro.specific.SpecificRecordBase;

/** The codec of each topic's record type. */
public final class Codecs {

    private Codecs() {}

    /**
     * The codec of {@code type} on {@code topic}: single-object encoding without a registry; with
     * {@code schemaRegistryUrl}, the Confluent wire format under the subject {@code <topic>-value}
     * (reading single-object values too).
     */
    public static <T extends SpecificRecordBase> RecordCodec<T> forTopic(
            Class<T> type, String topic, String schemaRegistryUrl) {
        return RegistryCodec.forTopic(forType(type), topic, schemaRegistryUrl);
    }

    @SuppressWarnings("unchecked")
    public static <T extends SpecificRecordBase> SingleObjectCodec<T> forType(Class<T> type) {
        if (type == ImageRecord.class) {
            return (SingleObjectCodec<T>) SingleObjectCodec.imageRecords();
        }
        if (type == PublicImage.class) {
            return (SingleObjectCodec<T>) SingleObjectCodec.publicImages();
        }
        if (type == EncryptedSample.class) {
            return (SingleObjectCodec<T>) SingleObjectCodec.encryptedSamples();
        }
        if (type == DeadLetter.class) {
            return (SingleObjectCodec<T>) SingleObjectCodec.deadLetters();
        }
        if (type == EscrowedKey.class) {
            return (SingleObjectCodec<T>) SingleObjectCodec.escrowedKeys();
        }
        throw new IllegalArgumentException("No single-object codec for " + type.getName());
    }
}
