package io.instahide.job.encrypt;

import io.instahide.core.ImageShape;
import io.instahide.core.JavaMixer;
import io.instahide.core.Mixer;
import io.instahide.core.PackedImageSet;
import io.instahide.gpu.CudaDevice;
import io.instahide.gpu.CudaMixer;
import io.instahide.nd4j.Nd4jMixer;

import org.apache.flink.api.common.externalresource.ExternalResourceInfo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serializable;
import java.util.Locale;
import java.util.Set;

/**
 * Which mixer encrypts ({@code encrypt.engine}): plain Java (the default, fastest on CPU), ND4J, or
 * the CUDA kernel. All three give the same bits. {@code cuda} on a host without a usable GPU fails
 * with {@link io.instahide.gpu.GpuUnavailableException}; there is no silent fallback.
 *
 * @param cudaDevice the GPU to use when Flink assigns none ({@code encrypt.cuda.device})
 */
public record MixingEngine(Kind kind, int cudaDevice) implements Serializable {

    public static final MixingEngine JAVA = new MixingEngine(Kind.JAVA, 0);

    private static final Logger LOG = LoggerFactory.getLogger(MixingEngine.class);

    /** The engines, by their option value. */
    public enum Kind {
        JAVA,
        ND4J,
        CUDA
    }

    public MixingEngine {
        if (cudaDevice < 0) {
            throw new IllegalArgumentException("CUDA device index must be >= 0, got " + cudaDevice);
        }
    }

    /** Parses java, nd4j or cuda (any case). */
    public static MixingEngine parse(String name, int cudaDevice) {
        try {
            return new MixingEngine(Kind.valueOf(name.trim().toUpperCase(Locale.ROOT)), cudaDevice);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "encrypt.engine must be java, nd4j or cuda, got '" + name + "'", e);
        }
    }

    /**
     * A mixer for one operator instance.
     *
     * @param gpus the GPUs Flink's external resource framework gave this TaskManager ({@code
     *     external-resource.gpu}); empty outside such a cluster
     * @param subtask this operator instance's index, which spreads subtasks over those GPUs
     */
    public Mixer<? super PackedImageSet> open(
            ImageShape shape, int k, int batchSize, Set<ExternalResourceInfo> gpus, int subtask) {
        return switch (kind) {
            case JAVA -> {
                JavaMixer mixer = new JavaMixer(shape);
                LOG.info("Subtask {} mixes on the CPU: {}", subtask, mixer.kernel().description());
                yield mixer;
            }
            case ND4J -> new Nd4jMixer(shape, k, batchSize);
            case CUDA ->
                    new CudaMixer(
                            CudaDevice.open(GpuAssignment.index(gpus, subtask, cudaDevice)),
                            shape,
                            k,
                            batchSize,
                            CudaMixer.DEFAULT_CHUNK_BYTES);
        };
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(Locale.ROOT);
    }
}
