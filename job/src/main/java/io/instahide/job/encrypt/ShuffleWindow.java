package io.instahide.job.encrypt;

import io.instahide.schemas.EncryptedSample;
import io.instahide.schemas.EscrowedKey;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The encryption operator's output path: encrypted samples (and, for research audits, their
 * escrowed keys) wait here and leave in an order drawn from the secure generator, so nothing in the
 * output's order links the T encryptions of one image (spec section 2).
 *
 * <p>The window holds many micro-batches: it is emptied, as one uniformly random permutation of
 * everything in it, when the next sample would take it past its byte bound, at every checkpoint
 * barrier and at end of input. Nothing stays in it across a checkpoint, so exactly-once holds and
 * no encrypted sample reaches checkpoint storage. Every image whose encryptions leave in one
 * emptying shares that anonymity set ({@link Downstream#emptied}).
 *
 * <p>A bound of 0 bytes turns the shuffle off (samples leave as they are added, in arrival order):
 * only to measure, in a privacy audit, what an ordered output gives away.
 */
final class ShuffleWindow {

    /** Where emptied samples go. */
    interface Downstream {
        void sample(EncryptedSample sample);

        void escrowedKey(EscrowedKey key);

        /** After an emptying: how many distinct images shared it (its anonymity set). */
        void emptied(int images);
    }

    /** Bytes a sample occupies beyond its pixels and label (object headers, id, scheme ref). */
    static final int SAMPLE_OVERHEAD_BYTES = 256;

    private final long maxBytes;
    private final RandomGenerator random;
    private final Downstream downstream;
    private final List<EncryptedSample> samples = new ArrayList<>();
    private final List<EscrowedKey> keys = new ArrayList<>();
    private int images;
    private long lastImage;
    private long bytes;

    /**
     * @param maxBytes the bound on the samples held; 0 turns the shuffle off
     * @param random the operator's secure generator (never a seeded one outside tests)
     */
    ShuffleWindow(long maxBytes, RandomGenerator random, Downstream downstream) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("window bound must be >= 0, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
        this.random = random;
        this.downstream = downstream;
    }

    /**
     * Adds encryption {@code sample} of the image {@code imageId}, with its escrowed key when key
     * escrow is on ({@code null} otherwise). Empties the window first if the sample would not fit.
     * The encryptions of one image are added one after the other (the encoder's batch order), so a
     * new image is one whose id differs from the previous sample's.
     */
    void add(long imageId, EncryptedSample sample, EscrowedKey key) {
        if (maxBytes == 0) {
            emit(sample, key);
            return;
        }
        long size = sizeOf(sample);
        if (!samples.isEmpty() && bytes + size > maxBytes) {
            empty();
        }
        if (samples.isEmpty() || imageId != lastImage) {
            images++;
            lastImage = imageId;
        }
        samples.add(sample);
        keys.add(key);
        bytes += size;
    }

    /** Emits everything held as one uniformly random permutation (Fisher–Yates, secure draws). */
    void empty() {
        int n = samples.size();
        if (n == 0) {
            return;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            swap(samples, i, j);
            swap(keys, i, j);
        }
        for (int i = 0; i < n; i++) {
            emit(samples.get(i), keys.get(i));
        }
        int shared = images;
        samples.clear();
        keys.clear();
        images = 0;
        bytes = 0;
        downstream.emptied(shared);
    }

    /** Distinct images whose encryptions are in the window now (the coming anonymity set). */
    int images() {
        return images;
    }

    int samples() {
        return samples.size();
    }

    long bytes() {
        return bytes;
    }

    boolean enabled() {
        return maxBytes > 0;
    }

    private void emit(EncryptedSample sample, EscrowedKey key) {
        downstream.sample(sample);
        if (key != null) {
            downstream.escrowedKey(key);
        }
    }

    static long sizeOf(EncryptedSample sample) {
        return sample.getPixels().remaining()
                + (long) sample.getSoftLabel().size() * Float.BYTES
                + SAMPLE_OVERHEAD_BYTES;
    }

    private static <T> void swap(List<T> list, int i, int j) {
        T t = list.get(i);
        list.set(i, list.get(j));
        list.set(j, t);
    }
}
