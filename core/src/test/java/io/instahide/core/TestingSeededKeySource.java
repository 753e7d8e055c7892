package io.instahide.core;

import java.util.SplittableRandom;

/** A reproducible key source for tests: insecure by construction, never used by the pipeline. */
public final class TestingSeededKeySource implements KeyMaterialSource {

    private final SplittableRandom random;

    public TestingSeededKeySource(long seed) {
        this.random = new SplittableRandom(seed);
    }

    @Override
    public long nextLong() {
        return random.nextLong();
    }
}
