package io.instahide.bench;

import io.instahide.core.ImageShape;
import io.instahide.core.image.ImageFitting;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Raw device images per second from interleaved HWC bytes to the job's CHW layout, single thread,
 * as validation does it for every RAW_U8 record: {@code chw} is {@link ImageFitting#hwcToChw};
 * {@code strided} the loop it replaced (each plane gathered with a stride of C); {@code copy} a
 * plain copy of the bytes, the memory's ceiling, measured in the same run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ImageLayoutBenchmark {

    @Param({"1x28x28", "3x32x32", "3x224x224"})
    public String shape;

    @Param({"chw", "strided", "copy"})
    public String path;

    private byte[] hwc;
    private int channels;

    @Setup
    public void setUp() {
        ImageShape imageShape = ImageShape.parse(shape);
        channels = imageShape.channels();
        hwc = new byte[imageShape.size()];
        new Random(3).nextBytes(hwc);
    }

    @Benchmark
    public byte[] layout() {
        switch (path) {
            case "chw":
                return ImageFitting.hwcToChw(hwc, channels);
            case "strided":
                return strided(hwc, channels);
            default:
                return hwc.clone();
        }
    }

    private static byte[] strided(byte[] hwc, int channels) {
        int plane = hwc.length / channels;
        byte[] chw = new byte[hwc.length];
        for (int c = 0; c < channels; c++) {
            for (int p = 0; p < plane; p++) {
                chw[c * plane + p] = hwc[p * channels + c];
            }
        }
        return chw;
    }
}
