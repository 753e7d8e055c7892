package io.instahide.core;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A JVM started without {@code --add-modules jdk.incubator.vector} (a user's own cluster) still
 * encrypts, on the scalar kernel, and says how to get the SIMD one; asking for SIMD there fails
 * with the option to add.
 */
class MixKernelsWithoutVectorApiTest {

    /** Run in the child JVM: prints the kernel the CPU mixer picks. */
    public static final class Probe {
        public static void main(String[] args) {
            System.out.println(
                    "kernel=" + new JavaMixer(new ImageShape(1, 4, 4)).kernel().description());
        }
    }

    @Test
    void aJvmWithoutTheVectorApiMixesOnTheScalarKernel() throws Exception {
        assertThat(run()).contains("kernel=scalar loops");
    }

    @Test
    void askingForSimdWithoutTheVectorApiNamesTheMissingOption() throws Exception {
        assertThat(run("-D" + MixKernels.PROPERTY + "=simd"))
                .contains("needs the JVM option --add-modules jdk.incubator.vector");
    }

    private static String run(String... options) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new java.util.ArrayList<>(List.of(java.toString()));
        command.addAll(List.of(options));
        command.addAll(
                List.of("-cp", System.getProperty("java.class.path"), Probe.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("child JVM exits").isTrue();
        return output;
    }
}
