package io.instahide.nd4j;

import io.instahide.core.ImageShape;
import io.instahide.core.Mixer;
import io.instahide.core.MixerReferenceContract;
import io.instahide.core.PackedImageSet;

/** The ND4J mixer against the reference vectors and the plain-Java mixer. */
class Nd4jMixerTest extends MixerReferenceContract {

    @Override
    protected Mixer<? super PackedImageSet> mixer(ImageShape shape, int k) {
        return new Nd4jMixer(shape, k, 16);
    }
}
