package io.instahide.core;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static io.instahide.core.ReferenceBatches.assertSameBits;
import static io.instahide.core.ReferenceBatches.images;
import static io.instahide.core.ReferenceBatches.keys;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bit-for-bit agreement with the reference beyond the mixers ({@link MixerReferenceContract}): with
 * the reference's own λ and partners injected, every soft-label float, and the soft-label loss.
 */
class ReferenceMixingTest {

    private static final ImageShape SHAPE = ReferenceBatches.SHAPE;
    private static final JsonNode INSIDE = ReferenceVectors.block("mixing_inside_k4");
    private static final JsonNode CROSS = ReferenceVectors.block("mixing_cross_k6_pair");
    private static final int CLASSES = 3;

    @Test
    void insideSoftLabelsMatchReferenceBitForBit() {
        FloatImageList privates = images(INSIDE.get("x"), ReferenceVectors.ints(INSIDE.get("y")));
        OneTimeKeys keys = keys(INSIDE, 4, 4, privates.size());
        float[] labels = softLabels(keys, privates);

        assertSameBits(labels, ReferenceVectors.floats(INSIDE.get("soft_targets")));
        // The reference's own record of each slot's label agrees with our partner bookkeeping.
        int[] ys = ReferenceVectors.ints(INSIDE.get("ys"));
        for (int s = 0; s < 4; s++) {
            for (int b = 0; b < 4; b++) {
                assertThat(privates.label(keys.sourceIndex(b, s))).isEqualTo(ys[s * 4 + b]);
            }
        }
    }

    @Test
    void crossSoftLabelsUseOnlyPrivateSlotsAndAreNotRenormalised() {
        FloatImageList privates = images(INSIDE.get("x"), ReferenceVectors.ints(INSIDE.get("y")));
        OneTimeKeys keys = keys(CROSS, 6, 2, privates.size());
        float[] labels = softLabels(keys, privates);

        assertSameBits(labels, ReferenceVectors.floats(CROSS.get("soft_targets")));
        double[] rowSums = ReferenceVectors.doubles(CROSS.get("target_row_sums"));
        for (int b = 0; b < 4; b++) {
            float sum = labels[b * 3] + labels[b * 3 + 1] + labels[b * 3 + 2];
            assertThat((double) sum)
                    .isCloseTo(rowSums[b], org.assertj.core.data.Offset.offset(1e-6));
            assertThat(sum).isLessThan(1f);
        }
    }

    @Test
    void softLabelLossMatchesReference() {
        JsonNode loss = ReferenceVectors.block("mixing_inside_k4_loss");
        float[] logits = ReferenceVectors.floats(loss.get("logits"));
        float[] targets = ReferenceVectors.floats(INSIDE.get("soft_targets"));
        float expected = (float) loss.get("loss_float32").asDouble();

        double actual = SoftLabelLoss.mean(logits, targets, CLASSES);

        // PyTorch evaluates in float32 with its own exp/log: agree to float32 rounding.
        assertThat((float) actual)
                .isCloseTo(expected, org.assertj.core.data.Offset.offset(Math.ulp(expected) * 2));
    }

    @Test
    void crossLossMatchesReference() {
        JsonNode loss = ReferenceVectors.block("mixing_cross_k6_pair_loss");
        float[] logits =
                ReferenceVectors.floats(
                        loss.has("logits")
                                ? loss.get("logits")
                                : ReferenceVectors.block("mixing_inside_k4_loss").get("logits"));
        float[] targets = ReferenceVectors.floats(CROSS.get("soft_targets"));
        float expected = (float) loss.get("loss_float32").asDouble();

        double actual = SoftLabelLoss.mean(logits, targets, CLASSES);

        assertThat((float) actual)
                .isCloseTo(expected, org.assertj.core.data.Offset.offset(Math.ulp(expected) * 2));
    }

    @Test
    void unmaskedMixupIsTheSameSumWithoutSignFlips() {
        FloatImageList privates = images(INSIDE.get("x"), ReferenceVectors.ints(INSIDE.get("y")));
        OneTimeKeys keys = keys(INSIDE, 4, 4, privates.size());
        float[] masked = new float[4 * SHAPE.size()];
        float[] plain = new float[4 * SHAPE.size()];

        new JavaMixer(SHAPE)
                .mix(
                        keys,
                        new MixSources<>(privates, privates, ImageSet.empty(SHAPE)),
                        true,
                        masked,
                        0);
        new JavaMixer(SHAPE)
                .mix(
                        keys,
                        new MixSources<>(privates, privates, ImageSet.empty(SHAPE)),
                        false,
                        plain,
                        0);

        float[] signs = ReferenceVectors.floats(INSIDE.get("sign"));
        for (int j = 0; j < plain.length; j++) {
            assertThat(Float.floatToRawIntBits(signs[j] * plain[j]))
                    .isEqualTo(Float.floatToRawIntBits(masked[j]));
            assertThat(Math.abs(plain[j])).isEqualTo(Math.abs(masked[j]));
        }
    }

    /**
     * The soft labels of the 4 samples of {@code keys}, private slots read from {@code privates}.
     */
    private static float[] softLabels(OneTimeKeys keys, FloatImageList privates) {
        float[] labels = new float[4 * CLASSES];
        MixSources<ImageSet> sources =
                new MixSources<>(privates, privates, ImageSet.empty(privates.shape()));
        for (int b = 0; b < 4; b++) {
            SoftLabels.compute(keys, b, sources, CLASSES, labels, b * CLASSES);
        }
        return labels;
    }
}
