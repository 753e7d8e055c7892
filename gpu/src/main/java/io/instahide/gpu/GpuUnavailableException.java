package io.instahide.gpu;

/**
 * No usable GPU: no NVIDIA driver, no device, a device index out of range, or a driver too old for
 * the kernel. The message says which and what to do; the job never falls back to the CPU.
 */
public final class GpuUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public GpuUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
