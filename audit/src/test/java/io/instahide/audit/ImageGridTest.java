package io.instahide.audit;

import io.instahide.core.ImageShape;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageGridTest {

    private static final ImageShape SHAPE = new ImageShape(1, 4, 4);

    @Test
    void everyRowIsLabelledOnItsLeft(@TempDir Path dir) throws Exception {
        double[] grey = new double[16];
        Arrays.fill(grey, 0.5);
        List<double[][]> rows = List.of(new double[][] {grey, grey}, new double[][] {grey, null});
        Path file = dir.resolve("grid.png");

        ImageGrid.write(file, rows, List.of("originals", "Mixup, oracle"), SHAPE, 3);

        BufferedImage image = ImageIO.read(file.toFile());
        int cells = 2 * (4 * 3 + 4) + 4;
        int labelWidth = image.getWidth() - cells;
        assertThat(labelWidth).as("room for the labels").isGreaterThan(40);
        for (int row = 0; row < 2; row++) {
            int top = 4 + row * 16;
            boolean text = false;
            for (int y = top; y < top + 12 && !text; y++) {
                for (int x = 0; x < labelWidth && !text; x++) {
                    text = (image.getRGB(x, y) & 0xff) < 128;
                }
            }
            assertThat(text).as("dark text in the label of row %d", row).isTrue();
        }
    }

    @Test
    void aLabelPerRowIsRequired(@TempDir Path dir) {
        assertThatThrownBy(
                        () ->
                                ImageGrid.write(
                                        dir.resolve("g.png"),
                                        List.<double[][]>of(new double[][] {new double[16]}),
                                        List.of(),
                                        SHAPE,
                                        1))
                .hasMessageContaining("0 labels for 1 rows");
    }
}
