package io.instahide.core;

/**
 * The arithmetic of a batch of encryptions: for each sample b,
 *
 * <pre>
 *   acc = λ0·x0;  acc = acc + λs·xs  for s = 1..k-1   (float32, no fused multiply-add)
 *   out = σ ⊙ acc                                      (unless the scheme is unmasked)
 * </pre>
 *
 * with slot s read from the set {@link MixSources#slot} names, at the index {@link OneTimeKeys}
 * says. Every implementation produces the same bits as the reference. {@code S} is the kind of
 * image set the mixer can read.
 */
public interface Mixer<S extends ImageSet> extends AutoCloseable {

    /** Writes {@code keys.count()} encrypted images, D floats each, to {@code out[offset..]}. */
    void mix(
            OneTimeKeys keys,
            MixSources<? extends S> sources,
            boolean masked,
            float[] out,
            int offset);

    /** The most samples one {@link #mix} call takes. */
    int maxBatch();

    /**
     * The number of samples in {@code keys}, after checking that a mixer for {@code k} slots and at
     * most {@code maxBatch} samples can take them.
     */
    static int checkedCount(OneTimeKeys keys, int k, int maxBatch) {
        int n = keys.count();
        if (n > maxBatch) {
            throw new IllegalArgumentException(
                    "Batch of " + n + " exceeds this mixer's capacity " + maxBatch);
        }
        if (keys.k() != k) {
            throw new IllegalArgumentException("Keys for k=" + keys.k() + ", mixer for k=" + k);
        }
        return n;
    }

    /** Releases native buffers, if any. */
    @Override
    void close();
}
