package io.instahide.clients.image;

import javax.imageio.ImageIO;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * Hostile encoded images, as an attacker would send them: a few hundred bytes of valid PNG or JPEG
 * whose header declares an enormous size (a naive decoder allocates width × height before it finds
 * out the data is missing).
 */
public final class TestingImageBombs {

    private TestingImageBombs() {}

    /** A well-formed {@code format} ("png", "jpeg") image of 28×28 random grey pixels. */
    public static byte[] encoded(String format) {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        Random random = new Random(1);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                int v = random.nextInt(256);
                image.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("No ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A baseline JPEG whose SOF0 declares {@code width}×{@code height}. */
    public static byte[] jpegDeclaring(int width, int height) {
        byte[] jpeg = encoded("jpeg");
        int sof = indexOf(jpeg, (byte) 0xFF, (byte) 0xC0);
        if (sof < 0) {
            throw new IllegalStateException("no baseline SOF0 marker");
        }
        // FF C0, length (2), precision (1), height (2), width (2)
        putShort(jpeg, sof + 5, height);
        putShort(jpeg, sof + 7, width);
        return jpeg;
    }

    /** A PNG whose IHDR (with a valid CRC) declares {@code width}×{@code height}. */
    public static byte[] pngDeclaring(int width, int height) {
        byte[] png = encoded("png");
        // Signature (8), IHDR length (4), "IHDR" (4), width (4), height (4), ..., CRC after 13.
        ByteBuffer.wrap(png, 16, 4).putInt(width);
        ByteBuffer.wrap(png, 20, 4).putInt(height);
        CRC32 crc = new CRC32();
        crc.update(png, 12, 4 + 13);
        ByteBuffer.wrap(png, 12 + 4 + 13, 4).putInt((int) crc.getValue());
        return png;
    }

    private static int indexOf(byte[] bytes, byte a, byte b) {
        for (int i = 0; i + 1 < bytes.length; i++) {
            if (bytes[i] == a && bytes[i + 1] == b) {
                return i;
            }
        }
        return -1;
    }

    private static void putShort(byte[] bytes, int at, int value) {
        bytes[at] = (byte) (value >> 8);
        bytes[at + 1] = (byte) value;
    }
}
