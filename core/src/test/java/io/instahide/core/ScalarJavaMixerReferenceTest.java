package io.instahide.core;

/**
 * The CPU mixer on its scalar kernel against the reference vectors, and against the mixer on the
 * fastest kernel of this JVM (SIMD under the build's test options) on random batches.
 */
class ScalarJavaMixerReferenceTest extends MixerReferenceContract {

    @Override
    protected Mixer<? super PackedImageSet> mixer(ImageShape shape, int k) {
        return new JavaMixer(shape, MixKernels.scalar());
    }
}
