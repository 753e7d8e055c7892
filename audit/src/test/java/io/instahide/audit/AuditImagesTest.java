package io.instahide.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditImagesTest {

    @Test
    void photoPatchesComeFromDisjointPhotosWithDisjointIds(@TempDir Path photos) throws Exception {
        Random random = new Random(1);
        for (String name : List.of("a.png", "b.png", "c.png")) {
            BufferedImage photo = new BufferedImage(120, 90, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < photo.getHeight(); y++) {
                for (int x = 0; x < photo.getWidth(); x++) {
                    photo.setRGB(x, y, random.nextInt(1 << 24)); // textured everywhere
                }
            }
            ImageIO.write(photo, "png", photos.resolve(name).toFile());
        }

        AuditImages images =
                AuditImages.photos(photos, List.of("a.png"), List.of("b.png", "c.png"), 12, 20, 3);

        assertThat(images.shape().size()).isEqualTo(3 * 32 * 32);
        assertThat(images.privates().size()).isEqualTo(12);
        assertThat(images.pool().size()).isEqualTo(20);
        for (int i = 0; i < 12; i++) {
            assertThat(images.privates().id(i)).isEqualTo(i);
        }
        for (int i = 0; i < 20; i++) {
            assertThat(images.pool().id(i)).isGreaterThanOrEqualTo(AuditImages.POOL_ID_BASE);
        }
    }

    @Test
    void aMissingPhotoSaysHowToFetchThem(@TempDir Path photos) {
        assertThatThrownBy(
                        () ->
                                AuditImages.photos(
                                        photos,
                                        List.of("astronaut.png"),
                                        List.of("x.png"),
                                        4,
                                        4,
                                        1))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("scripts/fetch-datasets.sh --photos");
    }

    @Test
    void mnistDigitsWithAFashionMnistPool() throws Exception {
        Path data = Path.of("..", ".cache", "datasets");
        assertThat(data.resolve("mnist").resolve(".verified"))
                .as("datasets missing: run scripts/fetch-datasets.sh first")
                .exists();
        assertThat(Files.isDirectory(data.resolve("fashion-mnist"))).isTrue();

        AuditImages images = AuditImages.mnist(data, 10, 30, 1);

        assertThat(images.shape().size()).isEqualTo(28 * 28);
        assertThat(images.privates().size()).isEqualTo(10);
        assertThat(images.pool().size()).isEqualTo(30);
        assertThat(images.privateNormalizer().name()).isEqualTo("MNIST");
    }
}
