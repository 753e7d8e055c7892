package io.instahide.demo;

import io.instahide.schemas.EncryptedSample;

import javax.imageio.ImageIO;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A PNG with a row of private images as published and a row of encrypted samples as trainers see
 * them (each scaled to its own min..max). The rows are not pairs: nothing in the output links a
 * sample to its source image, by design.
 */
final class Montage {

    private static final int SCALE = 4;
    private static final int GAP = 6;
    private static final int HEADER = 22;

    private Montage() {}

    static void write(
            Path file,
            List<byte[]> originals,
            int height,
            int width,
            List<EncryptedSample> encrypted)
            throws IOException {
        int columns = Math.max(originals.size(), encrypted.size());
        int cell = width * SCALE + GAP;
        BufferedImage canvas =
                new BufferedImage(
                        Math.max(columns * cell + GAP, 420),
                        2 * (HEADER + height * SCALE + GAP),
                        BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, canvas.getWidth(), canvas.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        int rowHeight = HEADER + height * SCALE + GAP;
        g.drawString("Private images published by devices (raw-images)", GAP, 16);
        g.drawString("Encrypted samples read by trainers (encrypted-samples)", GAP, rowHeight + 16);
        for (int i = 0; i < originals.size(); i++) {
            float[] values = new float[height * width];
            byte[] image = originals.get(i);
            for (int p = 0; p < values.length; p++) {
                values[p] = image[p] & 0xff;
            }
            draw(canvas, values, height, width, GAP + i * cell, HEADER);
        }
        for (int i = 0; i < encrypted.size(); i++) {
            EncryptedSample sample = encrypted.get(i);
            FloatBuffer pixels =
                    sample.getPixels().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            float[] values = new float[height * width];
            pixels.get(values); // first channel
            draw(canvas, values, height, width, GAP + i * cell, rowHeight + HEADER);
        }
        g.dispose();
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(canvas, "png", file.toFile());
    }

    private static void draw(
            BufferedImage canvas, float[] values, int height, int width, int x0, int y0) {
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        float range = max > min ? max - min : 1f;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int gray = Math.round(255f * (values[y * width + x] - min) / range);
                int rgb = (gray << 16) | (gray << 8) | gray;
                for (int dy = 0; dy < SCALE; dy++) {
                    for (int dx = 0; dx < SCALE; dx++) {
                        canvas.setRGB(x0 + x * SCALE + dx, y0 + y * SCALE + dy, rgb);
                    }
                }
            }
        }
    }
}
