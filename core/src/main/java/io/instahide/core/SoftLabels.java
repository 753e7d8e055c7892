package io.instahide.core;

/**
 * The mixed label of an encryption (spec 1.5): {@code t = Σ_{s<kPriv} λs · onehot(ys)} over the
 * private slots only, accumulated in float32 in slot order like the reference. Not renormalised: in
 * cross-dataset mode t sums to the private weight, not to 1.
 */
public final class SoftLabels {

    private SoftLabels() {}

    /**
     * Writes the soft label of sample {@code b} to {@code out[offset, offset+classes)}.
     *
     * @throws IllegalArgumentException if a private slot's label is outside [0, classes)
     */
    public static void compute(
            OneTimeKeys keys, int b, MixSources<?> sources, int classes, float[] out, int offset) {
        for (int c = 0; c < classes; c++) {
            out[offset + c] = 0f;
        }
        for (int s = 0; s < keys.privateSlots(); s++) {
            ImageSet source = keys.source(s, sources);
            int label = source.label(keys.sourceIndex(b, s));
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException(
                        "Label " + label + " of a private image is outside [0, " + classes + ")");
            }
            float lambda = keys.lambda(b, s);
            for (int c = 0; c < classes; c++) {
                out[offset + c] = out[offset + c] + lambda * (c == label ? 1f : 0f);
            }
        }
    }
}
