package io.instahide.demo;

import java.util.Locale;

/** Where a cross-dataset setting's public pool comes from, and how it is normalised. */
enum PoolSource {
    /** The other image set, normalised with its own statistics (the default). */
    OTHER_SET("other"),
    /** The other image set, normalised with the private set's statistics. */
    OTHER_SET_PRIVATE_STATISTICS("other-norm"),
    /** Grey 28x28 patches of the ten natural photos, normalised as the private set. */
    PHOTOS("photos");

    /** The setting name's word for it. */
    final String token;

    PoolSource(String token) {
        this.token = token;
    }

    static PoolSource of(String token) {
        for (PoolSource pool : values()) {
            if (pool.token.equals(token.toLowerCase(Locale.ROOT))) {
                return pool;
            }
        }
        throw new IllegalArgumentException(
                "Unknown pool '" + token + "': other, other-norm or photos");
    }
}
