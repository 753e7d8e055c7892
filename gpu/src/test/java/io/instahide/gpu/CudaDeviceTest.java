package io.instahide.gpu;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The real driver binding. Where no NVIDIA driver is installed (CI, most laptops), opening a GPU
 * must fail with a message that says what is missing and what to do, never crash the JVM or fall
 * back silently; where one is, the device must describe itself.
 */
class CudaDeviceTest {

    @Test
    void opensTheGpuOrSaysClearlyWhyNot() {
        Throwable failure = catchThrowable(() -> CudaDevice.open(0).close());

        if (failure == null) {
            try (CudaDevice device = CudaDevice.open(0)) {
                assertThat(device.description()).contains("GPU 0", "compute capability");
            }
        } else {
            assertThat(failure)
                    .isInstanceOf(GpuUnavailableException.class)
                    .hasMessageContaining("encrypt.engine=java");
            assertThat(failure.getMessage()).containsAnyOf("libcuda.so.1", "no usable GPU");
        }
    }

    @Test
    void aSecondAttemptFailsTheSameWayAfterTheFirstFailedToLoadTheDriver() {
        Throwable first = catchThrowable(() -> CudaDevice.open(0).close());
        Throwable second = catchThrowable(() -> CudaDevice.open(0).close());

        if (first != null) {
            assertThat(second)
                    .isInstanceOf(GpuUnavailableException.class)
                    .hasMessageContaining("encrypt.engine=java");
        } else {
            assertThat(second).isNull();
        }
    }

    @Test
    void anIndexBeyondTheHostsGpusIsRefusedWithTheCount() {
        Throwable failure = catchThrowable(() -> CudaDevice.open(64).close());

        assertThat(failure).isInstanceOf(GpuUnavailableException.class);
        assertThat(failure.getMessage())
                .containsAnyOf(
                        "asked for GPU 64 but this host has", "libcuda.so.1", "no usable GPU");
    }
}
