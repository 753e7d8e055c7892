package io.instahide.clients.image;

import io.instahide.core.ImageShape;
import io.instahide.core.image.ImageFitting;
import io.instahide.schemas.DeadLetterReason;
import io.instahide.schemas.ImageEncoding;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadProgressListener;
import javax.imageio.stream.ImageInputStream;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;

/**
 * Turns an image as published (RAW_U8 interleaved HWC, PNG or JPEG) into CHW bytes of the stream's
 * shape, or says precisely why it cannot: declared or encoded size over the limit, wrong channels
 * or size, undecodable bytes, decoding too slow. Hostile input (a header declaring a huge image, a
 * decompression bomb, a decoder error) ends as a reason, never as an allocation or a failure.
 * PNG/JPEG images of another size are resized (shorter side to the target, then centre-cropped)
 * when {@code resize} is on.
 */
public final class ImageDecoder implements Serializable {

    private static final long serialVersionUID = 1L;

    private final ImageShape shape;
    private final boolean resize;
    private final int maxEncodedBytes;
    private final long maxDeclaredPixels;
    private final Duration maxDecodeTime;

    public ImageDecoder(
            ImageShape shape,
            boolean resize,
            int maxEncodedBytes,
            long maxDeclaredPixels,
            Duration maxDecodeTime) {
        if (shape.channels() != 1 && shape.channels() != 3) {
            throw new IllegalArgumentException(
                    "Images must have 1 or 3 channels, the stream shape is " + shape);
        }
        this.shape = shape;
        this.resize = resize;
        this.maxEncodedBytes = maxEncodedBytes;
        this.maxDeclaredPixels = maxDeclaredPixels;
        this.maxDecodeTime = maxDecodeTime;
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
        BufferedImage image = read(encoding, bytes);
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

    /**
     * Decodes PNG/JPEG bytes so that hostile ones cannot make it allocate or spin: the size the
     * encoded header declares (PNG IHDR, JPEG SOF) is checked against {@code image.max-pixels}
     * before any pixel is decoded, decoding is aborted after {@code image.max-decode-time}, and
     * whatever a decoder throws (errors included) is a dead letter, never a task failure.
     */
    private BufferedImage read(ImageEncoding encoding, byte[] bytes) throws InvalidImageException {
        try (ImageInputStream in =
                ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new InvalidImageException(
                        DeadLetterReason.UNDECODABLE_IMAGE,
                        encoding + " bytes are not a readable image");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long encodedWidth = reader.getWidth(0);
                long encodedHeight = reader.getHeight(0);
                if (encodedWidth < 1
                        || encodedHeight < 1
                        || encodedWidth * encodedHeight > maxDeclaredPixels) {
                    throw new InvalidImageException(
                            DeadLetterReason.OVERSIZED_IMAGE,
                            String.format(
                                    "The %s header declares %dx%d, outside 1..%d pixels"
                                            + " (image.max-pixels); refused before decoding",
                                    encoding, encodedWidth, encodedHeight, maxDeclaredPixels));
                }
                DecodeDeadline deadline = new DecodeDeadline(maxDecodeTime);
                reader.addIIOReadProgressListener(deadline);
                BufferedImage image = reader.read(0);
                if (deadline.aborted() || image == null) {
                    throw new InvalidImageException(
                            DeadLetterReason.UNDECODABLE_IMAGE,
                            String.format(
                                    "Decoding the %s image took longer than %d ms"
                                            + " (image.max-decode-time)",
                                    encoding, maxDecodeTime.toMillis()));
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException | OutOfMemoryError | StackOverflowError e) {
            throw new InvalidImageException(
                    DeadLetterReason.UNDECODABLE_IMAGE,
                    encoding + " bytes could not be decoded: " + e.getClass().getSimpleName());
        }
    }

    /** Aborts a read once its time is up (readers report progress as they decode). */
    private static final class DecodeDeadline implements IIOReadProgressListener {

        private final long deadline;
        private boolean aborted;

        DecodeDeadline(Duration limit) {
            this.deadline = System.nanoTime() + limit.toNanos();
        }

        boolean aborted() {
            return aborted;
        }

        private void check(ImageReader source) {
            if (System.nanoTime() - deadline > 0) {
                source.abort();
            }
        }

        @Override
        public void imageStarted(ImageReader source, int imageIndex) {
            check(source);
        }

        @Override
        public void imageProgress(ImageReader source, float percentageDone) {
            check(source);
        }

        @Override
        public void readAborted(ImageReader source) {
            aborted = true;
        }

        @Override
        public void sequenceStarted(ImageReader source, int minIndex) {}

        @Override
        public void sequenceComplete(ImageReader source) {}

        @Override
        public void imageComplete(ImageReader source) {}

        @Override
        public void thumbnailStarted(ImageReader source, int imageIndex, int thumbnailIndex) {}

        @Override
        public void thumbnailProgress(ImageReader source, float percentageDone) {}

        @Override
        public void thumbnailComplete(ImageReader source) {}
    }
}
