package io.instahide.job.functions;

import io.instahide.core.ImageShape;
import io.instahide.schemas.DeadLetterReason;
import io.instahide.schemas.ImageEncoding;
import io.instahide.schemas.image.ImageFitting;

import javax.imageio.ImageIO;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;

/**
 * Turns an image as published (RAW_U8 interleaved HWC, PNG or JPEG) into CHW bytes of the stream's
 * shape, or says precisely why it cannot: declared or encoded size over the limit, wrong channels
 * or size, undecodable bytes. PNG/JPEG images of another size are resized (shorter side to the
 * target, then centre-cropped) when {@code resize} is on.
 */
public final class ImageDecoder implements Serializable {

    private static final long serialVersionUID = 1L;

    private final ImageShape shape;
    private final boolean resize;
    private final int maxEncodedBytes;
    private final long maxDeclaredPixels;

    public ImageDecoder(
            ImageShape shape, boolean resize, int maxEncodedBytes, long maxDeclaredPixels) {
        if (shape.channels() != 1 && shape.channels() != 3) {
            throw new IllegalArgumentException(
                    "Images must have 1 or 3 channels, the stream shape is " + shape);
        }
        this.shape = shape;
        this.resize = resize;
        this.maxEncodedBytes = maxEncodedBytes;
        this.maxDeclaredPixels = maxDeclaredPixels;
    }

    /** Decodes {@code pixels} (consumed from its position) to CHW bytes of the stream's shape. */
    public byte[] decode(
            ImageEncoding encoding, int width, int height, int channels, ByteBuffer pixels)
            throws InvalidImageException {
        if (width < 1 || height < 1 || (long) width * height > maxDeclaredPixels) {
            throw new InvalidImageException(
                    DeadLetterReason.OVERSIZED_IMAGE,
                    String.format(
                            "Declared size %dx%d is outside 1..%d pixels",
                            width, height, maxDeclaredPixels));
        }
        if (pixels.remaining() > maxEncodedBytes) {
            throw new InvalidImageException(
                    DeadLetterReason.OVERSIZED_IMAGE,
                    "Image of "
                            + pixels.remaining()
                            + " bytes exceeds the limit of "
                            + maxEncodedBytes);
        }
        byte[] bytes = new byte[pixels.remaining()];
        pixels.duplicate().get(bytes);
        return encoding == ImageEncoding.RAW_U8
                ? fromRaw(bytes, width, height, channels)
                : fromEncoded(encoding, bytes, width, height);
    }

    private byte[] fromRaw(byte[] hwc, int width, int height, int channels)
            throws InvalidImageException {
        if (channels != shape.channels() || width != shape.width() || height != shape.height()) {
            throw new InvalidImageException(
                    DeadLetterReason.WRONG_SHAPE,
                    String.format(
                            "RAW_U8 image is %dx%dx%d (CxHxW), the stream expects %s",
                            channels, height, width, shape));
        }
        if (hwc.length != shape.size()) {
            throw new InvalidImageException(
                    DeadLetterReason.WRONG_SHAPE,
                    "RAW_U8 image declares "
                            + shape
                            + " but has "
                            + hwc.length
                            + " bytes, not "
                            + shape.size());
        }
        return ImageFitting.hwcToChw(hwc, shape.channels());
    }

    private byte[] fromEncoded(ImageEncoding encoding, byte[] bytes, int width, int height)
            throws InvalidImageException {
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            throw new InvalidImageException(
                    DeadLetterReason.UNDECODABLE_IMAGE,
                    encoding + " bytes could not be decoded: " + e.getClass().getSimpleName());
        }
        if (image == null) {
            throw new InvalidImageException(
                    DeadLetterReason.UNDECODABLE_IMAGE,
                    encoding + " bytes are not a readable image");
        }
        if ((long) image.getWidth() * image.getHeight() > maxDeclaredPixels) {
            throw new InvalidImageException(
                    DeadLetterReason.OVERSIZED_IMAGE,
                    "Decoded image is " + image.getWidth() + "x" + image.getHeight());
        }
        boolean grey = image.getColorModel().getNumColorComponents() == 1;
        if (grey != (shape.channels() == 1)) {
            throw new InvalidImageException(
                    DeadLetterReason.WRONG_SHAPE,
                    "Image has "
                            + (grey ? 1 : 3)
                            + " channel(s), the stream expects "
                            + shape.channels());
        }
        if ((image.getWidth() != shape.width() || image.getHeight() != shape.height()) && !resize) {
            throw new InvalidImageException(
                    DeadLetterReason.WRONG_SHAPE,
                    String.format(
                            "Image is %dx%d (WxH), the stream expects %dx%d; enable resizing"
                                    + " to accept other sizes",
                            image.getWidth(), image.getHeight(), shape.width(), shape.height()));
        }
        return ImageFitting.toChw(image, shape.channels(), shape.height(), shape.width());
    }
}
