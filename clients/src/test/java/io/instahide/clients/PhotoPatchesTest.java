package io.instahide.clients;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PhotoPatchesTest {

    private static final int[] SHAPE = {3, 16, 12};

    private static void writeNoisePhoto(Path file, long seed) throws IOException {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(80, 60, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 60; y++) {
            for (int x = 0; x < 80; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        ImageIO.write(image, "png", file.toFile());
    }

    @Test
    void patchesComeEquallyFromEachPhotoLabelledByIt(@TempDir Path photos) throws IOException {
        writeNoisePhoto(photos.resolve("a.png"), 1);
        writeNoisePhoto(photos.resolve("b.png"), 2);

        PhotoPatches patches = PhotoPatches.cut(photos, List.of("a.png", "b.png"), SHAPE, 30, 8, 3);

        assertThat(patches.size()).isEqualTo(30);
        assertThat(patches.shape()).containsExactly(SHAPE);
        Set<String> distinct = new HashSet<>();
        int[] perLabel = new int[2];
        for (int i = 0; i < patches.size(); i++) {
            assertThat(patches.image(i)).hasSize(3 * 16 * 12);
            distinct.add(PatchSampler.digest(patches.image(i)));
            perLabel[patches.label(i)]++;
        }
        assertThat(distinct).hasSize(30);
        assertThat(perLabel).containsExactly(15, 15);
    }

    @Test
    void aMissingPhotoNamesTheCommandThatFetchesIt(@TempDir Path photos) {
        assertThatThrownBy(() -> PhotoPatches.cut(photos, List.of("x.png"), SHAPE, 4, 8, 1))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("scripts/fetch-datasets.sh --photos");
    }
}
