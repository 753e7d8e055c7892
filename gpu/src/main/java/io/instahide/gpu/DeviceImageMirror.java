package io.instahide.gpu;

import io.instahide.core.PackedImageSet;
import io.instahide.core.PackedImageSet.Encoding;
import io.instahide.gpu.GpuDevice.DeviceMemory;

/**
 * A device copy of one image set (the batch, the private reservoir or the public pool), kept
 * current incrementally: each {@link #sync} uploads only the records written since the last one,
 * found by their write stamps. A pool of 10,000 images goes up once; afterwards an update costs one
 * image. A different set, or one that outgrew the device buffer, is uploaded whole.
 */
final class DeviceImageMirror implements AutoCloseable {

    private final GpuDevice device;
    private PackedImageSet mirrored;
    private DeviceMemory records;
    private DeviceMemory table;
    private int capacity;
    private long syncedClock;

    DeviceImageMirror(GpuDevice device) {
        this.device = device;
    }

    /** Brings the device copy up to date with {@code set}; uploads go through {@code staging}. */
    void sync(PackedImageSet set, UploadStaging staging) {
        if (set != mirrored) {
            adopt(set, staging);
        }
        int size = set.size();
        if (size > capacity) {
            grow(set, size);
        }
        if (set.writeClock() == syncedClock) {
            return;
        }
        int run = -1;
        for (int i = 0; i < size; i++) {
            boolean dirty = set.writeStamp(i) > syncedClock;
            if (dirty && run < 0) {
                run = i;
            } else if (!dirty && run >= 0) {
                staging.uploadImages(set, run, i - run, records);
                run = -1;
            }
        }
        if (run >= 0) {
            staging.uploadImages(set, run, size - run, records);
        }
        syncedClock = set.writeClock();
    }

    private void adopt(PackedImageSet set, UploadStaging staging) {
        release();
        mirrored = set;
        syncedClock = 0;
        capacity = 0;
        grow(set, Math.max(1, set.size()));
        if (set.encoding() == Encoding.UINT8) {
            float[][] rows = set.normalizationTable();
            float[] flat = new float[rows.length * 256];
            for (int c = 0; c < rows.length; c++) {
                System.arraycopy(rows[c], 0, flat, c * 256, 256);
            }
            table = device.allocate((long) flat.length * Float.BYTES);
            staging.uploadFloats(flat, table);
        }
    }

    /** Doubles the buffer (at least to {@code needed} images); the next sync uploads everything. */
    private void grow(PackedImageSet set, int needed) {
        // Called before this sync enqueues anything, so no upload into the old buffer is pending.
        int newCapacity = Math.max(needed, capacity * 2);
        DeviceMemory bigger = device.allocate((long) newCapacity * set.bytesPerImage());
        if (records != null) {
            records.close();
        }
        records = bigger;
        capacity = newCapacity;
        syncedClock = 0;
    }

    DeviceMemory records() {
        return records;
    }

    /** The normalisation table, for {@link Encoding#UINT8} sets; null otherwise. */
    DeviceMemory table() {
        return table;
    }

    private void release() {
        if (records != null) {
            records.close();
            records = null;
        }
        if (table != null) {
            table.close();
            table = null;
        }
        mirrored = null;
    }

    @Override
    public void close() {
        release();
    }
}
