package io.instahide.core;

import java.util.random.RandomGenerator;

/**
 * Draws mixing coefficients exactly as the reference (spec 1.2): {@code g ~ N(0, I_k)}, {@code λ =
 * |g| / Σ|g|} (a normalised half-normal, not Dirichlet), redrawing all k values while {@code max λ
 * > upper} or, in cross-dataset mode, while the private slots' weight {@code Σ_{s<kPriv} λ_s <
 * dom}. Tests run in double precision; {@link #sample(RandomGenerator, float[], int)} then casts to
 * float32 as the reference does. For k = 1, λ = (1).
 *
 * <p>The sum is taken left to right, which is what NumPy's summation does for k ≤ 8; for larger k
 * NumPy switches to pairwise summation and the last bit of λ may differ (the distribution does
 * not).
 */
public final class CoefficientSampler {

    private final int k;
    private final int privateSlots;
    private final double upper;
    private final double dom;
    private final boolean crossDataset;
    private final double[] scratch;

    public CoefficientSampler(InstaHideParameters parameters) {
        this.k = parameters.k();
        this.privateSlots = parameters.privateSlots();
        this.upper = parameters.upper();
        this.dom = parameters.dom();
        this.crossDataset = parameters.crossDataset();
        this.scratch = new double[k];
    }

    /**
     * Fills {@code lambda[0, k)} in double precision.
     *
     * @return how many draws were rejected before this one was accepted
     */
    public int sample(RandomGenerator random, double[] lambda) {
        if (k == 1) {
            lambda[0] = 1.0;
            return 0;
        }
        int rejected = 0;
        while (true) {
            for (int s = 0; s < k; s++) {
                lambda[s] = random.nextGaussian();
            }
            if (normalizeAndAccept(lambda)) {
                return rejected;
            }
            rejected++;
        }
    }

    /** Fills {@code lambda[offset, offset+k)} with float32 coefficients. */
    public int sample(RandomGenerator random, float[] lambda, int offset) {
        int rejected = sample(random, scratch);
        for (int s = 0; s < k; s++) {
            lambda[offset + s] = (float) scratch[s];
        }
        return rejected;
    }

    private boolean normalizeAndAccept(double[] lambda) {
        double sum = 0.0;
        for (int s = 0; s < k; s++) {
            lambda[s] = Math.abs(lambda[s]);
            sum += lambda[s];
        }
        double max = 0.0;
        for (int s = 0; s < k; s++) {
            lambda[s] = lambda[s] / sum;
            max = Math.max(max, lambda[s]);
        }
        if (max > upper) {
            return false;
        }
        if (crossDataset) {
            double privateWeight = lambda[0];
            for (int s = 1; s < privateSlots; s++) {
                privateWeight += lambda[s];
            }
            return !(privateWeight < dom);
        }
        return true;
    }
}
