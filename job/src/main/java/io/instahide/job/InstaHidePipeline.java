package io.instahide.job;

import io.instahide.clients.image.ImageDecoder;
import io.instahide.connectors.kafka.serde.PublicImageUpdate;
import io.instahide.connectors.kafka.serde.Received;
import io.instahide.job.encrypt.EncryptOperator;
import io.instahide.job.encrypt.EncryptionSettings;
import io.instahide.job.functions.PoolImage;
import io.instahide.job.functions.PrivateImage;
import io.instahide.job.functions.ValidateImagesFunction;
import io.instahide.job.functions.ValidatePoolImagesFunction;
import io.instahide.schemas.DeadLetter;
import io.instahide.schemas.EncryptedSample;
import io.instahide.schemas.EscrowedKey;
import io.instahide.schemas.ImageRecord;

import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.types.Either;

/**
 * The job's dataflow, independent of where records come from and go to (Kafka in production,
 * collections in tests):
 *
 * <pre>
 * raw images ──► validate-images ──────────────────► encrypt ──► encrypted samples
 * public images ► validate-public-images ─broadcast─┘
 *                 (both) ── dead letters ──► dead-letter output
 *                 encrypt ── escrowed keys ──► key-escrow output (research only, off by default)
 * </pre>
 */
public final class InstaHidePipeline {

    /** Stable operator ids: never change them once released (savepoint compatibility). */
    public static final String VALIDATE_IMAGES = "validate-images";

    public static final String VALIDATE_PUBLIC_IMAGES = "validate-public-images";
    public static final String ENCRYPT = "encrypt";

    private InstaHidePipeline() {}

    /**
     * The outputs of the pipeline; {@code keyEscrow} stays empty unless {@link
     * EncryptionSettings#keyEscrow()} is on.
     */
    public record Outputs(
            DataStream<EncryptedSample> encrypted,
            DataStream<DeadLetter> deadLetters,
            DataStream<EscrowedKey> keyEscrow) {}

    public static Outputs build(
            DataStream<Either<DeadLetter, Received<ImageRecord>>> rawImages,
            DataStream<Either<DeadLetter, Received<PublicImageUpdate>>> publicImages,
            EncryptionSettings settings,
            ImageDecoder decoder,
            String rawTopic) {
        SingleOutputStreamOperator<PrivateImage> privates =
                rawImages
                        .process(
                                new ValidateImagesFunction(
                                        decoder, settings.classes(), settings.keyEscrow()))
                        .uid(VALIDATE_IMAGES)
                        .name("Validate images");
        SingleOutputStreamOperator<PoolImage> pool =
                publicImages
                        .process(new ValidatePoolImagesFunction(decoder))
                        .uid(VALIDATE_PUBLIC_IMAGES)
                        .name("Validate public images");
        SingleOutputStreamOperator<EncryptedSample> encrypted =
                privates.connect(pool.broadcast())
                        .transform(
                                "Encrypt (InstaHide)",
                                new AvroTypeInfo<>(EncryptedSample.class),
                                new EncryptOperator(settings, rawTopic))
                        .uid(ENCRYPT);
        DataStream<DeadLetter> deadLetters =
                privates.getSideOutput(ValidateImagesFunction.DEAD_LETTERS)
                        .union(
                                pool.getSideOutput(ValidateImagesFunction.DEAD_LETTERS),
                                encrypted.getSideOutput(EncryptOperator.DEAD_LETTERS));
        return new Outputs(
                encrypted, deadLetters, encrypted.getSideOutput(EncryptOperator.KEY_ESCROW));
    }
}
