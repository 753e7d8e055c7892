package io.instahide.clients;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Images and labels in the IDX format of MNIST and Fashion-MNIST (plain or gzipped): uint8 images
 * of one size, row-major, one channel.
 */
public final class IdxDataset implements ImageDataset {

    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;

    private final byte[] pixels;
    private final byte[] labels;
    private final int height;
    private final int width;

    private IdxDataset(byte[] pixels, byte[] labels, int height, int width) {
        this.pixels = pixels;
        this.labels = labels;
        this.height = height;
        this.width = width;
    }

    /**
     * Reads {@code <prefix>-images-idx3-ubyte[.gz]} and {@code <prefix>-labels-idx1-ubyte[.gz]}
     * from {@code directory}, at most {@code limit} images.
     */
    public static IdxDataset read(Path directory, String prefix, int limit) throws IOException {
        try (DataInputStream images = open(directory, prefix + "-images-idx3-ubyte");
                DataInputStream labels = open(directory, prefix + "-labels-idx1-ubyte")) {
            expect(images.readInt(), IMAGES_MAGIC, directory, prefix + " images");
            int count = Math.min(images.readInt(), limit);
            int height = images.readInt();
            int width = images.readInt();
            expect(labels.readInt(), LABELS_MAGIC, directory, prefix + " labels");
            if (labels.readInt() < count) {
                throw new IOException(prefix + ": fewer labels than images in " + directory);
            }
            byte[] pixels = new byte[count * height * width];
            images.readFully(pixels);
            byte[] labelBytes = new byte[count];
            labels.readFully(labelBytes);
            return new IdxDataset(pixels, labelBytes, height, width);
        }
    }

    private static DataInputStream open(Path directory, String name) throws IOException {
        Path plain = directory.resolve(name);
        Path gzipped = directory.resolve(name + ".gz");
        InputStream in;
        if (Files.exists(plain)) {
            in = Files.newInputStream(plain);
        } else if (Files.exists(gzipped)) {
            in = new GZIPInputStream(Files.newInputStream(gzipped), 1 << 16);
        } else {
            throw new IOException(
                    "Dataset file "
                            + plain
                            + "[.gz] not found: run scripts/fetch-datasets.sh (or demo/run.sh,"
                            + " which calls it)");
        }
        return new DataInputStream(new BufferedInputStream(in, 1 << 16));
    }

    private static void expect(int magic, int expected, Path directory, String what)
            throws IOException {
        if (magic != expected) {
            throw new IOException(
                    String.format(
                            "%s in %s: not an IDX file (magic 0x%08x, expected 0x%08x)",
                            what, directory, magic, expected));
        }
    }

    @Override
    public int[] shape() {
        return new int[] {1, height, width};
    }

    @Override
    public int size() {
        return labels.length;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    @Override
    public int label(int index) {
        return labels[index] & 0xff;
    }

    /** A copy of image {@code index}, row-major uint8. */
    @Override
    public byte[] image(int index) {
        int size = height * width;
        byte[] image = new byte[size];
        System.arraycopy(pixels, index * size, image, 0, size);
        return image;
    }

    /** A random permutation of {@code 0 .. n-1} drawn from {@code seed}. */
    public static int[] randomOrder(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Random random = new java.util.Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }

    /** The same images in the order {@link #randomOrder} draws from {@code seed}. */
    public IdxDataset shuffled(long seed) {
        int size = height * width;
        int[] order = randomOrder(labels.length, seed);
        byte[] newPixels = new byte[pixels.length];
        byte[] newLabels = new byte[labels.length];
        for (int i = 0; i < order.length; i++) {
            System.arraycopy(pixels, order[i] * size, newPixels, i * size, size);
            newLabels[i] = labels[order[i]];
        }
        return new IdxDataset(newPixels, newLabels, height, width);
    }

    /** The first {@code n} images (all of them when there are fewer). */
    public IdxDataset head(int n) {
        int count = Math.min(n, labels.length);
        int size = height * width;
        return new IdxDataset(
                java.util.Arrays.copyOf(pixels, count * size),
                java.util.Arrays.copyOf(labels, count),
                height,
                width);
    }
}
