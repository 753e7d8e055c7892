package io.instahide.core;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** Images held as already-normalised float32 values (CHW); a growable list. */
public final class FloatImageList implements PackedImageSet {

    private final ImageShape shape;
    private final int dim;
    private final ImageIndex index;
    private float[] values;

    public FloatImageList(ImageShape shape, int initialCapacity) {
        this.shape = shape;
        this.dim = shape.size();
        this.index = new ImageIndex(initialCapacity);
        this.values = new float[index.capacity() * dim];
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
        if (index.isFull()) {
            values = Arrays.copyOf(values, index.grow() * dim);
        }
        int i = index.append(id, label);
        System.arraycopy(normalized, 0, values, i * dim, dim);
        return i;
    }

    public void clear() {
        Arrays.fill(values, 0, index.size() * dim, 0f);
        index.clear();
    }

    @Override
    public ImageShape shape() {
        return shape;
    }

    @Override
    public int size() {
        return index.size();
    }

    @Override
    public long id(int i) {
        return index.id(i);
    }

    @Override
    public int label(int i) {
        return index.label(i);
    }

    @Override
    public Encoding encoding() {
        return Encoding.FLOAT32;
    }

    @Override
    public long writeClock() {
        return index.clock();
    }

    @Override
    public long writeStamp(int i) {
        return index.stamp(i);
    }

    @Override
    public void copyStored(int from, int count, ByteBuffer dst) {
        index.checkRange(from, count);
        dst.asFloatBuffer().put(values, from * dim, count * dim);
        dst.position(dst.position() + count * dim * Float.BYTES);
    }

    /** Not tabulated: the values are stored normalised. */
    @Override
    public float[][] normalizationTable() {
        throw new UnsupportedOperationException("FLOAT32 image sets are stored normalised");
    }

    @Override
    public void copyNormalized(int i, float[] dst, int offset) {
        index.checkIndex(i);
        System.arraycopy(values, i * dim, dst, offset, dim);
    }

    @Override
    public void mixInto(
            int i,
            int from,
            int to,
            float lambda,
            boolean first,
            float[] acc,
            int accOff,
            MixKernel kernel) {
        index.checkIndex(i);
        kernel.mixFloats(values, i * dim + from, to - from, lambda, first, acc, accOff + from);
    }
}
