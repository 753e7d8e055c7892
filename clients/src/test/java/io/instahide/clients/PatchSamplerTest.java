package io.instahide.clients;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class PatchSamplerTest {

    private static final int[] SHAPE = {3, 8, 8};

    private static BufferedImage noise(int width, int height, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        return image;
    }

    private static BufferedImage flat(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, 0x808080);
            }
        }
        return image;
    }

    @Test
    void texturedPatchesAreKeptAndFlatOnesRejected() {
        PatchSampler sampler = new PatchSampler(SHAPE, 12, 1);
        List<byte[]> textured = sampler.patches(noise(64, 48, 2), 20);
        assertThat(textured).hasSize(20).allSatisfy(p -> assertThat(p).hasSize(3 * 8 * 8));
        assertThat(sampler.patches(flat(64, 48), 20)).isEmpty();
        assertThat(sampler.rejectedFlat()).isEqualTo(20);
        assertThat(sampler.patches(noise(4, 4, 1), 5)).as("photo smaller than a patch").isEmpty();
    }

    @Test
    void aPatchSeenBeforeIsKeptOnce() {
        PatchSampler sampler = new PatchSampler(SHAPE, 0, 1);
        BufferedImage exactlyOnePatch = noise(8, 8, 3);
        assertThat(sampler.patches(exactlyOnePatch, 1)).hasSize(1);
        assertThat(sampler.patches(exactlyOnePatch, 3)).isEmpty();
        assertThat(sampler.rejectedDuplicate()).isEqualTo(3);
    }

    @Test
    void energyIsTheMeanAbsoluteGreyGradient() {
        PatchSampler sampler = new PatchSampler(new int[] {1, 2, 2}, 0, 1);
        // Grey levels 0, 100 / 0, 100: |dx| = 100 twice, |dy| = 0 twice -> mean 50, times 2.
        assertThat(sampler.energy(new byte[] {0, 100, 0, 100})).isEqualTo(100.0);
        assertThat(sampler.energy(new byte[] {7, 7, 7, 7})).isZero();
    }
}
