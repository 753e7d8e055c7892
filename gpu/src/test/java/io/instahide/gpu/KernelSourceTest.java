package io.instahide.gpu;

import io.instahide.core.PackedImageSet.Encoding;
import io.instahide.gpu.GpuDevice.DeviceMemory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed PTX is what the committed CUDA source gives, keeps the arithmetic the Java mixer
 * has, and offers the entry points {@link CudaDevice} launches with the parameters it passes.
 * (Regenerating needs nvcc: {@code gpu/regenerate-ptx.sh --check} proves the PTX is current.)
 */
class KernelSourceTest {

    private static final String PTX = KernelSource.text();

    @Test
    void wasGeneratedFromTheCommittedCudaSource() throws Exception {
        byte[] source = Files.readAllBytes(Path.of("src/main/cuda/instahide_mix.cu"));
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(source));

        assertThat(KernelSource.sourceSha256())
                .as("edit instahide_mix.cu, then run gpu/regenerate-ptx.sh")
                .isEqualTo(sha);
    }

    @Test
    void neverFusesMultiplyAndAddSoTheBitsMatchJava() {
        assertThat(PTX).doesNotContainPattern("\\bfma\\.");
        assertThat(PTX).contains("mul.rn.f32", "add.rn.f32");
        assertThat(PTX).doesNotContain(".ftz");
    }

    @Test
    void targetsAPtxVersionThatDriversFromCuda11Accept() {
        assertThat(KernelSource.isaVersion()).isEqualTo("7.0");
        assertThat(PTX).contains(".target sm_75");
        assertThat(KernelSource.ptx()).endsWith("\0");
    }

    @ParameterizedTest
    @EnumSource(Encoding.class)
    void entryPointsTakeTheArgumentsTheDeviceLaunchesWith(Encoding encoding) {
        TestingHostDevice device = new TestingHostDevice();
        DeviceMemory memory = device.allocate(16);
        DeviceMemory[] three = {memory, memory, memory};
        MixLaunch launch = new MixLaunch(encoding, three, three, memory, memory, 2, 6, 2, 48, 3, 2);

        KernelArguments arguments = KernelArguments.of(launch);

        // P: a pointer, i: an int, in the order of the PTX entry point's parameters.
        assertThat(arguments.signature()).isEqualTo(parameters(arguments.entry()));
        assertThat(arguments.signature())
                .isEqualTo(encoding == Encoding.UINT8 ? "PPPPPPPPPPiiiiii" : "PPPPPPPiiii");
        assertThat(arguments.values()).contains(48, 6, 2);
    }

    private static String parameters(String entry) {
        Matcher matcher =
                Pattern.compile("\\.entry " + entry + "\\(([^)]*)\\)", Pattern.DOTALL).matcher(PTX);
        assertThat(matcher.find()).as("entry %s", entry).isTrue();
        StringBuilder types = new StringBuilder();
        Matcher param = Pattern.compile("\\.param \\.(u64|u32)").matcher(matcher.group(1));
        while (param.find()) {
            types.append(param.group(1).equals("u64") ? 'P' : 'i');
        }
        return types.toString();
    }
}
