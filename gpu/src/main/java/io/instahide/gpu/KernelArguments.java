package io.instahide.gpu;

import io.instahide.core.PackedImageSet.Encoding;
import io.instahide.gpu.GpuDevice.DeviceMemory;

import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of one kernel launch in the order of the entry point's parameters in {@code
 * instahide_mix.cu}: device memory ({@link Buffer}, possibly at an offset) or an {@code int}.
 * {@link CudaDevice} turns them into driver pointers; {@code KernelSourceTest} checks them against
 * the committed PTX.
 *
 * @param entry the entry point's name
 * @param values {@link Buffer}s and {@link Integer}s
 */
record KernelArguments(String entry, List<Object> values) {

    /** Device memory from {@code offset} bytes on. */
    record Buffer(DeviceMemory memory, long offset) {}

    static KernelArguments of(MixLaunch launch) {
        boolean bytes = launch.encoding() == Encoding.UINT8;
        List<Object> values = new ArrayList<>();
        for (int set = 0; set < 3; set++) {
            values.add(new Buffer(launch.sets()[set], 0));
            if (bytes) {
                values.add(new Buffer(launch.tables()[set], 0));
            }
        }
        MixLaunch.KeyLayout layout = launch.layout();
        values.add(new Buffer(launch.keys(), layout.indexOffset()));
        values.add(new Buffer(launch.keys(), layout.lambdaOffset()));
        values.add(new Buffer(launch.keys(), layout.maskOffset()));
        values.add(new Buffer(launch.out(), 0));
        values.add(launch.k());
        values.add(launch.privateSlots());
        values.add(launch.dim());
        if (bytes) {
            values.add(launch.plane());
            values.add(launch.channels());
        }
        values.add(launch.maskWords());
        return new KernelArguments(bytes ? "instahide_mix_u8" : "instahide_mix_f32", values);
    }

    /** Bytes of dynamic shared memory the launch needs: the u8 kernel's three tables. */
    static int sharedMemory(MixLaunch launch) {
        return launch.encoding() == Encoding.UINT8 ? 3 * launch.channels() * 256 * Float.BYTES : 0;
    }

    /** P for a pointer, i for an int, in order: comparable with the PTX's parameter list. */
    String signature() {
        StringBuilder signature = new StringBuilder();
        for (Object value : values) {
            signature.append(value instanceof Integer ? 'i' : 'P');
        }
        return signature.toString();
    }
}
