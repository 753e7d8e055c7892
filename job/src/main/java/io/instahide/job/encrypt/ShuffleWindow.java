package io.instahide.job.encrypt;

import io.instahide.schemas.EncryptedSample;
import io.instahide.schemas.EscrowedKey;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The encryption operator's output path: encrypted samples (and, for research audits, their
 * escrowed keys) wait here and leave in an order drawn from the secure generator, so nothing in the
 * output's order links the T encryptions of one image (spec section 2).
 *
 * <p>The window holds many micro-batches. When the next sample would take it past its byte bound, a
 * uniformly random half of what it holds leaves, in a uniformly random order, and the other half
 * stays to be mixed with what comes next; at every checkpoint barrier and at end of input
 * everything leaves as one uniformly random permutation. Nothing stays in it across a checkpoint,
 * so exactly-once holds and no encrypted sample reaches checkpoint storage. Releasing half rather
 * than all when full means that no release draws from less than half a window (a window smaller
 * than one checkpoint interval's output would otherwise leave whatever arrived since it last filled
 * at each barrier, as little as one image); the images a release draws from are its anonymity set
 * ({@link Downstream#released}).
 *
 * <p>A bound of 0 bytes turns the shuffle off (samples leave as they are added, in arrival order):
 * only to measure, in a privacy audit, what an ordered output gives away.
 */
final class ShuffleWindow {

    /** Where released samples go. */
    interface Downstream {
        void sample(EncryptedSample sample);

        void escrowedKey(EscrowedKey key);

        /** After a release: how many distinct images it drew from (its anonymity set). */
        void released(int images);
    }

    /** Bytes a sample occupies beyond its pixels and label (object headers, id, scheme ref). */
    static final int SAMPLE_OVERHEAD_BYTES = 256;

    /** A sample waiting, with its escrowed key ({@code null} without escrow) and its image. */
    private record Held(long imageId, EncryptedSample sample, EscrowedKey key) {}

    private final long maxBytes;
    private final RandomGenerator random;
    private final Downstream downstream;
    private final List<Held> held = new ArrayList<>();

    /** Samples held per image: its size is the number of distinct images in the window. */
    private final Map<Long, Integer> perImage = new HashMap<>();

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
     * escrow is on ({@code null} otherwise). While the sample would not fit, a random half of the
     * window leaves first.
     */
    void add(long imageId, EncryptedSample sample, EscrowedKey key) {
        if (maxBytes == 0) {
            emit(sample, key);
            return;
        }
        long size = sizeOf(sample);
        while (!held.isEmpty() && bytes + size > maxBytes) {
            release((held.size() + 1) / 2);
        }
        held.add(new Held(imageId, sample, key));
        perImage.merge(imageId, 1, Integer::sum);
        bytes += size;
    }

    /** Emits everything held as one uniformly random permutation (Fisher–Yates, secure draws). */
    void empty() {
        release(held.size());
    }

    /**
     * Emits {@code count} of the held samples, chosen uniformly at random, in a uniformly random
     * order (the first {@code count} steps of a Fisher–Yates shuffle, secure draws); the rest stay.
     */
    private void release(int count) {
        if (count == 0) {
            return;
        }
        int images = perImage.size();
        int n = held.size();
        for (int i = 0; i < count; i++) {
            int j = i + random.nextInt(n - i);
            Held chosen = held.get(j);
            held.set(j, held.get(i));
            held.set(i, chosen);
            emit(chosen.sample(), chosen.key());
            bytes -= sizeOf(chosen.sample());
            perImage.computeIfPresent(chosen.imageId(), (id, c) -> c == 1 ? null : c - 1);
        }
        held.subList(0, count).clear();
        downstream.released(images);
    }

    /** Distinct images whose encryptions are in the window now (the coming anonymity set). */
    int images() {
        return perImage.size();
    }

    int samples() {
        return held.size();
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
}
