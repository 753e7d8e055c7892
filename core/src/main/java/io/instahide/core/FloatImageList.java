package io.instahide.core;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** Images held as already-normalised float32 values (CHW); a growable list. */
public final class FloatImageList implements PackedImageSet {

    private final ImageShape shape;
    private final int dim;
    private float[] values;
    private long[] ids;
    private int[] labels;
    private long[] stamps;
    private long clock;
    private int size;

    public FloatImageList(ImageShape shape, int initialCapacity) {
        this.shape = shape;
        this.dim = shape.size();
        int capacity = Math.max(1, initialCapacity);
        this.values = new float[capacity * dim];
        this.ids = new long[capacity];
        this.labels = new int[capacity];
        this.stamps = new long[capacity];
    }

    /** Appends an image; {@code normalized} holds D values, CHW. Returns its index. */
    public int add(long id, int label, float[] normalized) {
        if (normalized.length != dim) {
            throw new IllegalArgumentException(
                    "Expected "
                            + dim
                            + " values for shape "
                            + shape
                            + ", got "
                            + normalized.length);
        }
        if (size == ids.length) {
            int capacity = size * 2;
            values = Arrays.copyOf(values, capacity * dim);
            ids = Arrays.copyOf(ids, capacity);
            labels = Arrays.copyOf(labels, capacity);
            stamps = Arrays.copyOf(stamps, capacity);
        }
        System.arraycopy(normalized, 0, values, size * dim, dim);
        ids[size] = id;
        labels[size] = label;
        stamps[size] = ++clock;
        return size++;
    }

    public void clear() {
        Arrays.fill(values, 0, size * dim, 0f);
        size = 0;
    }

    @Override
    public ImageShape shape() {
        return shape;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public long id(int index) {
        return ids[index];
    }

    @Override
    public int label(int index) {
        return labels[index];
    }

    @Override
    public Encoding encoding() {
        return Encoding.FLOAT32;
    }

    @Override
    public long writeClock() {
        return clock;
    }

    @Override
    public long writeStamp(int index) {
        return stamps[index];
    }

    @Override
    public void copyStored(int from, int count, ByteBuffer dst) {
        U8ImageList.checkRange(from, count, size);
        dst.asFloatBuffer().put(values, from * dim, count * dim);
        dst.position(dst.position() + count * dim * Float.BYTES);
    }

    /** Not tabulated: the values are stored normalised. */
    @Override
    public float[][] normalizationTable() {
        throw new UnsupportedOperationException("FLOAT32 image sets are stored normalised");
    }

    @Override
    public void copyNormalized(int index, float[] dst, int offset) {
        System.arraycopy(values, index * dim, dst, offset, dim);
    }
}
