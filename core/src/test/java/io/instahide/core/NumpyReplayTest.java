package io.instahide.core;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The coefficient sampler's rejection loop interleaves with the random stream exactly like the
 * reference: fed NumPy's own Gaussian stream (replayed), it reproduces the reference's λ rows, in
 * float64 and float32, and its redraw counts.
 */
class NumpyReplayTest {

    private static final JsonNode REPLAY = ReferenceVectors.block("lambda_sampler_numpy_replay");

    @Test
    void replayPinsTheGenerator() {
        TestingNumpyRandomState u32 = new TestingNumpyRandomState(0);
        for (double expected : ReferenceVectors.doubles(REPLAY.get("seed0_first4_u32"))) {
            assertThat(u32.nextUint32()).isEqualTo((long) expected);
        }
        TestingNumpyRandomState doubles = new TestingNumpyRandomState(0);
        for (double expected : ReferenceVectors.doubles(REPLAY.get("seed0_first2_double"))) {
            assertThat(doubles.nextDouble()).isEqualTo(expected);
        }
        TestingNumpyRandomState gauss = new TestingNumpyRandomState(0);
        for (double expected : ReferenceVectors.doubles(REPLAY.get("seed0_first8_gauss"))) {
            assertThat(gauss.nextGaussian()).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"inside_k2", "inside_k4", "cross_k6"})
    void samplerReproducesReferenceRowsAndRedraws(String name) {
        JsonNode block = REPLAY.get(name);
        int n = block.get("n").asInt();
        int k = block.get("k").asInt();
        double upper = block.get("upper").asDouble();
        InstaHideParameters parameters =
                block.get("dom").isNull()
                        ? InstaHideParameters.inside(k, upper)
                        : InstaHideParameters.cross(k, 2, upper, block.get("dom").asDouble());
        double[] expected64 = ReferenceVectors.doubles(block.get("lams_f64"));
        float[] expected32 = ReferenceVectors.floats(block.get("lams_f32"));
        int[] expectedRedraws = ReferenceVectors.ints(block.get("redraws"));

        // The reference draws an n-by-k block of normals in one call, then redraws per row.
        TestingNumpyRandomState state = new TestingNumpyRandomState(block.get("seed").asLong());
        double[] firstDraws = new double[n * k];
        for (int i = 0; i < firstDraws.length; i++) {
            firstDraws[i] = state.nextGaussian();
        }
        CoefficientSampler sampler = new CoefficientSampler(parameters);
        int totalRedraws = 0;
        for (int row = 0; row < n; row++) {
            RowReplay replay32 = new RowReplay(firstDraws, row * k, k, state.copy());
            float[] lambda32 = new float[k];
            sampler.sample(replay32, lambda32, 0);

            RowReplay replay = new RowReplay(firstDraws, row * k, k, state);
            double[] lambda64 = new double[k];
            int redraws = sampler.sample(replay, lambda64);

            for (int s = 0; s < k; s++) {
                assertThat(lambda64[s])
                        .as("row %d slot %d", row, s)
                        .isEqualTo(expected64[row * k + s]);
                assertThat(Float.floatToRawIntBits(lambda32[s]))
                        .as("row %d slot %d (float32)", row, s)
                        .isEqualTo(Float.floatToRawIntBits(expected32[row * k + s]));
            }
            assertThat(redraws).as("redraws of row %d", row).isEqualTo(expectedRedraws[row]);
            totalRedraws += redraws;
        }
        if (name.equals("inside_k4")) {
            assertThat(totalRedraws).isPositive(); // the block exercises the redraw path
        }
    }

    /** Serves one row of the initial block, then continues with the live stream (redraws). */
    private static final class RowReplay implements RandomGenerator {
        private final double[] block;
        private final int end;
        private final TestingNumpyRandomState live;
        private int next;

        RowReplay(double[] block, int start, int k, TestingNumpyRandomState live) {
            this.block = block;
            this.next = start;
            this.end = start + k;
            this.live = live;
        }

        @Override
        public double nextGaussian() {
            return next < end ? block[next++] : live.nextGaussian();
        }

        @Override
        public long nextLong() {
            throw new UnsupportedOperationException("The sampler needs only Gaussians");
        }
    }
}
