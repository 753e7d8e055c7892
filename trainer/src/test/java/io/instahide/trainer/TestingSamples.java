package io.instahide.trainer;

import io.instahide.core.Normalizer;
import io.instahide.schemas.EncryptedSample;
import io.instahide.schemas.Normalization;
import io.instahide.schemas.PixelFormat;
import io.instahide.schemas.SchemeParameters;
import io.instahide.schemas.codec.SamplePixels;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Tiny synthetic fixtures for the trainer tests: 28x28 grey "digits" whose class is the band of
 * rows that is bright, as encrypted samples and as IDX files.
 */
final class TestingSamples {

    static final int SIDE = 28;
    static final int CLASSES = 10;

    private TestingSamples() {}

    /** A bright band of rows {@code 2 + 2.4·label} with noise: easy to learn, easy to check. */
    static byte[] image(int label, Random random) {
        byte[] pixels = new byte[SIDE * SIDE];
        int top = 2 + (label * 12) / 5;
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                int value =
                        (y >= top && y < top + 3) ? 200 + random.nextInt(56) : random.nextInt(40);
                pixels[y * SIDE + x] = (byte) value;
            }
        }
        return pixels;
    }

    static SchemeParameters plainScheme() {
        return plainScheme(PixelFormat.FLOAT32);
    }

    static SchemeParameters plainScheme(PixelFormat format) {
        return SchemeParameters.newBuilder()
                .setSchemeVersion("instahide-1")
                .setK(1)
                .setPrivateSlots(1)
                .setUpper(1.0)
                .setDom(null)
                .setMasked(false)
                .setNormalization(
                        Normalization.newBuilder()
                                .setName("MNIST")
                                .setMean(List.of(0.1307f))
                                .setStd(List.of(0.3081f))
                                .build())
                .setPixelFormat(format)
                .build();
    }

    /** A sample of {@code floats} (CHW) with {@code softLabel}. */
    static EncryptedSample sample(int[] shape, float[] floats, float[] softLabel) {
        return sample(shape, floats, softLabel, PixelFormat.FLOAT32);
    }

    /** A sample of {@code floats} (CHW) with {@code softLabel}, its pixels in {@code format}. */
    static EncryptedSample sample(
            int[] shape, float[] floats, float[] softLabel, PixelFormat format) {
        List<Float> label = new ArrayList<>();
        for (float t : softLabel) {
            label.add(t);
        }
        return EncryptedSample.newBuilder()
                .setSampleId(UUID.randomUUID().toString())
                .setChannels(shape[0])
                .setHeight(shape[1])
                .setWidth(shape[2])
                .setPixels(SamplePixels.encode(floats, 0, floats.length, format))
                .setSoftLabel(label)
                .setScheme(plainScheme(format))
                .build();
    }

    /** A clean (k = 1, unmasked) sample of a synthetic image, normalised with MNIST statistics. */
    static EncryptedSample plain(int label, Random random) {
        byte[] image = image(label, random);
        float[] table = Normalizer.mnist().table(1)[0];
        float[] floats = new float[image.length];
        for (int i = 0; i < image.length; i++) {
            floats[i] = table[image[i] & 0xFF];
        }
        float[] oneHot = new float[CLASSES];
        oneHot[label] = 1f;
        return sample(new int[] {1, SIDE, SIDE}, floats, oneHot);
    }

    /** Writes {@code count} synthetic images as {@code <prefix>-images/labels-idx?-ubyte}. */
    static void writeIdx(Path directory, String prefix, int count, long seed) throws IOException {
        Random random = new Random(seed);
        Files.createDirectories(directory);
        try (DataOutputStream images = open(directory, prefix + "-images-idx3-ubyte");
                DataOutputStream labels = open(directory, prefix + "-labels-idx1-ubyte")) {
            images.writeInt(0x00000803);
            images.writeInt(count);
            images.writeInt(SIDE);
            images.writeInt(SIDE);
            labels.writeInt(0x00000801);
            labels.writeInt(count);
            for (int i = 0; i < count; i++) {
                int label = i % CLASSES;
                images.write(image(label, random));
                labels.writeByte(label);
            }
        }
    }

    private static DataOutputStream open(Path directory, String name) throws IOException {
        OutputStream out = Files.newOutputStream(directory.resolve(name));
        return new DataOutputStream(new java.io.BufferedOutputStream(out));
    }
}
