package io.instahide.audit;

import io.instahide.core.ImageShape;

import javax.imageio.ImageIO;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A PNG of image rows (originals above their reconstructions), each row labelled on its left with
 * what it shows, each cell a C×H×W image of [0, 1] values scaled up {@code zoom} times; a missing
 * image (null) is left white.
 */
public final class ImageGrid {

    private static final int GAP = 4;
    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

    private ImageGrid() {}

    public static void write(
            Path file, List<double[][]> rows, List<String> labels, ImageShape shape, int zoom)
            throws IOException {
        if (labels.size() != rows.size()) {
            throw new IllegalArgumentException(
                    labels.size() + " labels for " + rows.size() + " rows of images");
        }
        int columns = rows.stream().mapToInt(r -> r.length).max().orElse(0);
        int cellW = shape.width() * zoom + GAP;
        int cellH = shape.height() * zoom + GAP;
        int labelW = labelWidth(labels);
        BufferedImage grid =
                new BufferedImage(
                        labelW + columns * cellW + GAP,
                        rows.size() * cellH + GAP,
                        BufferedImage.TYPE_INT_RGB);
        Graphics2D g = grid.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(FONT);
        g.setRenderingHint(
                RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        FontMetrics metrics = g.getFontMetrics();
        for (int r = 0; r < rows.size(); r++) {
            int top = GAP + r * cellH;
            int baseline = top + (cellH - GAP + metrics.getAscent() - metrics.getDescent()) / 2;
            g.drawString(labels.get(r), GAP * 2, baseline);
            for (int c = 0; c < rows.get(r).length; c++) {
                if (rows.get(r)[c] != null) {
                    draw(grid, rows.get(r)[c], shape, zoom, labelW + GAP + c * cellW, top);
                }
            }
        }
        g.dispose();
        ImageIO.write(grid, "png", file.toFile());
    }

    /** Room for the longest label and a margin. */
    private static int labelWidth(List<String> labels) {
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scratch.createGraphics();
        FontMetrics metrics = g.getFontMetrics(FONT);
        int widest = labels.stream().mapToInt(metrics::stringWidth).max().orElse(0);
        g.dispose();
        return widest + GAP * 4;
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
