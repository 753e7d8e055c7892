package io.instahide.job.functions;

import io.instahide.clients.image.ImageDecoder;
import io.instahide.clients.image.InvalidImageException;
import io.instahide.connectors.kafka.serde.DeadLetterFactory;
import io.instahide.connectors.kafka.serde.Received;
import io.instahide.schemas.DeadLetter;
import io.instahide.schemas.DeadLetterReason;
import io.instahide.schemas.ImageRecord;
import io.instahide.schemas.codec.ImageSourceId;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.security.SecureRandom;
import java.util.SplittableRandom;

/**
 * Routes decoded private images: valid ones become {@link PrivateImage} (CHW bytes of the stream's
 * shape, label checked, an id assigned here once), decode failures from the source and invalid
 * images go to {@link DeadLetters#TAG} with a reason and the record's provenance, counted per
 * reason.
 */
public final class ValidateImagesFunction
        extends ProcessFunction<Either<DeadLetter, Received<ImageRecord>>, PrivateImage> {

    /** The pipeline's dead letters (one side output for every operator). */
    public static final OutputTag<DeadLetter> DEAD_LETTERS = DeadLetters.TAG;

    private final ImageDecoder decoder;
    private final int classes;
    private final boolean sourceIds;
    private transient DeadLetters deadLetters;
    private transient Counter validated;
    private transient SplittableRandom ids;

    /**
     * @param classes labels must lie in [0, classes); 0 accepts only unlabelled images
     * @param sourceIds name each image by the {@link ImageSourceId} of the bytes received (for key
     *     escrow only); otherwise by a random id that says nothing about it
     */
    public ValidateImagesFunction(ImageDecoder decoder, int classes, boolean sourceIds) {
        this.decoder = decoder;
        this.classes = classes;
        this.sourceIds = sourceIds;
    }

    @Override
    public void open(OpenContext context) {
        deadLetters = DeadLetters.register(getRuntimeContext().getMetricGroup());
        validated = getRuntimeContext().getMetricGroup().addGroup("instahide").counter("validated");
        ids = new SplittableRandom(new SecureRandom().nextLong());
    }

    @Override
    public void processElement(
            Either<DeadLetter, Received<ImageRecord>> input,
            Context ctx,
            Collector<PrivateImage> out) {
        if (input.isLeft()) {
            ctx.output(DEAD_LETTERS, deadLetters.counted(input.left()));
            return;
        }
        Received<ImageRecord> received = input.right();
        ImageRecord record = received.value;
        try {
            int label = checkLabel(record.getLabel());
            byte[] chw =
                    decoder.decode(
                            record.getEncoding(),
                            record.getWidth(),
                            record.getHeight(),
                            record.getChannels(),
                            record.getPixels());
            validated.inc();
            long id = sourceIds ? ImageSourceId.of(received.bytes) : ids.nextLong();
            out.collect(new PrivateImage(chw, label, id));
        } catch (InvalidImageException e) {
            ctx.output(
                    DEAD_LETTERS,
                    deadLetters.counted(
                            DeadLetterFactory.of(received, e.reason(), e.getMessage())));
        }
    }

    private int checkLabel(Integer label) throws InvalidImageException {
        if (classes == 0) {
            return -1;
        }
        if (label == null || label < 0 || label >= classes) {
            throw new InvalidImageException(
                    DeadLetterReason.INVALID_LABEL,
                    "Label " + label + " is not a class index in [0, " + classes + ")");
        }
        return label;
    }
}
