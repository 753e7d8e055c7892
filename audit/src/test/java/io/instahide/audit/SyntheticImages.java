package io.instahide.audit;

import io.instahide.core.ImageSet;
import io.instahide.core.ImageShape;
import io.instahide.core.Normalizer;
import io.instahide.core.U8ImageList;

import java.util.Random;

/** Small synthetic images and InstaHide-like mixtures of them, for the attack tests. */
final class SyntheticImages {

    private SyntheticImages() {}

    /** Smooth random images in about [-1, 1]: a random wave plus a little noise. */
    static double[][] smooth(int count, int side, Random random) {
        double[][] images = new double[count][side * side];
        for (double[] image : images) {
            double fx = 0.2 + random.nextDouble();
            double fy = 0.2 + random.nextDouble();
            double phase = random.nextDouble() * 6;
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    image[y * side + x] =
                            0.6 * Math.sin(fx * x + phase) * Math.cos(fy * y)
                                    + 0.3 * (random.nextDouble() * 2 - 1);
                }
            }
        }
        return images;
    }

    /**
     * {@link #smooth} images as bytes (symmetric normalisation): {@code n} private, {@code
     * poolSize} public.
     */
    static AuditImages auditImages(int n, int poolSize, int side, Random random) {
        ImageShape shape = new ImageShape(1, side, side);
        U8ImageList privates = new U8ImageList(shape, Normalizer.symmetric(), n);
        double[][] images = smooth(n + poolSize, side, random);
        for (int i = 0; i < n; i++) {
            privates.add(i, ImageSet.NO_LABEL, bytes(images[i]));
        }
        U8ImageList pool = new U8ImageList(shape, Normalizer.symmetric(), poolSize);
        for (int i = 0; i < poolSize; i++) {
            pool.add(AuditImages.POOL_ID_BASE + i, ImageSet.NO_LABEL, bytes(images[n + i]));
        }
        return new AuditImages(
                "synthetic", privates, Normalizer.symmetric(), pool, Normalizer.symmetric());
    }

    private static byte[] bytes(double[] image) {
        byte[] bytes = new byte[image.length];
        for (int p = 0; p < image.length; p++) {
            bytes[p] = (byte) Math.max(0, Math.min(255, Math.round((image[p] + 1) * 127.5)));
        }
        return bytes;
    }

    /**
     * Cross-dataset k = 6 with 2 private slots, masked: private image {@code self}, one other
     * private image, four public ones; λ a normalised half-normal, redrawn while max λ > 0.65 or
     * the private weight is below 0.3 (the scheme's defaults).
     */
    static float[] crossMix(double[][] privates, double[][] pool, int self, Random random) {
        double[] lambda;
        do {
            lambda = halfNormal(6, random);
        } while (max(lambda) > 0.65 || lambda[0] + lambda[1] < 0.3);
        int partner;
        do {
            partner = random.nextInt(privates.length);
        } while (partner == self);
        double[][] parts = {
            privates[self],
            privates[partner],
            pool[random.nextInt(pool.length)],
            pool[random.nextInt(pool.length)],
            pool[random.nextInt(pool.length)],
            pool[random.nextInt(pool.length)]
        };
        return mix(parts, lambda, true, random);
    }

    /** λ = |g| / Σ|g| for k standard normal draws g: the scheme's coefficient distribution. */
    static double[] halfNormal(int k, Random random) {
        double[] lambda = new double[k];
        double total = 0;
        for (int s = 0; s < k; s++) {
            lambda[s] = Math.abs(random.nextGaussian());
            total += lambda[s];
        }
        for (int s = 0; s < k; s++) {
            lambda[s] /= total;
        }
        return lambda;
    }

    /** Σ λ_s · parts[s] in float32, then (if masked) every value's sign flipped by a coin. */
    static float[] mix(double[][] parts, double[] lambda, boolean masked, Random random) {
        int size = parts[0].length;
        float[] pixels = new float[size];
        for (int s = 0; s < parts.length; s++) {
            for (int p = 0; p < size; p++) {
                pixels[p] += (float) (lambda[s] * parts[s][p]);
            }
        }
        for (int p = 0; p < size && masked; p++) {
            pixels[p] = random.nextBoolean() ? pixels[p] : -pixels[p];
        }
        return pixels;
    }

    private static double max(double[] values) {
        double max = values[0];
        for (double v : values) {
            max = Math.max(max, v);
        }
        return max;
    }
}
