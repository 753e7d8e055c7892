package io.instahide.gpu;

import io.instahide.core.PackedImageSet.Encoding;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;

/**
 * A {@link GpuDevice} in host memory, for tests and for the self-test's dry run on machines without
 * a GPU. Like a real device it is asynchronous: copies and launches only queue on their stream and
 * run at {@link #synchronize}, so a mixer that reads a result or reuses a host buffer too early
 * gets wrong bits here too. The kernel is {@link #mix}, a line-by-line twin of {@code
 * instahide_mix.cu}. A kernel enqueued while another stream still has a copy pending into memory
 * the kernel reads fails (on a real GPU, with no event between the streams, that is a race). It
 * also counts what went up and what is still allocated.
 */
public final class TestingHostDevice implements GpuDevice {

    private final List<HostMemory> live = new ArrayList<>();
    private final List<HostStream> streams = new ArrayList<>();
    private long uploadedBytes;
    private final boolean deviceWork;
    private final Kernel kernel;

    /**
     * What runs a launch: the Java twin by default, or the kernel's own source built for the host.
     */
    @FunctionalInterface
    public interface Kernel {
        /** Runs {@code launch}; {@link TestingHostDevice#contents} gives each block's bytes. */
        void run(MixLaunch launch);
    }

    private boolean closed;

    /** A twin that copies and computes what the GPU would. */
    public TestingHostDevice() {
        this(true);
    }

    /** A twin whose launches run {@code kernel} (e.g. {@link HostCompiledKernel}). */
    public TestingHostDevice(Kernel kernel) {
        this.deviceWork = true;
        this.kernel = kernel;
    }

    /**
     * @param deviceWork false to skip what a GPU does itself (copies, which its DMA engines run,
     *     and the kernel; outputs stay as they were): what is left is the host's share of the GPU
     *     path, a ceiling for any GPU on this host
     */
    public TestingHostDevice(boolean deviceWork) {
        this.deviceWork = deviceWork;
        this.kernel = TestingHostDevice::mix;
    }

    @Override
    public String description() {
        return deviceWork
                ? "host-memory twin of the CUDA kernel (no GPU)"
                : "host-memory twin doing none of the device's work (no GPU: host-side ceiling)";
    }

    @Override
    public void bind() {
        if (closed) {
            throw new IllegalStateException("device closed");
        }
    }

    @Override
    public DeviceMemory allocate(long bytes) {
        HostMemory memory = new HostMemory(bytes);
        live.add(memory);
        return memory;
    }

    @Override
    public PinnedMemory allocatePinned(int bytes) {
        HostMemory memory = new HostMemory(bytes);
        live.add(memory);
        return memory;
    }

    @Override
    public Stream createStream() {
        HostStream stream = new HostStream();
        streams.add(stream);
        return stream;
    }

    @Override
    public void upload(
            PinnedMemory src,
            int srcOffset,
            DeviceMemory dst,
            long dstOffset,
            int bytes,
            Stream stream) {
        HostMemory from = (HostMemory) src;
        HostMemory to = (HostMemory) dst;
        uploadedBytes += bytes;
        ((HostStream) stream).pendingWrites.add(to);
        if (deviceWork) {
            queue(stream).add(() -> copy(from, srcOffset, to, dstOffset, bytes));
        }
    }

    @Override
    public void download(
            DeviceMemory src,
            long srcOffset,
            PinnedMemory dst,
            int dstOffset,
            int bytes,
            Stream stream) {
        HostMemory from = (HostMemory) src;
        HostMemory to = (HostMemory) dst;
        if (deviceWork) {
            queue(stream).add(() -> copy(from, srcOffset, to, dstOffset, bytes));
        }
    }

    @Override
    public void zero(DeviceMemory memory, Stream stream) {
        HostMemory target = (HostMemory) memory;
        queue(stream).add(() -> fillZero(target));
    }

    @Override
    public void launch(MixLaunch launch, Stream stream) {
        checkNoRace(launch, (HostStream) stream);
        if (deviceWork) {
            queue(stream).add(() -> kernel.run(launch));
        }
    }

    @Override
    public void synchronize(Stream stream) {
        Queue<Runnable> work = queue(stream);
        while (!work.isEmpty()) {
            work.poll().run();
        }
        ((HostStream) stream).pendingWrites.clear();
    }

    private void checkNoRace(MixLaunch launch, HostStream own) {
        List<Object> inputs = new ArrayList<>(List.of(launch.sets()));
        inputs.addAll(Arrays.asList(launch.tables()));
        inputs.add(launch.keys());
        for (HostStream other : streams) {
            if (other != own && other.pendingWrites.stream().anyMatch(inputs::contains)) {
                throw new IllegalStateException(
                        "race: the kernel reads memory that another stream is still uploading");
            }
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    /** Bytes enqueued for upload so far. */
    public long uploadedBytes() {
        return uploadedBytes;
    }

    /** Memory blocks not yet freed. */
    public int liveAllocations() {
        return (int) live.stream().filter(m -> !m.freed).count();
    }

    private static Queue<Runnable> queue(Stream stream) {
        return ((HostStream) stream).work;
    }

    private static void copy(
            HostMemory from, long srcOffset, HostMemory to, long dstOffset, int bytes) {
        ByteBuffer src = from.live().duplicate();
        src.position((int) srcOffset).limit((int) srcOffset + bytes);
        ByteBuffer dst = to.live().duplicate();
        dst.position((int) dstOffset);
        dst.put(src);
    }

    private static void fillZero(HostMemory memory) {
        ByteBuffer buffer = memory.live();
        for (int i = 0; i < buffer.capacity(); i++) {
            buffer.put(i, (byte) 0);
        }
    }

    /** The kernel, as {@code instahide_mix.cu} computes it, one (sample, value) at a time. */
    /** The live bytes (little-endian) behind a block of this device's memory. */
    public static ByteBuffer contents(DeviceMemory memory) {
        return ((HostMemory) memory).live();
    }

    static void mix(MixLaunch launch) {
        MixLaunch.KeyLayout layout = launch.layout();
        ByteBuffer keys = ((HostMemory) launch.keys()).live();
        ByteBuffer out = ((HostMemory) launch.out()).live();
        int k = launch.k();
        int dim = launch.dim();
        for (int b = 0; b < launch.n(); b++) {
            for (int j = 0; j < dim; j++) {
                int lutRow = (j / launch.plane()) * 256;
                int slotBase = layout.indexOffset() + b * k * Integer.BYTES;
                int lambdaBase = layout.lambdaOffset() + b * k * Float.BYTES;
                float acc =
                        keys.getFloat(lambdaBase)
                                * value(launch, 0, keys.getInt(slotBase), j, lutRow);
                for (int s = 1; s < k; s++) {
                    int set = s < launch.privateSlots() ? 1 : 2;
                    float v =
                            value(
                                    launch,
                                    set,
                                    keys.getInt(slotBase + s * Integer.BYTES),
                                    j,
                                    lutRow);
                    acc = acc + keys.getFloat(lambdaBase + s * Float.BYTES) * v;
                }
                if (launch.maskWords() > 0) {
                    int word =
                            keys.getInt(
                                    layout.maskOffset()
                                            + (b * launch.maskWords() + (j >>> 5)) * Integer.BYTES);
                    int flip = ((word >>> (j & 31)) & 1) << 31;
                    acc = Float.intBitsToFloat(Float.floatToRawIntBits(acc) ^ flip);
                }
                out.putFloat((b * dim + j) * Float.BYTES, acc);
            }
        }
    }

    private static float value(MixLaunch launch, int set, int image, int j, int lutRow) {
        ByteBuffer records = ((HostMemory) launch.sets()[set]).live();
        long at = (long) image * launch.dim() + j;
        if (launch.encoding() == Encoding.UINT8) {
            int pixel = records.get((int) at) & 0xFF;
            return ((HostMemory) launch.tables()[set])
                    .live()
                    .getFloat((lutRow + pixel) * Float.BYTES);
        }
        return records.getFloat((int) at * Float.BYTES);
    }

    /** Device or pinned memory, both plain host memory here. */
    private static final class HostMemory implements DeviceMemory, PinnedMemory {

        final ByteBuffer buffer;
        boolean freed;

        HostMemory(long bytes) {
            this.buffer =
                    ByteBuffer.allocate((int) Math.max(1, bytes)).order(ByteOrder.LITTLE_ENDIAN);
        }

        ByteBuffer live() {
            if (freed) {
                throw new IllegalStateException("use of freed memory");
            }
            return buffer;
        }

        @Override
        public long bytes() {
            return buffer.capacity();
        }

        @Override
        public ByteBuffer buffer() {
            return live();
        }

        @Override
        public void close() {
            if (freed) {
                throw new IllegalStateException("double free");
            }
            freed = true;
        }
    }

    private static final class HostStream implements Stream {
        final Queue<Runnable> work = new ArrayDeque<>();
        final List<HostMemory> pendingWrites = new ArrayList<>();

        @Override
        public void close() {
            if (!work.isEmpty()) {
                throw new IllegalStateException(
                        "stream closed with " + work.size() + " pending operations");
            }
        }
    }
}
