package io.instahide.core;

import java.io.Serializable;

/** Channels × height × width of every image of a stream; pixel data is channel-major (CHW). */
public record ImageShape(int channels, int height, int width) implements Serializable {

    public ImageShape {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException(
                    String.format(
                            "Image shape must be positive, got %dx%dx%d (channels x height x"
                                    + " width)",
                            channels, height, width));
        }
        if ((long) channels * height * width > Integer.MAX_VALUE / 4) {
            throw new IllegalArgumentException(
                    String.format(
                            "Image shape %dx%dx%d is too large for one float array",
                            channels, height, width));
        }
    }

    /** Parses {@code C x H x W}, e.g. {@code 3x32x32}. */
    public static ImageShape parse(String text) {
        String[] parts = text.trim().toLowerCase(java.util.Locale.ROOT).split("x");
        if (parts.length != 3) {
            throw new IllegalArgumentException(
                    "Image shape '" + text + "' must be CHANNELSxHEIGHTxWIDTH, e.g. 3x32x32");
        }
        try {
            return new ImageShape(
                    Integer.parseInt(parts[0].trim()),
                    Integer.parseInt(parts[1].trim()),
                    Integer.parseInt(parts[2].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "Image shape '" + text + "' must be CHANNELSxHEIGHTxWIDTH, e.g. 3x32x32", e);
        }
    }

    /** Values per image: channels · height · width. */
    public int size() {
        return channels * height * width;
    }

    /** Pixels per channel plane: height · width. */
    public int planeSize() {
        return height * width;
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }
}
