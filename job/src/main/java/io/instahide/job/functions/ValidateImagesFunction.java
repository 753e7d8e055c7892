package io.instahide.job.functions;

import io.instahide.schemas.DeadLetter;
import io.instahide.schemas.DeadLetterReason;
import io.instahide.schemas.ImageRecord;
import io.instahide.schemas.codec.ImageSourceId;
import io.instahide.schemas.codec.SingleObjectCodec;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.util.Map;

/**
 * Routes decoded private images: valid ones become {@link PrivateImage} (CHW bytes of the stream's
 * shape, label checked), decode failures from the source and invalid images go to {@link
 * #DEAD_LETTERS} with a reason, counted per reason in {@code instahide.deadLetters.<REASON>}.
 */
public final class ValidateImagesFunction
        extends ProcessFunction<Either<DeadLetter, ImageRecord>, PrivateImage> {

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", new AvroTypeInfo<>(DeadLetter.class));

    private final ImageDecoder decoder;
    private final int classes;
    private final String topic;
    private final boolean sourceIds;
    private transient Map<DeadLetterReason, Counter> deadLettered;
    private transient Counter validated;
    private transient SingleObjectCodec<ImageRecord> codec;

    /**
     * @param classes labels must lie in [0, classes); 0 accepts only unlabelled images
     * @param topic the source topic, named in dead letters of images that decoded but were invalid
     * @param sourceIds give each image its {@link ImageSourceId} (for key escrow only)
     */
    public ValidateImagesFunction(
            ImageDecoder decoder, int classes, String topic, boolean sourceIds) {
        this.decoder = decoder;
        this.classes = classes;
        this.topic = topic;
        this.sourceIds = sourceIds;
    }

    @Override
    public void open(OpenContext context) {
        deadLettered = DeadLetterMetrics.register(getRuntimeContext().getMetricGroup());
        validated = getRuntimeContext().getMetricGroup().addGroup("instahide").counter("validated");
        codec = SingleObjectCodec.imageRecords();
    }

    @Override
    public void processElement(
            Either<DeadLetter, ImageRecord> input, Context ctx, Collector<PrivateImage> out) {
        if (input.isLeft()) {
            deadLettered.get(input.left().getReason()).inc();
            ctx.output(DEAD_LETTERS, input.left());
            return;
        }
        ImageRecord record = input.right();
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
            long id = sourceIds ? ImageSourceId.of(codec.encode(record)) : 0;
            out.collect(new PrivateImage(chw, label, id));
        } catch (InvalidImageException e) {
            deadLettered.get(e.reason()).inc();
            ctx.output(DEAD_LETTERS, e.toDeadLetter(topic, codec.encode(record), ""));
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
