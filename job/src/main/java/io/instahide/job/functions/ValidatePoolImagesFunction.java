package io.instahide.job.functions;

import io.instahide.connectors.kafka.serde.PublicImageUpdate;
import io.instahide.schemas.DeadLetter;
import io.instahide.schemas.DeadLetterReason;
import io.instahide.schemas.PublicImage;
import io.instahide.schemas.codec.SingleObjectCodec;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;

import java.util.Map;

/** Routes public-pool updates: valid puts and removals go on, invalid images are dead-lettered. */
public final class ValidatePoolImagesFunction
        extends ProcessFunction<Either<DeadLetter, PublicImageUpdate>, PoolImage> {

    private final ImageDecoder decoder;
    private final String topic;
    private transient Map<DeadLetterReason, Counter> deadLettered;
    private transient SingleObjectCodec<PublicImage> codec;

    public ValidatePoolImagesFunction(ImageDecoder decoder, String topic) {
        this.decoder = decoder;
        this.topic = topic;
    }

    @Override
    public void open(OpenContext context) {
        deadLettered = DeadLetterMetrics.register(getRuntimeContext().getMetricGroup());
        codec = SingleObjectCodec.publicImages();
    }

    @Override
    public void processElement(
            Either<DeadLetter, PublicImageUpdate> input, Context ctx, Collector<PoolImage> out) {
        if (input.isLeft()) {
            deadLettered.get(input.left().getReason()).inc();
            ctx.output(ValidateImagesFunction.DEAD_LETTERS, input.left());
            return;
        }
        PublicImageUpdate update = input.right();
        if (update.isRemoval()) {
            out.collect(new PoolImage(update.id, null));
            return;
        }
        PublicImage image = update.image;
        try {
            byte[] chw =
                    decoder.decode(
                            image.getEncoding(),
                            image.getWidth(),
                            image.getHeight(),
                            image.getChannels(),
                            image.getPixels());
            out.collect(new PoolImage(update.id, chw));
        } catch (InvalidImageException e) {
            deadLettered.get(e.reason()).inc();
            ctx.output(
                    ValidateImagesFunction.DEAD_LETTERS,
                    e.toDeadLetter(
                            topic, codec.encode(image), "Public image " + image.getId() + ": "));
        }
    }
}
