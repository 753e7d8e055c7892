package io.instahide.core;

import java.util.Arrays;

/**
 * The bookkeeping every stored image list shares, whatever holds its pixels: each record's id,
 * label and write stamp, the list's size and its write clock ({@link PackedImageSet}). Capacity
 * doubles when full; the list grows its pixel storage to {@link #grow}'s answer.
 */
final class ImageIndex {

    private long[] ids;
    private int[] labels;
    private long[] stamps;
    private long clock;
    private int size;

    ImageIndex(int initialCapacity) {
        int capacity = Math.max(1, initialCapacity);
        this.ids = new long[capacity];
        this.labels = new int[capacity];
        this.stamps = new long[capacity];
    }

    int capacity() {
        return ids.length;
    }

    boolean isFull() {
        return size == ids.length;
    }

    /** Doubles the capacity; returns the new one. */
    int grow() {
        int capacity = Math.max(1, size * 2);
        ids = Arrays.copyOf(ids, capacity);
        labels = Arrays.copyOf(labels, capacity);
        stamps = Arrays.copyOf(stamps, capacity);
        return capacity;
    }

    /** Appends a record (room must exist, see {@link #isFull}); returns its index. */
    int append(long id, int label) {
        size++;
        set(size - 1, id, label);
        return size - 1;
    }

    /** Overwrites record {@code index}'s id and label and stamps it. */
    void set(int index, long id, int label) {
        checkIndex(index);
        ids[index] = id;
        labels[index] = label;
        stamps[index] = ++clock;
    }

    /** Moves the last record into {@code index} (stamping it) and drops the last. */
    void moveLastTo(int index) {
        checkIndex(index);
        int last = size - 1;
        if (index != last) {
            ids[index] = ids[last];
            labels[index] = labels[last];
            stamps[index] = ++clock;
        }
        size--;
    }

    void clear() {
        size = 0;
    }

    int size() {
        return size;
    }

    long id(int index) {
        checkIndex(index);
        return ids[index];
    }

    int label(int index) {
        checkIndex(index);
        return labels[index];
    }

    long clock() {
        return clock;
    }

    long stamp(int index) {
        checkIndex(index);
        return stamps[index];
    }

    void checkIndex(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(
                    "Image index " + index + " out of range [0, " + size + ")");
        }
    }

    void checkRange(int from, int count) {
        if (from < 0 || count < 0 || from + count > size) {
            throw new IndexOutOfBoundsException(
                    "Images [" + from + ", " + (from + count) + ") out of range [0, " + size + ")");
        }
    }
}
