package io.instahide.core;

/**
 * The sign mask σ ∈ {-1,+1}^D of one encryption, packed one bit per element (bit j of word j/64): a
 * set bit means σ_j = -1. Applying it flips the float's sign bit, which is bit-identical to
 * multiplying by ±1 (IEEE multiplication by -1 is exact).
 */
public final class MaskBits {

    private MaskBits() {}

    /** 64-bit words that hold the mask of one image of {@code size} values. */
    public static int wordsFor(int size) {
        return (size + 63) >>> 6;
    }

    /**
     * {@code data[off+j] = σ_j · data[off+j]} for j in [0, size), σ from {@code words[wordOff..]}.
     */
    public static void apply(float[] data, int off, int size, long[] words, int wordOff) {
        apply(data, off, 0, size, words, wordOff);
    }

    /** As {@link #apply(float[], int, int, long[], int)} for j in [from, size) only. */
    static void apply(float[] data, int off, int from, int size, long[] words, int wordOff) {
        for (int j = from; j < size; j++) {
            int flip = (int) (words[wordOff + (j >>> 6)] >>> (j & 63)) << 31;
            data[off + j] = Float.intBitsToFloat(Float.floatToRawIntBits(data[off + j]) ^ flip);
        }
    }

    /** Whether σ_j = -1. */
    public static boolean isNegative(long[] words, int wordOff, int j) {
        return ((words[wordOff + (j >>> 6)] >>> (j & 63)) & 1L) != 0;
    }

    /** Packs a ±1 mask (any negative value means -1) into {@code words[wordOff..]}. */
    public static void pack(float[] signs, long[] words, int wordOff) {
        for (int j = 0; j < signs.length; j++) {
            if (signs[j] < 0) {
                words[wordOff + (j >>> 6)] |= 1L << (j & 63);
            }
        }
    }
}
