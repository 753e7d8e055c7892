package io.instahide.core;

import java.util.Arrays;

/**
 * The output of one {@link InstaHideEncoder#encode} call: {@link #count()} encrypted images (D
 * floats each, CHW), their soft labels ({@code classes} floats each) and, for the caller's
 * bookkeeping only, which input image each came from. Reused across calls.
 */
public final class EncodedBatch {

    private final int dim;
    private final int classes;
    private int count;
    private float[] pixels = new float[0];
    private float[] softLabels = new float[0];
    private int[] sourceIndex = new int[0];

    public EncodedBatch(ImageShape shape, int classes) {
        this.dim = shape.size();
        this.classes = classes;
    }

    void reset(int n) {
        if (n > sourceIndex.length) {
            int capacity = Math.max(n, sourceIndex.length * 2);
            pixels = new float[capacity * dim];
            softLabels = new float[capacity * classes];
            sourceIndex = new int[capacity];
        }
        count = n;
    }

    public int count() {
        return count;
    }

    public int dimension() {
        return dim;
    }

    public int classes() {
        return classes;
    }

    /** Backing array: sample i occupies {@code [i * dimension(), (i+1) * dimension())}. */
    public float[] pixels() {
        return pixels;
    }

    /** Backing array: sample i occupies {@code [i * classes(), (i+1) * classes())}. */
    public float[] softLabels() {
        return softLabels;
    }

    public float[] softLabel(int i) {
        return Arrays.copyOfRange(softLabels, i * classes, (i + 1) * classes);
    }

    public float[] image(int i) {
        return Arrays.copyOfRange(pixels, i * dim, (i + 1) * dim);
    }

    /** Index (in the encoded {@code privates}) of the image that sample {@code i} encrypts. */
    public int sourceIndex(int i) {
        return sourceIndex[i];
    }

    void setSourceIndex(int i, int index) {
        sourceIndex[i] = index;
    }
}
