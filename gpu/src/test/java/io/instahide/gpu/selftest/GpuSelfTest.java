package io.instahide.gpu.selftest;

import io.instahide.core.ImageShape;
import io.instahide.core.InstaHideParameters;
import io.instahide.core.JavaMixer;
import io.instahide.core.Mixer;
import io.instahide.core.PackedImageSet;
import io.instahide.core.U8ImageList;
import io.instahide.gpu.CudaDevice;
import io.instahide.gpu.CudaMixer;
import io.instahide.gpu.GpuDevice;
import io.instahide.gpu.GpuUnavailableException;
import io.instahide.gpu.KernelSource;
import io.instahide.gpu.TestingHostDevice;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The GPU self-test of the bundle ({@code gpu/target/gpu-bundle/run-selftest}): on a GPU host with
 * no Java and no network, checks that the CUDA mixer gives the Java mixer's bits (reference
 * vectors; random batches of 1×28×28, 3×32×32 and 3×224×224 at k = 4 and 6) and measures its
 * throughput against the CPU operator (one thread, and one per core) in the same run.
 *
 * <pre>
 * run-selftest [--gpu N] [--seconds S] [--out results.md] [--quick] [--host | --host-ceiling]
 * </pre>
 *
 * {@code --host} runs everything on the kernel's host-memory twin (no GPU; its timings are not GPU
 * figures). {@code --host-ceiling} skips the device's work (copies, kernel) and the checks: what is
 * left is the host's share of the GPU path (keys, packing, copies out of pinned memory), so its
 * throughput bounds what any GPU can reach on this host. Exit status: 0 all bit-identical, 1 a
 * mismatch, 2 bad arguments, 3 no usable GPU.
 */
public final class GpuSelfTest {

    private static final ImageShape MNIST = new ImageShape(1, 28, 28);
    private static final ImageShape CIFAR = new ImageShape(3, 32, 32);
    private static final ImageShape IMAGENET = new ImageShape(3, 224, 224);

    private final PrintStream console;
    private final Supplier<GpuDevice> devices;
    private final boolean quick;
    private final double seconds;
    private final Mode mode;

    /** Where the mixer runs. */
    enum Mode {
        GPU,
        HOST,
        HOST_CEILING
    }

    private GpuSelfTest(
            PrintStream console,
            Supplier<GpuDevice> devices,
            boolean quick,
            double seconds,
            Mode mode) {
        this.console = console;
        this.devices = devices;
        this.quick = quick;
        this.seconds = seconds;
        this.mode = mode;
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out));
    }

    static int run(String[] args, PrintStream console) throws Exception {
        int gpu = 0;
        double seconds = 3;
        boolean quick = false;
        Mode mode = Mode.GPU;
        Path out = null;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--gpu" -> gpu = Integer.parseInt(args[++i]);
                    case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                    case "--out" -> out = Path.of(args[++i]);
                    case "--quick" -> quick = true;
                    case "--host" -> mode = Mode.HOST;
                    case "--host-ceiling" -> mode = Mode.HOST_CEILING;
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
        } catch (RuntimeException e) {
            console.println("run-selftest: " + e.getMessage());
            console.println(
                    "usage: run-selftest [--gpu N] [--seconds S] [--out results.md] [--quick]"
                            + " [--host | --host-ceiling]");
            return 2;
        }
        int index = gpu;
        Mode chosen = mode;
        Supplier<GpuDevice> devices =
                mode == Mode.GPU
                        ? () -> CudaDevice.open(index)
                        : () -> new TestingHostDevice(chosen == Mode.HOST);
        String description;
        try (GpuDevice probe = devices.get()) {
            description = probe.description();
        } catch (GpuUnavailableException e) {
            console.println("No usable GPU: " + e.getMessage());
            return 3;
        }
        return new GpuSelfTest(console, devices, quick, seconds, mode).run(description, out);
    }

    private int run(String description, Path out) throws Exception {
        List<String> report = new ArrayList<>();
        report.add("# GPU self-test");
        report.add("");
        report.add("- Device: " + description);
        report.add(
                String.format(
                        "- Host: %d cores, Java %s (%s), kernel PTX ISA %s",
                        Runtime.getRuntime().availableProcessors(),
                        System.getProperty("java.version"),
                        System.getProperty("java.vm.name"),
                        KernelSource.isaVersion()));
        report.forEach(console::println);

        List<BitExactChecks.Check> checks = mode == Mode.HOST_CEILING ? List.of() : checks();
        report.add("");
        report.add("## Bit-exact checks (CUDA mixer vs reference and vs the Java mixer)");
        report.add("");
        for (BitExactChecks.Check check : checks) {
            report.add("- " + check);
        }
        if (checks.isEmpty()) {
            report.add("- skipped: --host-ceiling computes nothing");
        }
        boolean passed = checks.stream().allMatch(BitExactChecks.Check::passed);

        report.add("");
        report.addAll(throughput());
        if (out != null) {
            Files.writeString(out, String.join("\n", report) + "\n");
            console.println("Report written to " + out);
        }
        console.println(
                checks.isEmpty()
                        ? "RESULT: throughput only (--host-ceiling)"
                        : passed
                                ? "RESULT: PASS, every value bit-identical"
                                : "RESULT: FAIL, see the FAIL lines");
        return passed ? 0 : 1;
    }

    private List<BitExactChecks.Check> checks() {
        BitExactChecks bitExact = new BitExactChecks(devices);
        List<BitExactChecks.Check> checks = new ArrayList<>();
        checks.add(log(bitExact.reference("mixing_inside_k4", 4, 4)));
        checks.add(log(bitExact.reference("mixing_cross_k6_pair", 6, 2)));
        for (ImageShape shape : shapes()) {
            int images = shape.equals(IMAGENET) ? 24 : 100;
            for (InstaHideParameters parameters : schemes()) {
                checks.add(log(bitExact.randomBatches(shape, parameters, images, 2)));
            }
            checks.add(log(bitExact.randomBatches(shape, schemes().get(0).unmasked(), images, 1)));
        }
        return checks;
    }

    private BitExactChecks.Check log(BitExactChecks.Check check) {
        console.println(check);
        return check;
    }

    private List<String> throughput() throws Exception {
        ThroughputBench bench = new ThroughputBench(quick ? Math.min(seconds, 0.3) : seconds);
        int cores = Runtime.getRuntime().availableProcessors();
        List<String> table = new ArrayList<>();
        table.add("## Throughput (encrypted images/s, T = 1, keys from the secure generator)");
        table.add("");
        table.add(
                "GPU: one operator on the CUDA mixer, every transfer included. CPU: one operator on"
                        + " the plain-Java mixer (the default engine), then one per core ("
                        + cores
                        + ") in parallel. Same host, same run.");
        if (mode == Mode.HOST) {
            table.add("");
            table.add(
                    "**--host: the GPU column is the kernel's host-memory twin, not a GPU; these"
                            + " figures only show that the bundle runs.**");
        } else if (mode == Mode.HOST_CEILING) {
            table.add("");
            table.add(
                    "**--host-ceiling: the GPU column is the GPU path with a kernel and transfers"
                            + " that cost the host nothing (as a GPU's DMA engines and kernels"
                            + " do): the host's share alone (keys, new images into the staging"
                            + " buffer, key packing, copying results out of pinned memory), an"
                            + " upper bound for any GPU on this host, not a GPU figure.**");
        }
        table.add("");
        table.add(
                "| shape | k | batch | GPU | CPU, 1 operator | GPU / CPU | CPU, "
                        + cores
                        + " operators | GPU / all cores |");
        table.add("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        console.println(table.get(table.size() - 2));
        for (ImageShape shape : shapes()) {
            U8ImageList pool = ThroughputBench.pool(shape, shape.equals(IMAGENET) ? 1_000 : 10_000);
            for (InstaHideParameters parameters : schemes()) {
                for (int batch : batchSizes(shape)) {
                    Supplier<Mixer<? super PackedImageSet>> gpu =
                            () ->
                                    new CudaMixer(
                                            devices.get(),
                                            shape,
                                            parameters.k(),
                                            batch,
                                            CudaMixer.DEFAULT_CHUNK_BYTES);
                    Supplier<Mixer<? super PackedImageSet>> cpu = () -> new JavaMixer(shape);
                    double onGpu = bench.imagesPerSecond(shape, parameters, batch, pool, gpu);
                    double onCpu = bench.imagesPerSecond(shape, parameters, batch, pool, cpu);
                    double onCores =
                            bench.imagesPerSecondOnThreads(
                                    shape, parameters, batch, pool, cpu, cores);
                    String row =
                            String.format(
                                    Locale.ROOT,
                                    "| %s | %d | %d | %,.0f | %,.0f | %.1f× | %,.0f | %.1f× |",
                                    shape,
                                    parameters.k(),
                                    batch,
                                    onGpu,
                                    onCpu,
                                    onGpu / onCpu,
                                    onCores,
                                    onGpu / onCores);
                    table.add(row);
                    console.println(row);
                }
            }
        }
        return table;
    }

    private List<ImageShape> shapes() {
        return quick ? List.of(MNIST, CIFAR) : List.of(MNIST, CIFAR, IMAGENET);
    }

    private static List<InstaHideParameters> schemes() {
        return List.of(
                InstaHideParameters.withDefaultBounds(4, 4, true),
                InstaHideParameters.withDefaultBounds(6, 2, true));
    }

    private int[] batchSizes(ImageShape shape) {
        if (quick) {
            return new int[] {64};
        }
        return shape.equals(IMAGENET) ? new int[] {16, 64, 256} : new int[] {64, 256, 1024};
    }
}
