package io.instahide.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Normalisation values of spec section 5, bit for bit, and the lookup table's fidelity. */
class NormalizerTest {

    @Test
    void cifarMatchesReferenceFloat32() {
        Normalizer cifar = Normalizer.cifar();
        assertBits(
                cifar, 0, new double[] {-2.429065704345703, -2.418254852294922, -2.22139310836792});
        assertBits(
                cifar,
                128,
                new double[] {0.0522037111222744, 0.09910139441490173, 0.275924414396286});
        assertBits(
                cifar,
                255,
                new double[] {2.5140879154205322, 2.596790313720703, 2.7537312507629395});
    }

    @Test
    void imagenetMatchesReferenceFloat32() {
        Normalizer imagenet = Normalizer.imagenet();
        assertBits(
                imagenet,
                0,
                new double[] {-2.1179039478302, -2.0357141494750977, -1.804444432258606});
        assertBits(
                imagenet,
                255,
                new double[] {2.248908281326294, 2.4285714626312256, 2.640000104904175});
    }

    @Test
    void symmetricSpansMinusOneToOne() {
        Normalizer symmetric = Normalizer.symmetric();
        assertThat(symmetric.normalize(0, 0)).isEqualTo(-1f);
        assertThat(symmetric.normalize(2, 255)).isEqualTo(1f);
        symmetric.checkChannels(1);
        symmetric.checkChannels(3);
    }

    @Test
    void tableReproducesFormulaAndU8ImagesReadThroughIt() {
        Normalizer cifar = Normalizer.cifar();
        ImageShape shape = new ImageShape(3, 16, 16);
        byte[] chw = new byte[shape.size()];
        for (int i = 0; i < chw.length; i++) {
            chw[i] = (byte) i;
        }
        U8ImageList images = new U8ImageList(shape, cifar, 1);
        images.add(7, 1, chw);
        float[] normalized = new float[shape.size()];

        images.copyNormalized(0, normalized, 0);

        for (int i = 0; i < chw.length; i++) {
            int channel = i / shape.planeSize();
            assertThat(Float.floatToRawIntBits(normalized[i]))
                    .isEqualTo(Float.floatToRawIntBits(cifar.normalize(channel, chw[i] & 0xFF)));
        }
    }

    @Test
    void rejectsMismatchedChannelsAndBadCustomValues() {
        assertThatThrownBy(() -> Normalizer.mnist().checkChannels(3))
                .hasMessageContaining("MNIST is for 1-channel images but the stream has 3");
        assertThatThrownBy(() -> Normalizer.custom(new float[] {0.5f}, new float[] {0f}))
                .hasMessageContaining("std must be finite and > 0");
        assertThatThrownBy(() -> Normalizer.custom(new float[] {0.5f, 0.5f}, new float[] {1f}))
                .hasMessageContaining("got 2 means and 1 stds");
        assertThatThrownBy(() -> Normalizer.preset("cifar100"))
                .hasMessageContaining("Unknown normaliser 'cifar100'");
        assertThat(Normalizer.preset("imagenet")).isEqualTo(Normalizer.imagenet());
    }

    private static void assertBits(Normalizer normalizer, int u8, double[] expected) {
        for (int c = 0; c < expected.length; c++) {
            assertThat(Float.floatToRawIntBits(normalizer.normalize(c, u8)))
                    .as("channel %d byte %d", c, u8)
                    .isEqualTo(Float.floatToRawIntBits((float) expected[c]));
        }
    }
}
