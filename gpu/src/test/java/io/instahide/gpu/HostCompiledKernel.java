package io.instahide.gpu;

import io.instahide.core.PackedImageSet.Encoding;
import io.instahide.gpu.GpuDevice.DeviceMemory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The kernel's own source, {@code src/main/cuda/instahide_mix.cu}, compiled for the host with g++
 * ({@code src/test/cuda-host}: CUDA threads become host threads, {@code __syncthreads} a barrier)
 * and run once per launch: the kernel's indexing, mask bits, tables and slot routing execute for
 * real on machines without a GPU. Needs g++ (Debian package {@code g++}).
 */
public final class HostCompiledKernel implements TestingHostDevice.Kernel {

    private static final Path BUILD = Path.of("target", "cuda-host");
    private static Path binary;

    /** Compiles the harness once per JVM. */
    static synchronized Path binary() {
        if (binary == null) {
            Path output = BUILD.resolve("kernel_host_harness");
            run(
                    List.of(
                            "g++",
                            "-std=c++20",
                            "-O2",
                            "-ffp-contract=off",
                            "-pthread",
                            "-Wall",
                            "-Werror",
                            "-include",
                            "src/test/cuda-host/cuda_host_shim.h",
                            "-x",
                            "c++",
                            "src/main/cuda/instahide_mix.cu",
                            "-x",
                            "c++",
                            "src/test/cuda-host/kernel_host_harness.cpp",
                            "-o",
                            output.toString()),
                    "g++ could not build the kernel for the host (install the Debian package g++)");
            binary = output;
        }
        return binary;
    }

    @Override
    public void run(MixLaunch launch) {
        Path harness = binary();
        try {
            Path input = Files.createTempFile(BUILD, "launch", ".bin");
            Path output = Files.createTempFile(BUILD, "out", ".bin");
            try {
                write(launch, input);
                run(List.of(harness.toString(), input.toString(), output.toString()), "kernel");
                ByteBuffer out = TestingHostDevice.contents(launch.out()).duplicate();
                out.clear();
                out.put(Files.readAllBytes(output));
            } finally {
                Files.deleteIfExists(input);
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(MixLaunch launch, Path file) throws IOException {
        boolean bytes = launch.encoding() == Encoding.UINT8;
        DeviceMemory[] parts = {
            launch.sets()[0],
            launch.sets()[1],
            launch.sets()[2],
            bytes ? launch.tables()[0] : null,
            bytes ? launch.tables()[1] : null,
            bytes ? launch.tables()[2] : null,
            launch.keys()
        };
        ByteBuffer header = ByteBuffer.allocate(8 * 4 + 7 * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int value :
                new int[] {
                    bytes ? 0 : 1,
                    launch.n(),
                    launch.k(),
                    launch.privateSlots(),
                    launch.dim(),
                    launch.plane(),
                    launch.channels(),
                    launch.maskWords()
                }) {
            header.putInt(value);
        }
        for (DeviceMemory part : parts) {
            header.putLong(part == null ? 0 : part.bytes());
        }
        header.flip();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(header);
            for (DeviceMemory part : parts) {
                if (part != null) {
                    ByteBuffer contents = TestingHostDevice.contents(part).duplicate();
                    contents.clear();
                    channel.write(contents);
                }
            }
        }
    }

    private static void run(List<String> command, String what) {
        try {
            Files.createDirectories(BUILD);
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException(what + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(what + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " interrupted", e);
        }
    }
}
