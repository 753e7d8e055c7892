package io.instahide.gpu;

import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A CUDA GPU through the driver API (JCuda): needs only the NVIDIA driver ({@code libcuda.so.1}),
 * no CUDA toolkit. The kernel ships as PTX ({@link KernelSource}); the driver JIT-compiles it for
 * whatever GPU it finds. Uses the device's primary context, so several operators in one JVM share
 * it.
 */
public final class CudaDevice implements GpuDevice {

    private static final int BLOCK = 256;
    private static final String U8_ENTRY = "instahide_mix_u8";
    private static final String F32_ENTRY = "instahide_mix_f32";

    /** Why the binding failed to load the first time; later attempts only see the class missing. */
    private static volatile String firstLoadFailure;

    private final int index;
    private final CUdevice device;
    private final CUcontext context;
    private final CUmodule module;
    private final CUfunction mixU8;
    private final CUfunction mixF32;
    private final String description;

    private CudaDevice(int index) {
        this.index = index;
        this.device = new CUdevice();
        JCudaDriver.cuDeviceGet(device, index);
        this.context = new CUcontext();
        JCudaDriver.cuDevicePrimaryCtxRetain(context, device);
        JCudaDriver.cuCtxSetCurrent(context);
        this.module = new CUmodule();
        try {
            JCudaDriver.cuModuleLoadData(module, KernelSource.ptx());
        } catch (CudaException e) {
            JCudaDriver.cuDevicePrimaryCtxRelease(device);
            throw new GpuUnavailableException(
                    String.format(
                            "The NVIDIA driver could not compile the InstaHide kernel for GPU %d"
                                    + " (%s): %s. The kernel is PTX ISA %s; update the NVIDIA"
                                    + " driver (R450 or newer), or set encrypt.engine=java.",
                            index, name(device), e.getMessage(), KernelSource.isaVersion()),
                    e);
        }
        this.mixU8 = new CUfunction();
        JCudaDriver.cuModuleGetFunction(mixU8, module, U8_ENTRY);
        this.mixF32 = new CUfunction();
        JCudaDriver.cuModuleGetFunction(mixF32, module, F32_ENTRY);
        this.description = describe(index, device);
    }

    /**
     * Opens GPU {@code index} (as the CUDA driver numbers them; Flink's GPU resource reports the
     * same numbers).
     *
     * @throws GpuUnavailableException with what is missing and what to do
     */
    public static CudaDevice open(int index) {
        int count;
        try {
            JCudaDriver.setExceptionsEnabled(true);
            JCudaDriver.cuInit(0);
            int[] devices = new int[1];
            JCudaDriver.cuDeviceGetCount(devices);
            count = devices[0];
        } catch (LinkageError e) {
            if (firstLoadFailure == null || !(e instanceof NoClassDefFoundError)) {
                firstLoadFailure = loadFailure(e);
            }
            throw new GpuUnavailableException(driverLoadMessage(firstLoadFailure), e);
        } catch (CudaException e) {
            throw new GpuUnavailableException(
                    "encrypt.engine=cuda: the NVIDIA driver found no usable GPU ("
                            + e.getMessage()
                            + "). Check nvidia-smi on this host, or set encrypt.engine=java.",
                    e);
        }
        if (index < 0 || index >= count) {
            throw new GpuUnavailableException(
                    String.format(
                            "encrypt.engine=cuda asked for GPU %d but this host has %d GPU(s),"
                                    + " numbered from 0: set encrypt.cuda.device, or let Flink's"
                                    + " external-resource.gpu assign one.",
                            index, count),
                    null);
        }
        return new CudaDevice(index);
    }

    /** What to tell the user when JCuda's driver binding cannot be loaded, for {@code reason}. */
    static String driverLoadMessage(String reason) {
        if (reason.contains("another classloader")) {
            return "encrypt.engine=cuda: JCuda's native library is already loaded by another"
                    + " class loader in this JVM (an earlier run of the job in this TaskManager)."
                    + " Put the JCuda jars into Flink's lib/ and add jcuda. to"
                    + " classloader.parent-first-patterns.additional, as the Docker image does.";
        }
        return "encrypt.engine=cuda needs an NVIDIA GPU and its driver, but the driver library"
                + " (libcuda.so.1) could not be loaded ("
                + reason
                + "). Run the job where the NVIDIA driver is installed (on Flink, a TaskManager"
                + " with external-resource.gpu), or set encrypt.engine=java.";
    }

    /** JCuda reports every attempt with its stack trace; the last linker message says why. */
    static String loadFailure(LinkageError error) {
        String reason = String.valueOf(error.getMessage()).lines().findFirst().orElse("");
        for (String line : String.valueOf(error.getMessage()).lines().toList()) {
            int at = line.indexOf("UnsatisfiedLinkError: ");
            if (at >= 0) {
                reason = line.substring(at + "UnsatisfiedLinkError: ".length());
            }
        }
        return reason;
    }

    private static String name(CUdevice device) {
        byte[] bytes = new byte[256];
        JCudaDriver.cuDeviceGetName(bytes, bytes.length, device);
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.US_ASCII);
    }

    private static String describe(int index, CUdevice device) {
        int[] major = new int[1];
        int[] minor = new int[1];
        int[] version = new int[1];
        JCudaDriver.cuDeviceGetAttribute(
                major, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device);
        JCudaDriver.cuDeviceGetAttribute(
                minor, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device);
        JCudaDriver.cuDriverGetVersion(version);
        return String.format(
                "%s (GPU %d, compute capability %d.%d, CUDA driver API %d.%d)",
                name(device), index, major[0], minor[0], version[0] / 1000, version[0] % 1000 / 10);
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void bind() {
        JCudaDriver.cuCtxSetCurrent(context);
    }

    @Override
    public DeviceMemory allocate(long bytes) {
        CUdeviceptr pointer = new CUdeviceptr();
        JCudaDriver.cuMemAlloc(pointer, Math.max(1, bytes));
        return new CudaMemory(pointer, bytes);
    }

    @Override
    public PinnedMemory allocatePinned(int bytes) {
        Pointer pointer = new Pointer();
        JCudaDriver.cuMemAllocHost(pointer, Math.max(1, bytes));
        ByteBuffer buffer =
                pointer.getByteBuffer(0, Math.max(1, bytes)).order(ByteOrder.LITTLE_ENDIAN);
        return new CudaPinned(pointer, buffer);
    }

    @Override
    public Stream createStream() {
        CUstream stream = new CUstream();
        JCudaDriver.cuStreamCreate(stream, 0);
        return new CudaStream(stream);
    }

    @Override
    public void upload(
            PinnedMemory src,
            int srcOffset,
            DeviceMemory dst,
            long dstOffset,
            int bytes,
            Stream stream) {
        JCudaDriver.cuMemcpyHtoDAsync(
                pointer(dst).withByteOffset(dstOffset),
                ((CudaPinned) src).pointer.withByteOffset(srcOffset),
                bytes,
                ((CudaStream) stream).stream);
    }

    @Override
    public void download(
            DeviceMemory src,
            long srcOffset,
            PinnedMemory dst,
            int dstOffset,
            int bytes,
            Stream stream) {
        JCudaDriver.cuMemcpyDtoHAsync(
                ((CudaPinned) dst).pointer.withByteOffset(dstOffset),
                pointer(src).withByteOffset(srcOffset),
                bytes,
                ((CudaStream) stream).stream);
    }

    @Override
    public void zero(DeviceMemory memory, Stream stream) {
        JCudaDriver.cuMemsetD8Async(
                pointer(memory), (byte) 0, memory.bytes(), ((CudaStream) stream).stream);
    }

    @Override
    public void launch(MixLaunch launch, Stream stream) {
        KernelArguments arguments = KernelArguments.of(launch);
        List<Pointer> parameters = new ArrayList<>();
        for (Object value : arguments.values()) {
            parameters.add(
                    value instanceof KernelArguments.Buffer buffer
                            ? Pointer.to(pointer(buffer.memory()).withByteOffset(buffer.offset()))
                            : Pointer.to(new int[] {(Integer) value}));
        }
        JCudaDriver.cuLaunchKernel(
                arguments.entry().equals(U8_ENTRY) ? mixU8 : mixF32,
                (launch.dim() + BLOCK - 1) / BLOCK,
                launch.n(),
                1,
                BLOCK,
                1,
                1,
                KernelArguments.sharedMemory(launch),
                ((CudaStream) stream).stream,
                Pointer.to(parameters.toArray(Pointer[]::new)),
                null);
    }

    @Override
    public void synchronize(Stream stream) {
        JCudaDriver.cuStreamSynchronize(((CudaStream) stream).stream);
    }

    @Override
    public void close() {
        bind();
        JCudaDriver.cuModuleUnload(module);
        JCudaDriver.cuDevicePrimaryCtxRelease(device);
    }

    @Override
    public String toString() {
        return "CudaDevice[" + index + "]";
    }

    private static CUdeviceptr pointer(DeviceMemory memory) {
        return ((CudaMemory) memory).pointer;
    }

    private record CudaMemory(CUdeviceptr pointer, long bytes) implements DeviceMemory {
        @Override
        public void close() {
            JCudaDriver.cuMemFree(pointer);
        }
    }

    private record CudaPinned(Pointer pointer, ByteBuffer buffer) implements PinnedMemory {
        @Override
        public ByteBuffer buffer() {
            return buffer;
        }

        @Override
        public void close() {
            JCudaDriver.cuMemFreeHost(pointer);
        }
    }

    private record CudaStream(CUstream stream) implements Stream {
        @Override
        public void close() {
            JCudaDriver.cuStreamDestroy(stream);
        }
    }
}
