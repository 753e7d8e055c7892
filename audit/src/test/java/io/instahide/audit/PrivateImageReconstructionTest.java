package io.instahide.audit;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reconstruction on small synthetic mixtures (inside-dataset k = 4, every image in slot 0 of T
 * encryptions, partners drawn at random, coefficients a normalised half-normal as in the scheme),
 * with the oracle grouping.
 */
class PrivateImageReconstructionTest {

    private static final int IMAGES = 24;
    private static final int SIDE = 12;
    private static final int SIZE = SIDE * SIDE;
    private static final int K = 4;

    @Test
    void mixupWithoutTheMaskIsInvertedExactly() {
        Random random = new Random(11);
        double[][] originals = SyntheticImages.smooth(IMAGES, SIDE, random);
        List<Observation> observations = mix(originals, 6, false, random);
        PrivateImageReconstruction attack = new PrivateImageReconstruction(IMAGES, SIZE, false);

        double[][] recovered = attack.fit(observations, 400, 0.05);

        for (int i = 0; i < IMAGES; i++) {
            assertThat(ImageSimilarity.ssim(recovered[i], originals[i], 1, SIDE, SIDE, 2))
                    .as("SSIM of image %d", i)
                    .isGreaterThan(0.99);
        }
    }

    @Test
    void withTheMaskTheFitMatchesTheAbsoluteValues() {
        // Fitting |e| is easy; whether that recovers the images depends on the data (on these
        // zero-mean synthetic images it barely does): the audit report measures it, on real images.
        Random random = new Random(12);
        double[][] originals = SyntheticImages.smooth(IMAGES, SIDE, random);
        List<Observation> observations = mix(originals, 10, true, random);
        PrivateImageReconstruction attack = new PrivateImageReconstruction(IMAGES, SIZE, true);
        double[][] start = attack.fit(observations, 0, 0.05);

        double[][] recovered = attack.fit(observations, 600, 0.05);

        assertThat(attack.loss(observations, recovered))
                .isLessThan(attack.loss(observations, start) / 10);
        assertThat(meanSsimUpToSign(recovered, originals))
                .isGreaterThan(meanSsimUpToSign(start, originals));
    }

    /** T encryptions with each image in slot 0: k = 4 distinct images, λ = |g| / Σ|g|. */
    private static List<Observation> mix(
            double[][] originals, int t, boolean masked, Random random) {
        List<Observation> observations = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) {
            for (int e = 0; e < t; e++) {
                int[] ids = new int[K];
                ids[0] = i;
                for (int s = 1; s < K; s++) {
                    int candidate;
                    do {
                        candidate = random.nextInt(IMAGES);
                    } while (contains(ids, s, candidate));
                    ids[s] = candidate;
                }
                double[] lambdas = SyntheticImages.halfNormal(K, random);
                double[][] parts = new double[K][];
                for (int s = 0; s < K; s++) {
                    parts[s] = originals[ids[s]];
                }
                float[] pixels = SyntheticImages.mix(parts, lambdas, masked, random);
                observations.add(new Observation(pixels, ids, lambdas));
            }
        }
        return observations;
    }

    private static boolean contains(int[] ids, int count, int candidate) {
        for (int s = 0; s < count; s++) {
            if (ids[s] == candidate) {
                return true;
            }
        }
        return false;
    }

    private static double meanSsimUpToSign(double[][] recovered, double[][] originals) {
        double sum = 0;
        for (int i = 0; i < IMAGES; i++) {
            double[] negative = new double[SIZE];
            for (int p = 0; p < SIZE; p++) {
                negative[p] = -recovered[i][p];
            }
            sum +=
                    Math.max(
                            ImageSimilarity.ssim(recovered[i], originals[i], 1, SIDE, SIDE, 2),
                            ImageSimilarity.ssim(negative, originals[i], 1, SIDE, SIDE, 2));
        }
        return sum / IMAGES;
    }
}
