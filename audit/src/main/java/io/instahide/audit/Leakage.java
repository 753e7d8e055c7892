package io.instahide.audit;

import io.instahide.core.ImageShape;
import io.instahide.core.Normalizer;
import io.instahide.core.U8ImageList;

import java.util.Arrays;

/**
 * How much of the private images an attack recovered, scored as the InstaHide challenge was: SSIM
 * in [0, 1] pixel space between each private image and its reconstruction, then the mean and the
 * maximum over the private images. An image that no group is scored against counts as SSIM 0. Under
 * the sign mask, negating a colour channel of every image leaves every |encryption| unchanged, so
 * the attack cannot know the channels' signs: each channel of a reconstruction is scored as the
 * better of itself and its negative (an attacker would pick the natural-looking combination).
 *
 * @param perImage the best SSIM of each private image (0 if it has no reconstruction)
 * @param shown the [0, 1] pixels of that best reconstruction of each image, null if none
 */
public record Leakage(
        double[] perImage, double[][] shown, double mean, double max, int reconstructed) {

    public static Leakage score(AuditImages images, Reconstruction attack, boolean signAmbiguous) {
        U8ImageList privates = images.privates();
        ImageShape shape = images.shape();
        Normalizer normalizer = images.privateNormalizer();
        double[] best = new double[privates.size()];
        double[][] shown = new double[privates.size()][];
        boolean[] seen = new boolean[privates.size()];
        float[] original = new float[shape.size()];
        for (int g = 0; g < attack.images().length; g++) {
            int truth = attack.truth()[g];
            if (truth < 0) {
                continue;
            }
            privates.copyNormalized(truth, original, 0);
            double[] x = pixels(toDouble(original), shape, normalizer, 1);
            double[] candidate = pixels(attack.images()[g], shape, normalizer, 1);
            if (signAmbiguous) {
                chooseSigns(x, candidate, pixels(attack.images()[g], shape, normalizer, -1), shape);
            }
            double ssim = ssim(x, candidate, shape);
            if (!seen[truth] || ssim > best[truth]) {
                best[truth] = ssim;
                shown[truth] = candidate;
            }
            seen[truth] = true;
        }
        int reconstructed = 0;
        for (int i = 0; i < best.length; i++) {
            best[i] = seen[i] ? Math.max(0, best[i]) : 0;
            reconstructed += seen[i] ? 1 : 0;
        }
        return new Leakage(
                best,
                shown,
                Arrays.stream(best).average().orElse(0),
                Arrays.stream(best).max().orElse(0),
                reconstructed);
    }

    /**
     * Normalised values (times {@code sign}) back to [0, 1] pixel values, clamped: what a viewer of
     * the reconstruction sees.
     */
    public static double[] pixels(
            double[] normalised, ImageShape shape, Normalizer normalizer, int sign) {
        int plane = shape.height() * shape.width();
        double[] out = new double[normalised.length];
        for (int p = 0; p < out.length; p++) {
            int c = p / plane;
            double v =
                    normalizer.isSymmetric()
                            ? (sign * normalised[p] + 1) / 2
                            : sign * normalised[p] * normalizer.std()[c] + normalizer.mean()[c];
            out[p] = Math.min(1, Math.max(0, v));
        }
        return out;
    }

    /**
     * Replaces each channel of {@code positive} by that of {@code negative} where it fits better.
     */
    private static void chooseSigns(
            double[] original, double[] positive, double[] negative, ImageShape shape) {
        int plane = shape.height() * shape.width();
        ImageShape channel = new ImageShape(1, shape.height(), shape.width());
        for (int c = 0; c < shape.channels(); c++) {
            int from = c * plane;
            double[] x = Arrays.copyOfRange(original, from, from + plane);
            double plus = ssim(x, Arrays.copyOfRange(positive, from, from + plane), channel);
            double minus = ssim(x, Arrays.copyOfRange(negative, from, from + plane), channel);
            if (minus > plus) {
                System.arraycopy(negative, from, positive, from, plane);
            }
        }
    }

    static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int p = 0; p < out.length; p++) {
            out[p] = values[p];
        }
        return out;
    }

    private static double ssim(double[] a, double[] b, ImageShape shape) {
        return ImageSimilarity.ssim(a, b, shape.channels(), shape.height(), shape.width(), 1.0);
    }
}
