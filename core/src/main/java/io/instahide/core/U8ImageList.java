package io.instahide.core;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Images held compactly as unsigned bytes (CHW), normalised on read through a per-channel lookup
 * table that reproduces {@link Normalizer#normalize} bit for bit. Four times smaller than floats:
 * what the reservoir, the waiting set and the public pool keep.
 *
 * <p>Supports appending, overwriting a slot (ring buffers) and removal by moving the last image
 * into the hole (pools), all O(D). Every write stamps its record ({@link PackedImageSet}), so a
 * device copy of the list is kept current by copying only the records written since.
 */
public final class U8ImageList implements PackedImageSet {

    private final ImageShape shape;
    private final int dim;
    private final int plane;
    private final float[][] table;
    private byte[] pixels;
    private long[] ids;
    private int[] labels;
    private long[] stamps;
    private long clock;
    private int size;

    public U8ImageList(ImageShape shape, Normalizer normalizer, int initialCapacity) {
        this.shape = shape;
        this.dim = shape.size();
        this.plane = shape.planeSize();
        this.table = normalizer.table(shape.channels());
        int capacity = Math.max(1, initialCapacity);
        this.pixels = new byte[capacity * dim];
        this.ids = new long[capacity];
        this.labels = new int[capacity];
        this.stamps = new long[capacity];
    }

    /** Appends an image of D bytes (CHW). Returns its index. */
    public int add(long id, int label, byte[] chw) {
        if (size == ids.length) {
            int capacity = size * 2;
            pixels = Arrays.copyOf(pixels, capacity * dim);
            ids = Arrays.copyOf(ids, capacity);
            labels = Arrays.copyOf(labels, capacity);
            stamps = Arrays.copyOf(stamps, capacity);
        }
        size++;
        set(size - 1, id, label, chw);
        return size - 1;
    }

    /** Overwrites the image at {@code index} (which must exist). */
    public void set(int index, long id, int label, byte[] chw) {
        checkIndex(index);
        if (chw.length != dim) {
            throw new IllegalArgumentException(
                    "Expected " + dim + " bytes for shape " + shape + ", got " + chw.length);
        }
        System.arraycopy(chw, 0, pixels, index * dim, dim);
        ids[index] = id;
        labels[index] = label;
        stamps[index] = ++clock;
    }

    /**
     * Removes the image at {@code index} by moving the last image into its place.
     *
     * @return the former index of the image now at {@code index}, or -1 if it was the last
     */
    public int removeByMovingLast(int index) {
        checkIndex(index);
        int last = size - 1;
        if (index != last) {
            System.arraycopy(pixels, last * dim, pixels, index * dim, dim);
            ids[index] = ids[last];
            labels[index] = labels[last];
            stamps[index] = ++clock;
        }
        Arrays.fill(pixels, last * dim, size * dim, (byte) 0);
        size--;
        return index != last ? last : -1;
    }

    public void clear() {
        Arrays.fill(pixels, 0, size * dim, (byte) 0);
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
        checkIndex(index);
        return ids[index];
    }

    @Override
    public int label(int index) {
        checkIndex(index);
        return labels[index];
    }

    @Override
    public void copyNormalized(int index, float[] dst, int offset) {
        checkIndex(index);
        int src = index * dim;
        for (int c = 0; c < table.length; c++) {
            float[] lut = table[c];
            int base = c * plane;
            for (int p = 0; p < plane; p++) {
                dst[offset + base + p] = lut[pixels[src + base + p] & 0xFF];
            }
        }
    }

    @Override
    public Encoding encoding() {
        return Encoding.UINT8;
    }

    @Override
    public long writeClock() {
        return clock;
    }

    @Override
    public long writeStamp(int index) {
        checkIndex(index);
        return stamps[index];
    }

    @Override
    public void copyStored(int from, int count, ByteBuffer dst) {
        checkRange(from, count, size);
        dst.put(pixels, from * dim, count * dim);
    }

    @Override
    public float[][] normalizationTable() {
        float[][] copy = new float[table.length][];
        for (int c = 0; c < table.length; c++) {
            copy[c] = table[c].clone();
        }
        return copy;
    }

    static void checkRange(int from, int count, int size) {
        if (from < 0 || count < 0 || from + count > size) {
            throw new IndexOutOfBoundsException(
                    "Images [" + from + ", " + (from + count) + ") out of range [0, " + size + ")");
        }
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(
                    "Image index " + index + " out of range [0, " + size + ")");
        }
    }
}
