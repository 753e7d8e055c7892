package io.instahide.core;

import java.util.ArrayList;
import java.util.List;

/** Delegates to {@link JavaMixer} and records each sample's key, for assertions in tests. */
final class TestingRecordingMixer implements Mixer<ImageSet> {

    /** One sample's key as the mixer saw it, resolved to image ids, and its unmasked sum. */
    record SeenKey(long[] slotIds, float[] lambda, long[] mask, float[] unmasked) {}

    private final JavaMixer delegate;
    private final int dim;
    final List<SeenKey> seen = new ArrayList<>();

    TestingRecordingMixer(ImageShape shape) {
        this.delegate = new JavaMixer(shape);
        this.dim = shape.size();
    }

    @Override
    public void mix(
            OneTimeKeys keys,
            MixSources<? extends ImageSet> sources,
            boolean masked,
            float[] out,
            int offset) {
        float[] plain = new float[keys.count() * dim];
        delegate.mix(keys, sources, false, plain, 0);
        for (int b = 0; b < keys.count(); b++) {
            long[] ids = new long[keys.k()];
            float[] lambda = new float[keys.k()];
            for (int s = 0; s < keys.k(); s++) {
                ids[s] = keys.source(s, sources).id(keys.sourceIndex(b, s));
                lambda[s] = keys.lambda(b, s);
            }
            long[] mask = new long[keys.maskWords()];
            System.arraycopy(keys.maskArray(), b * mask.length, mask, 0, mask.length);
            float[] unmasked = java.util.Arrays.copyOfRange(plain, b * dim, (b + 1) * dim);
            seen.add(new SeenKey(ids, lambda, mask, unmasked));
        }
        delegate.mix(keys, sources, masked, out, offset);
    }

    @Override
    public int maxBatch() {
        return 7; // small, so that encoders must split batches into chunks
    }

    @Override
    public void close() {}
}
