package io.instahide.clients;

import io.instahide.core.image.ImageFitting;

import java.awt.image.BufferedImage;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Cuts random patches of the stream's shape out of natural photos for the public pool and keeps the
 * textured ones, as the InstaHide challenge kept patches with enough keypoints: the mean absolute
 * horizontal plus vertical grey-level difference must reach {@code minEnergy}. Identical patches
 * are kept once. Patch positions are public and need no secure generator.
 */
public final class PatchSampler {

    private final int channels;
    private final int height;
    private final int width;
    private final double minEnergy;
    private final Random random;
    private final Set<String> seen = new HashSet<>();
    private long rejectedFlat;
    private long rejectedDuplicate;

    public PatchSampler(int[] shape, double minEnergy, long seed) {
        this.channels = shape[0];
        this.height = shape[1];
        this.width = shape[2];
        this.minEnergy = minEnergy;
        this.random = new Random(seed);
    }

    /** The {channels, height, width} of the patches. */
    public int[] shape() {
        return new int[] {channels, height, width};
    }

    /** Up to {@code count} textured, new patches (CHW bytes) of {@code photo}. */
    public List<byte[]> patches(BufferedImage photo, int count) {
        List<byte[]> patches = new ArrayList<>();
        if (photo.getWidth() < width || photo.getHeight() < height) {
            return patches;
        }
        for (int i = 0; i < count; i++) {
            int x = random.nextInt(photo.getWidth() - width + 1);
            int y = random.nextInt(photo.getHeight() - height + 1);
            BufferedImage patch =
                    ImageFitting.fit(
                            photo.getSubimage(x, y, width, height), channels, height, width);
            byte[] chw = ImageFitting.toChw(patch, channels);
            if (energy(chw) < minEnergy) {
                rejectedFlat++;
            } else if (!seen.add(digest(chw))) {
                rejectedDuplicate++;
            } else {
                patches.add(chw);
            }
        }
        return patches;
    }

    /** Mean |dx| + |dy| of the grey levels (channel mean), 0..510. */
    double energy(byte[] chw) {
        int plane = height * width;
        double[] grey = new double[plane];
        for (int c = 0; c < channels; c++) {
            for (int p = 0; p < plane; p++) {
                grey[p] += (chw[c * plane + p] & 0xff) / (double) channels;
            }
        }
        double sum = 0;
        int terms = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double v = grey[y * width + x];
                if (x + 1 < width) {
                    sum += Math.abs(grey[y * width + x + 1] - v);
                    terms++;
                }
                if (y + 1 < height) {
                    sum += Math.abs(grey[(y + 1) * width + x] - v);
                    terms++;
                }
            }
        }
        return terms == 0 ? 0 : 2 * sum / terms;
    }

    public static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    public long rejectedFlat() {
        return rejectedFlat;
    }

    public long rejectedDuplicate() {
        return rejectedDuplicate;
    }
}
