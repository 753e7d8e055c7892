package io.instahide.core;

/** The plain-Java mixer against the reference vectors. */
class JavaMixerReferenceTest extends MixerReferenceContract {

    @Override
    protected Mixer<? super PackedImageSet> mixer(ImageShape shape, int k) {
        return new JavaMixer(shape);
    }
}
