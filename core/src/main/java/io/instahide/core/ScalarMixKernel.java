package io.instahide.core;

/**
 * Plain loops: the byte path reads the normalisation table, the float path is a loop the JIT
 * vectorises itself, the mask is {@link MaskBits#apply}. Runs on every JVM.
 */
final class ScalarMixKernel implements MixKernel {

    static final ScalarMixKernel INSTANCE = new ScalarMixKernel();

    private ScalarMixKernel() {}

    @Override
    public void mixBytes(
            byte[] px,
            int pxOff,
            int n,
            float[] table,
            Normalizer.Formula formula,
            float lambda,
            boolean first,
            float[] acc,
            int accOff) {
        if (first) {
            for (int j = 0; j < n; j++) {
                acc[accOff + j] = lambda * table[px[pxOff + j] & 0xFF];
            }
        } else {
            for (int j = 0; j < n; j++) {
                acc[accOff + j] = acc[accOff + j] + lambda * table[px[pxOff + j] & 0xFF];
            }
        }
    }

    @Override
    public void mixFloats(
            float[] x, int xOff, int n, float lambda, boolean first, float[] acc, int accOff) {
        if (first) {
            for (int j = 0; j < n; j++) {
                acc[accOff + j] = lambda * x[xOff + j];
            }
        } else {
            for (int j = 0; j < n; j++) {
                acc[accOff + j] = acc[accOff + j] + lambda * x[xOff + j];
            }
        }
    }

    @Override
    public void flipSigns(float[] acc, int accOff, int n, long[] words, int wordOff) {
        MaskBits.apply(acc, accOff, n, words, wordOff);
    }

    @Override
    public String description() {
        return "scalar loops";
    }
}
