package io.instahide.core;

import java.util.UUID;

/** Fresh random identifiers for encrypted samples (version-4 UUIDs), unrelated to any input. */
public final class SampleIds {

    private SampleIds() {}

    public static UUID next(KeyMaterialSource random) {
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low);
    }
}
