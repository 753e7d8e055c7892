package io.instahide.core;

/**
 * The CPU mixer. Each sample is built in tiles of {@value #TILE} values, small enough to stay in
 * the first-level cache while all k slots are added and the mask is applied: the output is written
 * to memory once and every source image read once, in place (pixel bytes are normalised on the
 * fly). The loops are a {@link MixKernel}: SIMD where the JVM allows, scalar otherwise; same bits.
 */
public final class JavaMixer implements Mixer<ImageSet> {

    /** Values per tile; a multiple of 64 so that every tile starts on a mask word. */
    static final int TILE = 4096;

    private final int dim;
    private final MixKernel kernel;

    /** A mixer on the fastest kernel this JVM runs ({@link MixKernels#best()}). */
    public JavaMixer(ImageShape shape) {
        this(shape, MixKernels.best());
    }

    public JavaMixer(ImageShape shape, MixKernel kernel) {
        this.dim = shape.size();
        this.kernel = kernel;
    }

    /** The kernel this mixer runs. */
    public MixKernel kernel() {
        return kernel;
    }

    @Override
    public void mix(
            OneTimeKeys keys,
            MixSources<? extends ImageSet> sources,
            boolean masked,
            float[] out,
            int offset) {
        int k = keys.k();
        int words = keys.maskWords();
        for (int b = 0; b < keys.count(); b++) {
            int o = offset + b * dim;
            for (int from = 0; from < dim; from += TILE) {
                int to = Math.min(dim, from + TILE);
                for (int s = 0; s < k; s++) {
                    keys.source(s, sources)
                            .mixInto(
                                    keys.sourceIndex(b, s),
                                    from,
                                    to,
                                    keys.lambda(b, s),
                                    s == 0,
                                    out,
                                    o,
                                    kernel);
                }
                if (masked) {
                    kernel.flipSigns(
                            out, o + from, to - from, keys.maskArray(), b * words + from / 64);
                }
            }
        }
    }

    @Override
    public int maxBatch() {
        return Integer.MAX_VALUE;
    }

    @Override
    public void close() {}
}
