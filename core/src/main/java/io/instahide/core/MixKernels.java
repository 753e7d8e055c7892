package io.instahide.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * Chooses the {@link MixKernel}: SIMD when the JVM runs with {@code --add-modules
 * jdk.incubator.vector} (the Docker image, the launch scripts and the tests do), the scalar loops
 * otherwise or when {@code -Dinstahide.kernel=scalar} asks for them. Both give the same bits; the
 * choice is only speed.
 */
public final class MixKernels {

    /** System property that forces a kernel: {@code simd} or {@code scalar}. */
    public static final String PROPERTY = "instahide.kernel";

    static final String VECTOR_MODULE = "jdk.incubator.vector";

    private static final Logger LOG = LoggerFactory.getLogger(MixKernels.class);
    private static final MixKernel BEST = choose(System.getProperty(PROPERTY, ""));

    private MixKernels() {}

    /** The fastest kernel this JVM can run (or the one {@value #PROPERTY} names). */
    public static MixKernel best() {
        return BEST;
    }

    /** The plain loops, on every JVM. */
    public static MixKernel scalar() {
        return ScalarMixKernel.INSTANCE;
    }

    /** Whether this JVM can run the SIMD kernel. */
    public static boolean simdAvailable() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    static MixKernel choose(String requested) {
        String wanted = requested.trim().toLowerCase(Locale.ROOT);
        switch (wanted) {
            case "scalar":
                return scalar();
            case "simd":
                if (!simdAvailable()) {
                    throw new IllegalStateException(
                            "-D"
                                    + PROPERTY
                                    + "=simd needs the JVM option --add-modules "
                                    + VECTOR_MODULE);
                }
                return new VectorMixKernel();
            case "":
                if (simdAvailable()) {
                    return new VectorMixKernel();
                }
                LOG.info(
                        "Mixing with scalar loops: start the JVM with --add-modules {} for the"
                                + " SIMD kernel (same bits, several times faster)",
                        VECTOR_MODULE);
                return scalar();
            default:
                throw new IllegalArgumentException(
                        "-D" + PROPERTY + " must be simd or scalar, got '" + requested + "'");
        }
    }
}
