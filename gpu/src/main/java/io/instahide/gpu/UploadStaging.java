package io.instahide.gpu;

import io.instahide.core.PackedImageSet;
import io.instahide.gpu.GpuDevice.DeviceMemory;
import io.instahide.gpu.GpuDevice.PinnedMemory;
import io.instahide.gpu.GpuDevice.Stream;

import java.nio.ByteBuffer;

/**
 * A pinned buffer through which host data goes up to the device: each piece is copied into the next
 * free part of the buffer and its upload enqueued at once; the buffer is waited for only when it is
 * full and at {@link #finish()}. Not thread-safe.
 */
final class UploadStaging implements AutoCloseable {

    private final GpuDevice device;
    private final PinnedMemory pinned;
    private final ByteBuffer buffer;
    private final Stream stream;
    private int fill;
    private long uploadedBytes;

    UploadStaging(GpuDevice device, int bytes, Stream stream) {
        this.device = device;
        this.pinned = device.allocatePinned(bytes);
        this.buffer = pinned.buffer();
        this.stream = stream;
    }

    /** Uploads the stored bytes of images [from, from + count) to {@code dst} at their offsets. */
    void uploadImages(PackedImageSet set, int from, int count, DeviceMemory dst) {
        int record = set.bytesPerImage();
        if (record > buffer.capacity()) {
            throw new IllegalStateException(
                    "Staging of "
                            + buffer.capacity()
                            + " bytes cannot hold a "
                            + record
                            + "-byte image");
        }
        while (count > 0) {
            int fit = (buffer.capacity() - fill) / record;
            if (fit == 0) {
                finish();
                fit = buffer.capacity() / record;
            }
            int pieces = Math.min(count, fit);
            buffer.position(fill);
            set.copyStored(from, pieces, buffer);
            enqueue(dst, (long) from * record, pieces * record);
            from += pieces;
            count -= pieces;
        }
    }

    /** Uploads {@code values} to the start of {@code dst}. */
    void uploadFloats(float[] values, DeviceMemory dst) {
        int bytes = values.length * Float.BYTES;
        if (buffer.capacity() - fill < bytes) {
            finish();
        }
        buffer.position(fill);
        buffer.asFloatBuffer().put(values);
        enqueue(dst, 0, bytes);
    }

    private void enqueue(DeviceMemory dst, long dstOffset, int bytes) {
        device.upload(pinned, fill, dst, dstOffset, bytes, stream);
        fill += bytes;
        uploadedBytes += bytes;
    }

    /** Waits for every enqueued upload; the buffer is free again. */
    void finish() {
        if (fill > 0) {
            device.synchronize(stream);
            fill = 0;
        }
    }

    /** Bytes uploaded so far (a measure of how incremental the mirrors are). */
    long uploadedBytes() {
        return uploadedBytes;
    }

    @Override
    public void close() {
        pinned.close();
    }
}
