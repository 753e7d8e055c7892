package io.instahide.gpu;

import java.nio.ByteBuffer;

/**
 * What the {@link CudaMixer} needs from a GPU: device and pinned host memory, asynchronous copies
 * and kernel launches on streams. {@link CudaDevice} is the real one (CUDA driver API through
 * JCuda); tests use a host-memory twin.
 *
 * <p>Copies and launches are asynchronous: they run in order on their stream, and host memory
 * involved may be reused only after {@link #synchronize} on that stream. Not thread-safe.
 */
public interface GpuDevice extends AutoCloseable {

    /** GPU model, index and driver, for logs and reports. */
    String description();

    /** Makes this device current on the calling thread; call before any other method. */
    void bind();

    DeviceMemory allocate(long bytes);

    /** Page-locked host memory, so copies run asynchronously at full speed. */
    PinnedMemory allocatePinned(int bytes);

    Stream createStream();

    void upload(
            PinnedMemory src,
            int srcOffset,
            DeviceMemory dst,
            long dstOffset,
            int bytes,
            Stream stream);

    void download(
            DeviceMemory src,
            long srcOffset,
            PinnedMemory dst,
            int dstOffset,
            int bytes,
            Stream stream);

    /** Enqueues zeroing {@code memory} (to wipe key material). */
    void zero(DeviceMemory memory, Stream stream);

    /** Enqueues the mixing kernel. */
    void launch(MixLaunch launch, Stream stream);

    /** Waits until everything enqueued on {@code stream} has finished. */
    void synchronize(Stream stream);

    /** Releases the device (its memory first). */
    @Override
    void close();

    /** A block of device memory. */
    interface DeviceMemory extends AutoCloseable {
        long bytes();

        @Override
        void close();
    }

    /** Page-locked host memory, viewed as a buffer in the platform's (little-endian) order. */
    interface PinnedMemory extends AutoCloseable {
        ByteBuffer buffer();

        @Override
        void close();
    }

    /** An ordered queue of device work. */
    interface Stream extends AutoCloseable {
        @Override
        void close();
    }
}
