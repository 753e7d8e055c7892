package io.instahide.core;

import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reference vectors' toy batch (3×2×2 images, float32 as the reference stored them) and its
 * keys, for any mixer's bit-for-bit test: {@link ReferenceMixingTest} here, the GPU mixer's in
 * {@code gpu}.
 */
public final class ReferenceBatches {

    /** The shape of the reference's toy images. */
    public static final ImageShape SHAPE = new ImageShape(3, 2, 2);

    private ReferenceBatches() {}

    public static FloatImageList images(JsonNode nested, int[] labels) {
        float[] all = ReferenceVectors.floats(nested);
        int n = all.length / SHAPE.size();
        FloatImageList list = new FloatImageList(SHAPE, n);
        for (int i = 0; i < n; i++) {
            float[] image =
                    java.util.Arrays.copyOfRange(all, i * SHAPE.size(), (i + 1) * SHAPE.size());
            list.add(i, labels == null ? ImageSet.NO_LABEL : labels[i], image);
        }
        return list;
    }

    /** The reference's keys: perms[s-1][i] is the partner of image i in slot s. */
    public static OneTimeKeys keys(JsonNode block, int k, int privateSlots, int n) {
        OneTimeKeys keys = new OneTimeKeys(k, privateSlots, SHAPE, n);
        keys.reset(n);
        float[] lambdas = ReferenceVectors.floats(block.get("lams_f32"));
        int[] perms = ReferenceVectors.ints(block.get("perms"));
        float[] signs = ReferenceVectors.floats(block.get("sign"));
        for (int b = 0; b < n; b++) {
            keys.setSelf(b, b);
            for (int s = 0; s < k; s++) {
                keys.setLambda(b, s, lambdas[b * k + s]);
            }
            for (int s = 1; s < k; s++) {
                keys.setPartner(b, s, perms[(s - 1) * n + b]);
            }
            float[] sign =
                    java.util.Arrays.copyOfRange(signs, b * SHAPE.size(), (b + 1) * SHAPE.size());
            MaskBits.pack(sign, keys.maskArray(), b * keys.maskWords());
        }
        return keys;
    }

    public static void assertSameBits(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(Float.floatToRawIntBits(actual[i]))
                    .as("element %d: %s vs reference %s", i, actual[i], expected[i])
                    .isEqualTo(Float.floatToRawIntBits(expected[i]));
        }
    }
}
