package io.instahide.gpu;

import io.instahide.core.ImageShape;
import io.instahide.core.InstaHideParameters;
import io.instahide.gpu.selftest.BitExactChecks;
import io.instahide.gpu.selftest.BitExactChecks.Check;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CUDA kernel's own source, compiled for the host ({@link HostCompiledKernel}), under the GPU
 * mixer: the same checks the GPU self-test makes on a GPU, here on any machine with g++. What this
 * does not cover is nvcc's code generation and the driver: those need a GPU (the self-test bundle).
 */
class KernelOnHostTest {

    private static final BitExactChecks CHECKS =
            new BitExactChecks(() -> new TestingHostDevice(new HostCompiledKernel()));

    @Test
    void reproducesTheReferenceVectorsOnTheFloatEntryPoint() {
        assertPassed(CHECKS.reference("mixing_inside_k4", 4, 4), 48);
        assertPassed(CHECKS.reference("mixing_cross_k6_pair", 6, 2), 48);
    }

    @ParameterizedTest(name = "{0} k={1} private={2} masked={3}")
    @CsvSource({
        "1x28x28, 4, 4, true",
        "1x28x28, 4, 4, false",
        "3x32x32, 6, 2, true",
        "3x5x7, 6, 3, true",
        "2x9x11, 2, 1, true",
    })
    void givesTheJavaMixersBitsOnTheByteEntryPoint(
            String shapeText, int k, int privateSlots, boolean masked) {
        ImageShape shape = ImageShape.parse(shapeText);
        InstaHideParameters parameters =
                InstaHideParameters.withDefaultBounds(k, privateSlots, masked);

        Check check = CHECKS.randomBatches(shape, parameters, 12, 2);

        assertPassed(check, 3L * 12 * 2 * shape.size());
    }

    private static void assertPassed(Check check, long values) {
        assertThat(check.passed()).as(check.toString()).isTrue();
        assertThat(check.values()).isEqualTo(values);
    }
}
