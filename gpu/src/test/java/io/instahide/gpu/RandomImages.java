package io.instahide.gpu;

import io.instahide.core.ImageShape;
import io.instahide.core.Normalizer;
import io.instahide.core.U8ImageList;

import java.util.SplittableRandom;

/**
 * Random pixel images (uniform bytes: every table entry used, no structure) and the schemes the GPU
 * tests mix them with.
 */
public final class RandomImages {

    private RandomImages() {}

    /** {@code n} random images with ids {@code firstId..} and labels {@code i % 10}. */
    public static U8ImageList list(
            ImageShape shape, Normalizer normalizer, int n, SplittableRandom random, long firstId) {
        U8ImageList list = new U8ImageList(shape, normalizer, Math.max(1, n));
        for (int i = 0; i < n; i++) {
            list.add(firstId + i, i % 10, image(shape, random));
        }
        return list;
    }

    public static byte[] image(ImageShape shape, SplittableRandom random) {
        byte[] image = new byte[shape.size()];
        for (int i = 0; i < image.length; i += 8) {
            long bits = random.nextLong();
            for (int b = 0; b < 8 && i + b < image.length; b++) {
                image[i + b] = (byte) (bits >>> (8 * b));
            }
        }
        return image;
    }
}
