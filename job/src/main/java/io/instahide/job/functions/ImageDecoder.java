package io.instahide.job.functions;

import io.instahide.core.ImageShape;
import io.instahide.schemas.DeadLetterReason;
import io.instahide.schemas.ImageEncoding;

import javax.imageio.ImageIO;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
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
        int plane = shape.planeSize();
        int c = shape.channels();
        byte[] chw = new byte[hwc.length];
        for (int p = 0; p < plane; p++) {
            for (int ch = 0; ch < c; ch++) {
                chw[ch * plane + p] = hwc[p * c + ch];
            }
        }
        return chw;
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
        if (image.getWidth() != shape.width() || image.getHeight() != shape.height()) {
            if (!resize) {
                throw new InvalidImageException(
                        DeadLetterReason.WRONG_SHAPE,
                        String.format(
                                "Image is %dx%d (WxH), the stream expects %dx%d; enable resizing"
                                        + " to accept other sizes",
                                image.getWidth(),
                                image.getHeight(),
                                shape.width(),
                                shape.height()));
            }
            image = resizeAndCrop(image);
        }
        return toChw(image);
    }

    private BufferedImage resizeAndCrop(BufferedImage source) {
        double scale =
                Math.max(
                        (double) shape.width() / source.getWidth(),
                        (double) shape.height() / source.getHeight());
        int scaledWidth = Math.max(shape.width(), (int) Math.round(source.getWidth() * scale));
        int scaledHeight = Math.max(shape.height(), (int) Math.round(source.getHeight() * scale));
        BufferedImage target =
                new BufferedImage(
                        shape.width(),
                        shape.height(),
                        shape.channels() == 1
                                ? BufferedImage.TYPE_BYTE_GRAY
                                : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = target.createGraphics();
        g.setRenderingHint(
                RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(
                source,
                -(scaledWidth - shape.width()) / 2,
                -(scaledHeight - shape.height()) / 2,
                scaledWidth,
                scaledHeight,
                null);
        g.dispose();
        return target;
    }

    private byte[] toChw(BufferedImage image) {
        int plane = shape.planeSize();
        byte[] chw = new byte[shape.size()];
        for (int y = 0; y < shape.height(); y++) {
            for (int x = 0; x < shape.width(); x++) {
                int p = y * shape.width() + x;
                if (shape.channels() == 1) {
                    chw[p] = (byte) image.getRaster().getSample(x, y, 0);
                } else {
                    int rgb = image.getRGB(x, y);
                    chw[p] = (byte) (rgb >>> 16);
                    chw[plane + p] = (byte) (rgb >>> 8);
                    chw[2 * plane + p] = (byte) rgb;
                }
            }
        }
        return chw;
    }
}
