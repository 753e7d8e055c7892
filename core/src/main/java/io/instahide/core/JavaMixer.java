package io.instahide.core;

/** The readable reference mixer: one plain Java loop per slot. */
public final class JavaMixer implements Mixer<ImageSet> {

    private final int dim;
    private final float[] partner;

    public JavaMixer(ImageShape shape) {
        this.dim = shape.size();
        this.partner = new float[dim];
    }

    @Override
    public void mix(
            OneTimeKeys keys,
            MixSources<? extends ImageSet> sources,
            boolean masked,
            float[] out,
            int offset) {
        int k = keys.k();
        for (int b = 0; b < keys.count(); b++) {
            int o = offset + b * dim;
            sources.batch().copyNormalized(keys.self(b), out, o);
            float l0 = keys.lambda(b, 0);
            for (int j = 0; j < dim; j++) {
                out[o + j] = l0 * out[o + j];
            }
            for (int s = 1; s < k; s++) {
                keys.source(s, sources).copyNormalized(keys.sourceIndex(b, s), partner, 0);
                float ls = keys.lambda(b, s);
                for (int j = 0; j < dim; j++) {
                    out[o + j] = out[o + j] + ls * partner[j];
                }
            }
            if (masked) {
                MaskBits.apply(out, o, dim, keys.maskArray(), b * keys.maskWords());
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
