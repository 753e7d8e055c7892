package io.instahide.core;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static io.instahide.core.ReferenceBatches.assertSameBits;
import static io.instahide.core.ReferenceBatches.images;
import static io.instahide.core.ReferenceBatches.keys;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link Mixer} must do, for each implementation's own test class to inherit: with the
 * reference's own λ, partners and masks injected, reproduce every encrypted float of the reference
 * bit for bit, and agree with the plain-Java mixer bit for bit on random batches.
 */
public abstract class MixerReferenceContract {

    private static final ImageShape SHAPE = ReferenceBatches.SHAPE;
    private static final JsonNode INSIDE = ReferenceVectors.block("mixing_inside_k4");
    private static final JsonNode CROSS = ReferenceVectors.block("mixing_cross_k6_pair");

    /** A new mixer under test for images of {@code shape}, k slots, batches of up to 16. */
    protected abstract Mixer<? super PackedImageSet> mixer(ImageShape shape, int k);

    @Test
    public void insideK4MatchesReferenceBitForBit() {
        FloatImageList privates = images(INSIDE.get("x"), ReferenceVectors.ints(INSIDE.get("y")));
        OneTimeKeys keys = keys(INSIDE, 4, 4, privates.size());
        float[] out = new float[4 * SHAPE.size()];

        try (var mixer = mixer(SHAPE, 4)) {
            mixer.mix(
                    keys,
                    new MixSources<>(privates, privates, new FloatImageList(SHAPE, 0)),
                    true,
                    out,
                    0);
        }

        assertSameBits(out, ReferenceVectors.floats(INSIDE.get("encrypted")));
    }

    @Test
    public void crossK6MatchesReferenceBitForBit() {
        FloatImageList privates = images(INSIDE.get("x"), ReferenceVectors.ints(INSIDE.get("y")));
        FloatImageList pool = images(CROSS.get("public"), null);
        OneTimeKeys keys = keys(CROSS, 6, 2, privates.size());
        float[] out = new float[4 * SHAPE.size()];

        try (var mixer = mixer(SHAPE, 6)) {
            mixer.mix(keys, new MixSources<>(privates, privates, pool), true, out, 0);
        }

        assertSameBits(out, ReferenceVectors.floats(CROSS.get("encrypted")));
    }

    @Test
    public void agreesWithTheJavaMixerBitForBitOnRandomBatches() {
        ImageShape shape = new ImageShape(3, 8, 8);
        int classes = 10;
        InstaHideParameters parameters = InstaHideParameters.cross(6, 2, 0.65, 0.3);
        U8ImageList privates = TestingImages.random(shape, classes, 40, 0, true);
        U8ImageList pool = TestingImages.random(shape, classes, 30, 500, false);
        EncodedBatch viaJava = new EncodedBatch(shape, classes);
        EncodedBatch viaMixer = new EncodedBatch(shape, classes);

        try (var java =
                        new InstaHideEncoder<>(
                                parameters,
                                shape,
                                classes,
                                new JavaMixer(shape),
                                new TestingSeededKeySource(9));
                var tested =
                        new InstaHideEncoder<>(
                                parameters,
                                shape,
                                classes,
                                mixer(shape, 6),
                                new TestingSeededKeySource(9))) {
            java.encode(new MixSources<>(privates, privates, pool), 2, viaJava);
            tested.encode(new MixSources<>(privates, privates, pool), 2, viaMixer);
        }

        assertThat(viaMixer.count()).isEqualTo(80);
        assertSameBits(viaMixer.pixels(), viaJava.pixels());
        assertThat(viaMixer.softLabels()).isEqualTo(viaJava.softLabels());
    }
}
