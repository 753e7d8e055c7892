package io.instahide.core;

import java.util.random.RandomGenerator;

/**
 * Where one-time keys (coefficients, partner choices, mask bits) and sample ids come from.
 *
 * <p>Production code uses {@link KeyStreamRandom#fromOsEntropy()}, a cryptographically secure
 * generator seeded by the operating system (spec section 3): a reproducible generator is a break,
 * not a weakness. Deterministic implementations exist only in tests.
 */
public interface KeyMaterialSource extends RandomGenerator {

    /** Fills {@code dst[off, off+len)} with uniformly random 64-bit words (mask bits in bulk). */
    default void nextLongs(long[] dst, int off, int len) {
        for (int i = off; i < off + len; i++) {
            dst[i] = nextLong();
        }
    }
}
