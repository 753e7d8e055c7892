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
    void aSecondAttemptStillNamesTheFirstReason() {
        Throwable first = catchThrowable(() -> CudaDevice.open(0).close());
        Throwable second = catchThrowable(() -> CudaDevice.open(0).close());

        if (first != null && first.getMessage().contains("libcuda.so.1: cannot open")) {
            assertThat(second.getMessage()).contains("libcuda.so.1: cannot open");
        } else {
            assertThat(second == null ? null : second.getMessage())
                    .isEqualTo(first == null ? null : first.getMessage());
        }
    }

    @Test
    void aBindingLoadedByAnEarlierJobsClassLoaderIsExplained() {
        UnsatisfiedLinkError error =
                new UnsatisfiedLinkError(
                        "Error while loading native library \"JCudaDriver-12.0.0-linux-x86_64\"\n"
                                + "java.lang.UnsatisfiedLinkError: Native Library"
                                + " /tmp/libJCudaDriver-12.0.0-linux-x86_64.so already loaded in"
                                + " another classloader\n\tat java.base/...");

        assertThat(CudaDevice.driverLoadMessage(CudaDevice.loadFailure(error)))
                .contains("already loaded by another class loader", "lib/", "jcuda.");
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
