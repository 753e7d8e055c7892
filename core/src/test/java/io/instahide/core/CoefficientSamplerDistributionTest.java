package io.instahide.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The production sampler on the production generator ({@link KeyStreamRandom} seeded by the OS)
 * against the distribution table of spec section 5, measured there from 2·10⁶ reference draws, and
 * the invariants every accepted row must satisfy.
 */
class CoefficientSamplerDistributionTest {

    private static final int DRAWS = 100_000;

    @ParameterizedTest(name = "k={0}")
    @CsvSource({
        // k, accept/draw, E[λ], sd[λ], E[max λ]
        "2, 0.3711, 0.5, 0.0856, 0.574",
        "3, 0.7578, 0.333333333, 0.1617, 0.5085",
        "4, 0.9281, 0.25, 0.1522, 0.4498",
        "8, 0.99987, 0.125, 0.0891, 0.2841",
    })
    void insideModeMatchesReferenceDistribution(
            int k, double accept, double mean, double sd, double meanMax) {
        InstaHideParameters parameters = InstaHideParameters.inside(k, 0.65);
        Draws draws = draw(parameters);

        StatBounds.assertProportion("k=" + k + " acceptance", DRAWS, draws.attempts, accept, 5e-5);
        StatBounds.assertMean("k=" + k + " λ0", draws.slots[0], mean, 5e-5);
        StatBounds.assertMean("k=" + k + " λ(k-1)", draws.slots[k - 1], mean, 5e-5);
        StatBounds.assertSd("k=" + k + " λ0", draws.slots[0], sd, 5e-5);
        StatBounds.assertSd("k=" + k + " λ(k-1)", draws.slots[k - 1], sd, 5e-5);
        StatBounds.assertMean("k=" + k + " max λ", draws.max, meanMax, 5e-4);
    }

    @Test
    void crossModeMatchesReferenceDistribution() {
        InstaHideParameters parameters = InstaHideParameters.cross(6, 2, 0.65, 0.3);
        Draws draws = draw(parameters);

        StatBounds.assertProportion("cross acceptance", DRAWS, draws.attempts, 0.5636, 5e-5);
        StatBounds.assertMean("cross private λ0", draws.slots[0], 0.2177, 5e-5);
        StatBounds.assertMean("cross private λ1", draws.slots[1], 0.2177, 5e-5);
        StatBounds.assertMean("cross public λ2", draws.slots[2], 0.1412, 5e-5);
        StatBounds.assertMean("cross public λ5", draws.slots[5], 0.1412, 5e-5);
        StatBounds.assertSd("cross private λ0", draws.slots[0], 0.118, 5e-4);
        StatBounds.assertSd("cross public λ5", draws.slots[5], 0.0997, 5e-5);
        StatBounds.assertMean("cross max λ", draws.max, 0.3420, 5e-5);
        StatBounds.assertMean("cross private weight", draws.privateWeight, 0.4352, 5e-5);
    }

    @Test
    void kOneIsTheIdentity() {
        CoefficientSampler sampler = new CoefficientSampler(InstaHideParameters.inside(1, 0.65));
        double[] lambda = new double[1];

        int rejected = sampler.sample(KeyStreamRandom.fromOsEntropy(), lambda);

        assertThat(lambda[0]).isEqualTo(1.0);
        assertThat(rejected).isZero();
    }

    /** Draws {@link #DRAWS} rows, asserting the per-row invariants of spec section 5 on each. */
    private static Draws draw(InstaHideParameters parameters) {
        int k = parameters.k();
        CoefficientSampler sampler = new CoefficientSampler(parameters);
        KeyStreamRandom random = KeyStreamRandom.fromOsEntropy();
        Draws draws = new Draws(k);
        double[] lambda = new double[k];
        for (int i = 0; i < DRAWS; i++) {
            draws.attempts += 1 + sampler.sample(random, lambda);
            double sum = 0;
            double max = 0;
            double privateWeight = 0;
            for (int s = 0; s < k; s++) {
                draws.slots[s].add(lambda[s]);
                sum += lambda[s];
                max = Math.max(max, lambda[s]);
                privateWeight += s < parameters.privateSlots() ? lambda[s] : 0;
                assertThat(lambda[s]).isGreaterThanOrEqualTo(0.0);
            }
            assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
            assertThat(max).isLessThanOrEqualTo(parameters.upper());
            if (parameters.crossDataset()) {
                assertThat(privateWeight).isGreaterThanOrEqualTo(parameters.dom());
            }
            draws.max.add(max);
            draws.privateWeight.add(privateWeight);
        }
        return draws;
    }

    private static final class Draws {
        final StatBounds.Moments[] slots;
        final StatBounds.Moments max = new StatBounds.Moments();
        final StatBounds.Moments privateWeight = new StatBounds.Moments();
        long attempts;

        Draws(int k) {
            slots = new StatBounds.Moments[k];
            for (int s = 0; s < k; s++) {
                slots[s] = new StatBounds.Moments();
            }
        }
    }
}
