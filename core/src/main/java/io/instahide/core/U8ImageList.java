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
    private final Normalizer.Formula[] formulas;
    private final ImageIndex index;
    private byte[] pixels;

    public U8ImageList(ImageShape shape, Normalizer normalizer, int initialCapacity) {
        this.shape = shape;
        this.dim = shape.size();
        this.plane = shape.planeSize();
        this.table = normalizer.table(shape.channels());
        this.formulas = new Normalizer.Formula[shape.channels()];
        for (int c = 0; c < formulas.length; c++) {
            formulas[c] = normalizer.formula(c);
        }
        this.index = new ImageIndex(initialCapacity);
        this.pixels = new byte[index.capacity() * dim];
    }

    /** Appends an image of D bytes (CHW). Returns its index. */
    public int add(long id, int label, byte[] chw) {
        checkLength(chw);
        if (index.isFull()) {
            pixels = Arrays.copyOf(pixels, index.grow() * dim);
        }
        int i = index.append(id, label);
        System.arraycopy(chw, 0, pixels, i * dim, dim);
        return i;
    }

    /** Overwrites the image at {@code index} (which must exist). */
    public void set(int i, long id, int label, byte[] chw) {
        index.checkIndex(i);
        checkLength(chw);
        System.arraycopy(chw, 0, pixels, i * dim, dim);
        index.set(i, id, label);
    }

    private void checkLength(byte[] chw) {
        if (chw.length != dim) {
            throw new IllegalArgumentException(
                    "Expected " + dim + " bytes for shape " + shape + ", got " + chw.length);
        }
    }

    /**
     * Removes the image at {@code index} by moving the last image into its place.
     *
     * @return the former index of the image now at {@code index}, or -1 if it was the last
     */
    public int removeByMovingLast(int i) {
        index.checkIndex(i);
        int last = index.size() - 1;
        if (i != last) {
            System.arraycopy(pixels, last * dim, pixels, i * dim, dim);
        }
        Arrays.fill(pixels, last * dim, (last + 1) * dim, (byte) 0);
        index.moveLastTo(i);
        return i != last ? last : -1;
    }

    public void clear() {
        Arrays.fill(pixels, 0, index.size() * dim, (byte) 0);
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
    public void copyNormalized(int i, float[] dst, int offset) {
        index.checkIndex(i);
        int src = i * dim;
        for (int c = 0; c < table.length; c++) {
            float[] lut = table[c];
            int base = c * plane;
            for (int p = 0; p < plane; p++) {
                dst[offset + base + p] = lut[pixels[src + base + p] & 0xFF];
            }
        }
    }

    /** Reads the bytes in place, channel by channel, with each channel's normalisation. */
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
        for (int c = from / plane; c < table.length && c * plane < to; c++) {
            int lo = Math.max(from, c * plane);
            int hi = Math.min(to, (c + 1) * plane);
            kernel.mixBytes(
                    pixels,
                    i * dim + lo,
                    hi - lo,
                    table[c],
                    formulas[c],
                    lambda,
                    first,
                    acc,
                    accOff + lo);
        }
    }

    @Override
    public Encoding encoding() {
        return Encoding.UINT8;
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
}
