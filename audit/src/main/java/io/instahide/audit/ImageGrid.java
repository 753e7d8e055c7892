package io.instahide.audit;

import io.instahide.core.ImageShape;

import javax.imageio.ImageIO;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A PNG of image rows (originals above their reconstructions), each cell a C×H×W image of [0, 1]
 * values scaled up {@code zoom} times; a missing image (null) is left white.
 */
public final class ImageGrid {

    private static final int GAP = 4;

    private ImageGrid() {}

    public static void write(Path file, List<double[][]> rows, ImageShape shape, int zoom)
            throws IOException {
        int columns = rows.stream().mapToInt(r -> r.length).max().orElse(0);
        int cellW = shape.width() * zoom + GAP;
        int cellH = shape.height() * zoom + GAP;
        BufferedImage grid =
                new BufferedImage(
                        columns * cellW + GAP,
                        rows.size() * cellH + GAP,
                        BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < grid.getHeight(); y++) {
            for (int x = 0; x < grid.getWidth(); x++) {
                grid.setRGB(x, y, 0xffffff);
            }
        }
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < rows.get(r).length; c++) {
                if (rows.get(r)[c] != null) {
                    draw(grid, rows.get(r)[c], shape, zoom, GAP + c * cellW, GAP + r * cellH);
                }
            }
        }
        ImageIO.write(grid, "png", file.toFile());
    }

    private static void draw(
            BufferedImage grid, double[] image, ImageShape shape, int zoom, int left, int top) {
        int plane = shape.height() * shape.width();
        for (int y = 0; y < shape.height(); y++) {
            for (int x = 0; x < shape.width(); x++) {
                int rgb = 0;
                for (int channel = 0; channel < 3; channel++) {
                    int c = Math.min(channel, shape.channels() - 1);
                    int v = (int) Math.round(255 * image[c * plane + y * shape.width() + x]);
                    rgb = rgb << 8 | Math.min(255, Math.max(0, v));
                }
                for (int dy = 0; dy < zoom; dy++) {
                    for (int dx = 0; dx < zoom; dx++) {
                        grid.setRGB(left + x * zoom + dx, top + y * zoom + dy, rgb);
                    }
                }
            }
        }
    }
}
