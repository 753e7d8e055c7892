package io.instahide.core;

import java.util.List;
import java.util.Objects;

/**
 * The three image sets one batch of encryptions reads, of one shape: slot 0 reads the {@code batch}
 * being encrypted, slots 1..kPriv-1 the private {@code reservoir}, slots kPriv..k-1 the public
 * {@code pool}. {@code S} is the kind of set a {@link Mixer} accepts (any {@link ImageSet} for the
 * CPU mixers, {@link PackedImageSet} for the GPU's).
 */
public record MixSources<S extends ImageSet>(S batch, S reservoir, S pool) {

    /** The number of sets, in slot order. */
    public static final int COUNT = 3;

    public MixSources {
        Objects.requireNonNull(batch, "batch");
        Objects.requireNonNull(reservoir, "reservoir");
        Objects.requireNonNull(pool, "pool");
        if (!reservoir.shape().equals(batch.shape()) || !pool.shape().equals(batch.shape())) {
            throw new IllegalArgumentException(
                    "Mix sources of different shapes: batch "
                            + batch.shape()
                            + ", reservoir "
                            + reservoir.shape()
                            + ", pool "
                            + pool.shape());
        }
    }

    public ImageShape shape() {
        return batch.shape();
    }

    /** The set slot {@code s} reads, for keys with {@code privateSlots} private slots. */
    public S slot(int s, int privateSlots) {
        return s == 0 ? batch : s < privateSlots ? reservoir : pool;
    }

    /** The sets in slot order: batch, reservoir, pool ({@link #COUNT} of them). */
    public List<S> all() {
        return List.of(batch, reservoir, pool);
    }
}
