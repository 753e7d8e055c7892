package io.instahide.core;

/**
 * The inner loops of the CPU mixer ({@link JavaMixer}), over a run of {@code n} consecutive values
 * of one image: {@code acc = λ·x} (the first slot) or {@code acc = acc + λ·x} (every other slot),
 * separate float32 multiply and add, never fused; and the sign flip of the mask. Every
 * implementation gives the same bits ({@link MixKernels} chooses one).
 */
public interface MixKernel {

    /**
     * Mixes {@code n} pixel bytes of one channel, normalised as {@code ((u8 / divisor) - offset) /
     * scale}, which {@code table} tabulates ({@code table[u8]}, bit for bit the same): {@code
     * acc[accOff + j] (+)= λ · x(px[pxOff + j])}.
     */
    void mixBytes(
            byte[] px,
            int pxOff,
            int n,
            float[] table,
            Normalizer.Formula formula,
            float lambda,
            boolean first,
            float[] acc,
            int accOff);

    /** Mixes {@code n} normalised floats: {@code acc[accOff + j] (+)= λ · x[xOff + j]}. */
    void mixFloats(
            float[] x, int xOff, int n, float lambda, boolean first, float[] acc, int accOff);

    /**
     * {@code acc[accOff + j] = σ_j · acc[accOff + j]} for j in [0, n), σ_j the bit {@code j} of
     * {@code words[wordOff..]} ({@link MaskBits}).
     */
    void flipSigns(float[] acc, int accOff, int n, long[] words, int wordOff);

    /** What runs, for logs: e.g. "SIMD, 8 float lanes". */
    String description();
}
