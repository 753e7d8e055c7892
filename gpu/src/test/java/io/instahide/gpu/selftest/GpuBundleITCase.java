package io.instahide.gpu.selftest;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The self-test bundle as a GPU host gets it ({@code target/gpu-bundle}, built at {@code package}):
 * small enough to travel, runs on its own Java runtime, checks bit-exactness on the kernel's host
 * twin, and on a host without a GPU says so with exit status 3.
 */
class GpuBundleITCase {

    private static final Path BUNDLE = Path.of("target", "gpu-bundle");

    @Test
    void fitsIn64MiBWithItsOwnSmallRuntime() throws Exception {
        long bytes;
        try (Stream<Path> files = Files.walk(BUNDLE)) {
            bytes = files.filter(Files::isRegularFile).mapToLong(GpuBundleITCase::size).sum();
        }
        assertThat(bytes).isLessThan(64L << 20);

        Result modules = run(BUNDLE.resolve("runtime/bin/java").toString(), "--list-modules");
        assertThat(modules.output().lines().map(line -> line.replaceAll("@.*", "")))
                .containsExactlyInAnyOrder("java.base", "java.logging", "jdk.unsupported");
    }

    @Test
    void dryRunOnTheHostTwinFindsEveryValueBitIdentical() throws Exception {
        Path report = Files.createTempFile("selftest", ".md");

        Result result =
                selfTest("--host", "--quick", "--seconds", "0.2", "--out", report.toString());

        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output())
                .contains("RESULT: PASS", "reference vectors mixing_cross_k6_pair")
                .doesNotContain("FAIL ");
        assertThat(result.output().lines().filter(line -> line.startsWith("PASS "))).hasSize(8);
        assertThat(Files.readString(report))
                .contains("| 3x32x32 | 6 | 64 |", "host-memory twin", "not a GPU");
    }

    @Test
    void hostCeilingMeasuresTheHostsShareWithoutClaimingBitExactness() throws Exception {
        Result result = selfTest("--host-ceiling", "--quick", "--seconds", "0.2");

        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output())
                .contains("host-side ceiling", "RESULT: throughput only", "| 1x28x28 | 4 | 64 |")
                .doesNotContain("PASS ", "FAIL ");
    }

    @Test
    void onTheRealDriverItRunsOrSaysWhyNot() throws Exception {
        Result result = selfTest("--quick", "--seconds", "0.2");

        if (result.exit() == 3) {
            assertThat(result.output()).contains("No usable GPU", "libcuda.so.1");
        } else {
            assertThat(result.exit()).as(result.output()).isZero();
            assertThat(result.output()).contains("RESULT: PASS", "compute capability");
        }
    }

    @Test
    void badArgumentsPrintTheUsage() throws Exception {
        Result result = selfTest("--gpu");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.output()).contains("usage: run-selftest");
    }

    private static Result selfTest(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(BUNDLE.resolve("run-selftest").toString());
        command.addAll(List.of(args));
        return run(command.toArray(String[]::new));
    }

    private static Result run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.waitFor(), output);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private record Result(int exit, String output) {}
}
