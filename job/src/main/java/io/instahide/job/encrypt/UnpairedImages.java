package io.instahide.job.encrypt;

import io.instahide.connectors.kafka.serde.DeadLetterFactory;
import io.instahide.core.ImageShape;
import io.instahide.core.image.ImageFitting;
import io.instahide.job.functions.PrivateImage;
import io.instahide.schemas.DeadLetter;
import io.instahide.schemas.DeadLetterReason;
import io.instahide.schemas.ImageEncoding;
import io.instahide.schemas.ImageRecord;
import io.instahide.schemas.codec.SingleObjectCodec;

import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * Dead letters of validated images that could not get partners. The payload is an {@link
 * ImageRecord} (RAW_U8, the stream's shape, the label) that can be re-published to the raw topic as
 * it is; device id and capture time were not kept past validation.
 */
final class UnpairedImages {

    private final ImageShape shape;
    private final String topic;
    private final SingleObjectCodec<ImageRecord> codec = SingleObjectCodec.imageRecords();

    UnpairedImages(ImageShape shape, String topic) {
        this.shape = shape;
        this.topic = topic;
    }

    DeadLetter toDeadLetter(PrivateImage image, String message) {
        ImageRecord record =
                ImageRecord.newBuilder()
                        .setDeviceId("")
                        .setCaptureTime(Instant.EPOCH)
                        .setLabel(image.label < 0 ? null : image.label)
                        .setWidth(shape.width())
                        .setHeight(shape.height())
                        .setChannels(shape.channels())
                        .setEncoding(ImageEncoding.RAW_U8)
                        .setPixels(
                                ByteBuffer.wrap(
                                        ImageFitting.chwToHwc(image.pixels, shape.channels())))
                        .build();
        return DeadLetterFactory.unpositioned(
                topic, codec.encode(record), DeadLetterReason.NO_PARTNERS, message);
    }
}
