package io.instahide.core;

import java.util.Arrays;

/**
 * The one-time keys of a batch of n encryptions (spec section 1): for sample b, the index of its
 * own image, the indexes of its k-1 partners (slots 1..kPriv-1 index the private reservoir, slots
 * kPriv..k-1 the public pool), its float32 coefficients λ and its packed sign mask.
 *
 * <p>Key material: never emitted, logged or checkpointed. {@link #wipe()} zeroes it once the batch
 * is mixed: every entry written since the last wipe (the most keys any {@link #reset} asked for),
 * not the whole capacity, which at 3×224×224 would be 19 MB of masks for a batch of a few images.
 */
public final class OneTimeKeys {

    private final int k;
    private final int privateSlots;
    private final int words;
    private int capacity;
    private int count;

    /** The most keys reset to since the last wipe: entries beyond it are zero. */
    private int used;

    private int[] self;
    private int[] partners;
    private float[] lambda;
    private long[] mask;

    public OneTimeKeys(int k, int privateSlots, ImageShape shape, int capacity) {
        if (privateSlots < 1 || privateSlots > k) {
            throw new IllegalArgumentException("privateSlots must be in [1, k]");
        }
        this.k = k;
        this.privateSlots = privateSlots;
        this.words = MaskBits.wordsFor(shape.size());
        allocate(Math.max(1, capacity));
    }

    private void allocate(int newCapacity) {
        capacity = newCapacity;
        self = new int[capacity];
        partners = new int[capacity * (k - 1)];
        lambda = new float[capacity * k];
        mask = new long[capacity * words];
    }

    /** Makes room for {@code n} keys and sets the count; contents are unspecified until written. */
    public void reset(int n) {
        if (n > capacity) {
            wipe();
            allocate(Math.max(n, capacity * 2));
        }
        count = n;
        used = Math.max(used, n);
    }

    public int k() {
        return k;
    }

    public int privateSlots() {
        return privateSlots;
    }

    public int count() {
        return count;
    }

    public int maskWords() {
        return words;
    }

    public int self(int b) {
        return self[b];
    }

    public void setSelf(int b, int index) {
        self[b] = index;
    }

    /** Partner index of sample {@code b} in slot {@code s} (1 ≤ s < k). */
    public int partner(int b, int s) {
        return partners[b * (k - 1) + s - 1];
    }

    public void setPartner(int b, int s, int index) {
        partners[b * (k - 1) + s - 1] = index;
    }

    public float lambda(int b, int s) {
        return lambda[b * k + s];
    }

    public void setLambda(int b, int s, float value) {
        lambda[b * k + s] = value;
    }

    /** Backing array of coefficients, sample-major ({@code [b * k + s]}). */
    float[] lambdaArray() {
        return lambda;
    }

    /** Backing array of mask words, sample-major ({@code [b * maskWords() + w]}). */
    public long[] maskArray() {
        return mask;
    }

    /** The set that slot {@code s} reads from. */
    public <S extends ImageSet> S source(int s, MixSources<S> sources) {
        return sources.slot(s, privateSlots);
    }

    /** The index within {@link #source} of the image in slot {@code s} of sample {@code b}. */
    public int sourceIndex(int b, int s) {
        return s == 0 ? self[b] : partner(b, s);
    }

    /** Zeroes all key material. */
    public void wipe() {
        Arrays.fill(self, 0, used, 0);
        Arrays.fill(partners, 0, used * (k - 1), 0);
        Arrays.fill(lambda, 0, used * k, 0f);
        Arrays.fill(mask, 0, used * words, 0L);
        used = 0;
    }
}
