package io.instahide.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InstaHideEncoderTest {

    private static final ImageShape SHAPE = new ImageShape(3, 8, 8);
    private static final int CLASSES = 10;

    @Test
    void crossModeKeysUseDistinctPartnersNeverSelf() {
        InstaHideParameters parameters = InstaHideParameters.cross(6, 3, 0.65, 0.3);
        U8ImageList privates = images(20, 0, true);
        U8ImageList reservoir = images(12, 10, true); // overlaps privates: ids 10..19
        U8ImageList pool = images(9, 1_000, false);
        TestingRecordingMixer mixer = new TestingRecordingMixer(SHAPE);
        EncodedBatch out = new EncodedBatch(SHAPE, CLASSES);

        try (var encoder =
                new InstaHideEncoder<>(
                        parameters, SHAPE, CLASSES, mixer, KeyStreamRandom.fromOsEntropy())) {
            encoder.encode(new MixSources<>(privates, reservoir, pool), 3, out);
        }

        assertThat(out.count()).isEqualTo(60);
        assertThat(mixer.seen).hasSize(60);
        for (int i = 0; i < out.count(); i++) {
            TestingRecordingMixer.SeenKey key = mixer.seen.get(i);
            long self = key.slotIds()[0];
            assertThat(self).isEqualTo(out.sourceIndex(i)).isEqualTo(i / 3);
            Set<Long> ids = new HashSet<>();
            for (long id : key.slotIds()) {
                assertThat(ids.add(id)).as("sample %d repeats image %d", i, id).isTrue();
            }
            for (int s = 1; s < 3; s++) {
                assertThat(key.slotIds()[s]).isBetween(10L, 21L);
            }
            for (int s = 3; s < 6; s++) {
                assertThat(key.slotIds()[s]).isGreaterThanOrEqualTo(1_000L);
            }
            float privateWeight = key.lambda()[0] + key.lambda()[1] + key.lambda()[2];
            float labelSum = 0;
            for (float v : out.softLabel(i)) {
                labelSum += v;
            }
            assertThat(privateWeight).isGreaterThanOrEqualTo(0.3f - 1e-6f);
            assertThat(labelSum)
                    .isCloseTo(privateWeight, org.assertj.core.data.Offset.offset(1e-5f));
        }
    }

    @Test
    void eachEncryptionHasAFreshKey() {
        InstaHideParameters parameters = InstaHideParameters.inside(4, 0.65);
        U8ImageList privates = images(1, 0, true);
        U8ImageList reservoir = images(50, 100, true);
        TestingRecordingMixer mixer = new TestingRecordingMixer(SHAPE);

        try (var encoder =
                new InstaHideEncoder<>(
                        parameters, SHAPE, CLASSES, mixer, KeyStreamRandom.fromOsEntropy())) {
            encoder.encode(
                    new MixSources<>(privates, reservoir, ImageSet.empty(SHAPE)),
                    20,
                    new EncodedBatch(SHAPE, CLASSES));
        }

        Set<String> masks = new HashSet<>();
        Set<Float> firstCoefficients = new HashSet<>();
        for (TestingRecordingMixer.SeenKey key : mixer.seen) {
            masks.add(java.util.Arrays.toString(key.mask()));
            firstCoefficients.add(key.lambda()[0]);
        }
        assertThat(masks).hasSize(20);
        assertThat(firstCoefficients).hasSize(20);
    }

    @Test
    void outputSatisfiesSchemeInvariants() {
        InstaHideParameters parameters = InstaHideParameters.inside(4, 0.65);
        U8ImageList privates = images(16, 0, true);
        TestingRecordingMixer mixer = new TestingRecordingMixer(SHAPE);
        EncodedBatch out = new EncodedBatch(SHAPE, CLASSES);

        try (var encoder =
                new InstaHideEncoder<>(
                        parameters, SHAPE, CLASSES, mixer, KeyStreamRandom.fromOsEntropy())) {
            encoder.encode(new MixSources<>(privates, privates, ImageSet.empty(SHAPE)), 1, out);
        }

        long negative = 0;
        for (int i = 0; i < out.count(); i++) {
            TestingRecordingMixer.SeenKey key = mixer.seen.get(i);
            float[] enc = out.image(i);
            for (int j = 0; j < SHAPE.size(); j++) {
                boolean flip = MaskBits.isNegative(key.mask(), 0, j);
                float acc = key.unmasked()[j];
                // |enc| == |acc| and enc = σ·acc, exactly.
                assertThat(Math.abs(enc[j])).isEqualTo(Math.abs(acc));
                assertThat(Float.floatToRawIntBits(enc[j]))
                        .isEqualTo(Float.floatToRawIntBits((flip ? -1f : 1f) * acc));
                negative += flip ? 1 : 0;
            }
            float labelSum = 0;
            for (float v : out.softLabel(i)) {
                labelSum += v;
            }
            assertThat(labelSum).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
        }
        StatBounds.assertProportion("negative mask bits", negative, 16L * SHAPE.size(), 0.5, 0);
    }

    @Test
    void refusesWhenPartnersAreMissingAndRejectsBadLabels() {
        InstaHideParameters parameters = InstaHideParameters.cross(4, 2, 0.65, 0.3);
        var encoder =
                new InstaHideEncoder<>(
                        parameters,
                        SHAPE,
                        CLASSES,
                        new JavaMixer(SHAPE),
                        new TestingSeededKeySource(1));
        U8ImageList privates = images(3, 0, true);

        assertThat(encoder.canEncrypt(2, 2)).isTrue();
        assertThat(encoder.canEncrypt(1, 2)).isFalse();
        assertThat(encoder.canEncrypt(2, 1)).isFalse();
        assertThatThrownBy(
                        () ->
                                encoder.encode(
                                        new MixSources<>(privates, privates, images(1, 9, false)),
                                        1,
                                        new EncodedBatch(SHAPE, CLASSES)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("pool holds 1 public images (needs 2)");

        U8ImageList badLabel = new U8ImageList(SHAPE, Normalizer.cifar(), 1);
        badLabel.add(99, CLASSES, new byte[SHAPE.size()]);
        assertThatThrownBy(
                        () ->
                                encoder.encode(
                                        new MixSources<>(badLabel, privates, images(2, 9, false)),
                                        1,
                                        new EncodedBatch(SHAPE, CLASSES)))
                .hasMessageContaining("Label 10 of a private image is outside [0, 10)");
    }

    @Test
    void nanFreeOutputFromExtremePixels() {
        InstaHideParameters parameters = InstaHideParameters.inside(2, 0.65);
        U8ImageList privates = new U8ImageList(SHAPE, Normalizer.cifar(), 2);
        byte[] white = new byte[SHAPE.size()];
        java.util.Arrays.fill(white, (byte) 255);
        privates.add(1, 0, new byte[SHAPE.size()]);
        privates.add(2, 1, white);
        EncodedBatch out = new EncodedBatch(SHAPE, 2);

        try (var encoder =
                new InstaHideEncoder<>(
                        parameters,
                        SHAPE,
                        2,
                        new JavaMixer(SHAPE),
                        KeyStreamRandom.fromOsEntropy())) {
            encoder.encode(new MixSources<>(privates, privates, ImageSet.empty(SHAPE)), 4, out);
        }

        for (int j = 0; j < out.count() * SHAPE.size(); j++) {
            assertThat(Float.isFinite(out.pixels()[j])).isTrue();
            assertThat(Math.abs(out.pixels()[j])).isLessThanOrEqualTo(2.76f);
        }
    }

    @Test
    void escrowedKeysReproduceEveryEncryptionBitForBit() {
        InstaHideParameters parameters = InstaHideParameters.cross(6, 2, 0.65, 0.3);
        U8ImageList privates = images(10, 0, true);
        U8ImageList reservoir = images(12, 100, true);
        U8ImageList pool = images(9, 1_000, false);
        EncodedBatch out = new EncodedBatch(SHAPE, CLASSES);
        List<KeyEscrow.Key> escrowed = new ArrayList<>();

        try (var encoder =
                new InstaHideEncoder<>(
                        parameters,
                        SHAPE,
                        CLASSES,
                        new JavaMixer(SHAPE),
                        KeyStreamRandom.fromOsEntropy())) {
            encoder.encode(new MixSources<>(privates, reservoir, pool), 2, out, escrowed::add);
        }

        assertThat(escrowed).hasSize(20);
        Map<Long, float[]> byId = new HashMap<>();
        for (U8ImageList set : List.of(privates, reservoir, pool)) {
            for (int i = 0; i < set.size(); i++) {
                float[] image = new float[SHAPE.size()];
                set.copyNormalized(i, image, 0);
                byId.put(set.id(i), image);
            }
        }
        for (KeyEscrow.Key key : escrowed) {
            assertThat(key.imageIds()[0]).isEqualTo(privates.id(key.sample() / 2));
            float[] expected = new float[SHAPE.size()];
            for (int p = 0; p < expected.length; p++) {
                float acc = key.lambdas()[0] * byId.get(key.imageIds()[0])[p];
                for (int s = 1; s < 6; s++) {
                    acc = acc + key.lambdas()[s] * byId.get(key.imageIds()[s])[p];
                }
                expected[p] = acc;
            }
            MaskBits.apply(expected, 0, expected.length, key.maskBits(), 0);
            float[] actual = new float[SHAPE.size()];
            System.arraycopy(out.pixels(), key.sample() * SHAPE.size(), actual, 0, actual.length);
            assertThat(actual).containsExactly(expected);
        }
    }

    static U8ImageList images(int n, long firstId, boolean labelled) {
        return TestingImages.random(SHAPE, CLASSES, n, firstId, labelled);
    }
}
