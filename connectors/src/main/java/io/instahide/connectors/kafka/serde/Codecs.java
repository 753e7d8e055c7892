package io.instahide.connectors.kafka.serde;

import io.instahide.schemas.DeadLetter;
import io.instahide.schemas.EncryptedSample;
import io.instahide.schemas.EscrowedKey;
import io.instahide.schemas.ImageRecord;
import io.instahide.schemas.PublicImage;
import io.instahide.schemas.codec.SingleObjectCodec;

import org.apache.avro.specific.SpecificRecordBase;

/** The single-object codec of each topic's record type. */
final class Codecs {

    private Codecs() {}

    @SuppressWarnings("unchecked")
    static <T extends SpecificRecordBase> SingleObjectCodec<T> forType(Class<T> type) {
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
