package io.instahide.demo;

import javax.imageio.ImageIO;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** A PNG line chart of clean test accuracy per epoch, one line per configuration. */
final class AccuracyPlot {

    private static final Color[] COLORS = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728)
    };
    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;
    private static final int LEFT = 80;
    private static final int RIGHT = 250;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;

    private AccuracyPlot() {}

    /**
     * @param series per configuration, the mean accuracy after each epoch (0..1)
     */
    static void write(Path file, String title, Map<String, double[]> series) throws IOException {
        Map<String, double[]> lines = new LinkedHashMap<>(series);
        double low = 1;
        int epochs = 1;
        for (double[] values : lines.values()) {
            epochs = Math.max(epochs, values.length);
            for (double v : values) {
                low = Math.min(low, v);
            }
        }
        double min = Math.floor(low * 50) / 50; // a 2-point grid below the lowest value
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        for (double y = min; y <= 1.0001; y += 0.02) {
            int py = TOP + (int) Math.round((1 - (y - min) / (1 - min)) * plotH);
            g.setColor(new Color(0xdddddd));
            g.drawLine(LEFT, py, LEFT + plotW, py);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format("%.0f%%", y * 100), LEFT - 45, py + 5);
        }
        for (int e = 1; e <= epochs; e++) {
            int px = LEFT + (epochs == 1 ? 0 : (e - 1) * plotW / (epochs - 1));
            g.drawString(String.valueOf(e), px - 4, TOP + plotH + 20);
        }
        g.drawString("epoch", LEFT + plotW / 2 - 20, TOP + plotH + 45);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, LEFT, TOP - 20);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.setStroke(new BasicStroke(2.5f));
        int index = 0;
        for (Map.Entry<String, double[]> line : lines.entrySet()) {
            g.setColor(COLORS[index % COLORS.length]);
            double[] values = line.getValue();
            int prevX = -1;
            int prevY = -1;
            for (int e = 0; e < values.length; e++) {
                int px = LEFT + (epochs == 1 ? 0 : e * plotW / (epochs - 1));
                int py = TOP + (int) Math.round((1 - (values[e] - min) / (1 - min)) * plotH);
                g.fillOval(px - 3, py - 3, 7, 7);
                if (prevX >= 0) {
                    g.drawLine(prevX, prevY, px, py);
                }
                prevX = px;
                prevY = py;
            }
            int ly = TOP + 20 + index * 24;
            g.drawLine(LEFT + plotW + 20, ly - 5, LEFT + plotW + 45, ly - 5);
            g.setColor(Color.BLACK);
            g.drawString(line.getKey(), LEFT + plotW + 52, ly);
            index++;
        }
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(LEFT, TOP, plotW, plotH);
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }
}
