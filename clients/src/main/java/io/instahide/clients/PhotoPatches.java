package io.instahide.clients;

import javax.imageio.ImageIO;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Distinct textured patches of natural photos at any CHW shape ({@link PatchSampler}), the same
 * number from each photo, labelled by the photo they come from (its position in the list): colour
 * images of camera sizes for the audit and the throughput harness.
 */
public final class PhotoPatches implements ImageDataset {

    private final int[] shape;
    private final List<byte[]> images;
    private final int[] labels;

    private PhotoPatches(int[] shape, List<byte[]> images, int[] labels) {
        this.shape = shape.clone();
        this.images = images;
        this.labels = labels;
    }

    /**
     * Up to {@code count} patches of {@code shape} from the {@code photos} in {@code directory}
     * (about {@code count / photos.size()} from each), textured as {@code minEnergy} asks.
     *
     * @throws IOException when a photo is missing (with the command that fetches them) or
     *     unreadable
     */
    public static PhotoPatches cut(
            Path directory,
            List<String> photos,
            int[] shape,
            int count,
            double minEnergy,
            long seed)
            throws IOException {
        return cut(directory, photos, count, new PatchSampler(shape, minEnergy, seed));
    }

    /** As above, drawing with {@code sampler} (which also remembers what it has cut before). */
    public static PhotoPatches cut(
            Path directory, List<String> photos, int count, PatchSampler sampler)
            throws IOException {
        int perPhoto = (count + photos.size() - 1) / photos.size();
        List<byte[]> images = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int p = 0; p < photos.size(); p++) {
            Path file = directory.resolve(photos.get(p));
            if (!Files.isRegularFile(file)) {
                throw new IOException(
                        file + " is missing: run scripts/fetch-datasets.sh --photos first");
            }
            BufferedImage photo = ImageIO.read(file.toFile());
            if (photo == null) {
                throw new IOException(file + " is no image ImageIO can read");
            }
            List<byte[]> patches = sampler.patches(photo, perPhoto * 4);
            for (int i = 0; i < Math.min(perPhoto, patches.size()) && images.size() < count; i++) {
                images.add(patches.get(i));
                labels.add(p);
            }
        }
        return new PhotoPatches(
                sampler.shape(), images, labels.stream().mapToInt(Integer::intValue).toArray());
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public int size() {
        return images.size();
    }

    @Override
    public int label(int index) {
        return labels[index];
    }

    @Override
    public byte[] image(int index) {
        return images.get(index).clone();
    }
}
