package io.instahide.job.functions;

import io.instahide.clients.image.ImageDecoder;
import io.instahide.clients.image.InvalidImageException;
import io.instahide.connectors.kafka.serde.DeadLetterFactory;
import io.instahide.connectors.kafka.serde.PublicImageUpdate;
import io.instahide.connectors.kafka.serde.Received;
import io.instahide.schemas.DeadLetter;
import io.instahide.schemas.PublicImage;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;

/** Routes public-pool updates: valid puts and removals go on, invalid images are dead-lettered. */
public final class ValidatePoolImagesFunction
        extends ProcessFunction<Either<DeadLetter, Received<PublicImageUpdate>>, PoolImage> {

    private final ImageDecoder decoder;
    private transient DeadLetters deadLetters;

    public ValidatePoolImagesFunction(ImageDecoder decoder) {
        this.decoder = decoder;
    }

    @Override
    public void open(OpenContext context) {
        deadLetters = DeadLetters.register(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(
            Either<DeadLetter, Received<PublicImageUpdate>> input,
            Context ctx,
            Collector<PoolImage> out) {
        if (input.isLeft()) {
            ctx.output(DeadLetters.TAG, deadLetters.counted(input.left()));
            return;
        }
        PublicImageUpdate update = input.right().value;
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
            ctx.output(
                    DeadLetters.TAG,
                    deadLetters.counted(
                            DeadLetterFactory.of(
                                    input.right(),
                                    e.reason(),
                                    "Public image " + image.getId() + ": " + e.getMessage())));
        }
    }
}
