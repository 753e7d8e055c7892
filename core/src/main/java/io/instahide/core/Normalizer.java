package io.instahide.core;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;

/**
 * Turns pixel bytes into centred floats (spec 1.1): {@code ((byte / 255f) - mean[c]) / std[c]} in
 * float32, subtract first, then divide; or {@code byte / 127.5f - 1} for {@link #symmetric()}. The
 * sign mask hides something only when values are centred, so every stream has a normaliser.
 *
 * <p>A byte has 256 values, so each channel's results are tabulated once ({@link #table}); the
 * table reproduces the formula bit for bit.
 */
public final class Normalizer implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String name;
    private final float[] mean;
    private final float[] std;

    private Normalizer(String name, float[] mean, float[] std) {
        this.name = name;
        this.mean = mean;
        this.std = std;
    }

    /** CIFAR-10 statistics, the reference's private-image normaliser. */
    public static Normalizer cifar() {
        return new Normalizer(
                "CIFAR",
                new float[] {0.4914f, 0.4822f, 0.4465f},
                new float[] {0.2023f, 0.1994f, 0.2010f});
    }

    /** ImageNet statistics, the reference's public-image normaliser. */
    public static Normalizer imagenet() {
        return new Normalizer(
                "IMAGENET",
                new float[] {0.485f, 0.456f, 0.406f},
                new float[] {0.229f, 0.224f, 0.225f});
    }

    /** MNIST statistics (one channel). */
    public static Normalizer mnist() {
        return new Normalizer("MNIST", new float[] {0.1307f}, new float[] {0.3081f});
    }

    /** {@code byte / 127.5 - 1}, i.e. [-1, 1], for any number of channels. */
    public static Normalizer symmetric() {
        return new Normalizer("SYMMETRIC", new float[0], new float[0]);
    }

    /** Per-channel mean and standard deviation of {@code byte / 255}. */
    public static Normalizer custom(float[] mean, float[] std) {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException(
                    String.format(
                            "Custom normaliser needs one mean and one std per channel, got %d"
                                    + " means and %d stds",
                            mean.length, std.length));
        }
        for (int c = 0; c < std.length; c++) {
            if (!(std[c] > 0f) || !Float.isFinite(std[c]) || !Float.isFinite(mean[c])) {
                throw new IllegalArgumentException(
                        String.format(
                                "Custom normaliser channel %d: std must be finite and > 0 and"
                                        + " mean finite, got mean=%s std=%s",
                                c, mean[c], std[c]));
            }
        }
        return new Normalizer("CUSTOM", mean.clone(), std.clone());
    }

    /** A preset by name: CIFAR, IMAGENET, MNIST or SYMMETRIC (case-insensitive). */
    public static Normalizer preset(String name) {
        switch (name.trim().toUpperCase(Locale.ROOT)) {
            case "CIFAR":
                return cifar();
            case "IMAGENET":
                return imagenet();
            case "MNIST":
                return mnist();
            case "SYMMETRIC":
                return symmetric();
            default:
                throw new IllegalArgumentException(
                        "Unknown normaliser '"
                                + name
                                + "': use CIFAR, IMAGENET, MNIST, SYMMETRIC or a custom"
                                + " mean/std");
        }
    }

    public String name() {
        return name;
    }

    public boolean isSymmetric() {
        return mean.length == 0;
    }

    /** Per-channel means (empty for SYMMETRIC). */
    public float[] mean() {
        return mean.clone();
    }

    /** Per-channel standard deviations (empty for SYMMETRIC). */
    public float[] std() {
        return std.clone();
    }

    /** Fails unless this normaliser applies to images with {@code channels} channels. */
    public void checkChannels(int channels) {
        if (!isSymmetric() && mean.length != channels) {
            throw new IllegalArgumentException(
                    String.format(
                            "Normaliser %s is for %d-channel images but the stream has %d"
                                    + " channels: pick a matching preset, SYMMETRIC, or a custom"
                                    + " mean/std",
                            name, mean.length, channels));
        }
    }

    /**
     * The normalisation of one channel as three float32 steps, {@code ((u8 / divisor) - offset) /
     * scale}: what SIMD code computes lane-wise. SYMMETRIC's is {@code (u8 / 127.5 - 1) / 1}, the
     * same bits as {@code u8 / 127.5 - 1} since IEEE division by one is exact.
     */
    public record Formula(float divisor, float offset, float scale) {

        float apply(int u8) {
            return (u8 / divisor - offset) / scale;
        }
    }

    /** The {@link Formula} of channel {@code channel}. */
    public Formula formula(int channel) {
        return isSymmetric()
                ? new Formula(127.5f, 1f, 1f)
                : new Formula(255f, mean[channel], std[channel]);
    }

    /** The normalised value of byte {@code u8} (0..255) in channel {@code channel}. */
    public float normalize(int channel, int u8) {
        return formula(channel).apply(u8);
    }

    /** {@code table[c][b]} = {@link #normalize}(c, b) for every channel and byte value. */
    public float[][] table(int channels) {
        checkChannels(channels);
        float[][] table = new float[channels][256];
        for (int c = 0; c < channels; c++) {
            for (int b = 0; b < 256; b++) {
                table[c][b] = normalize(c, b);
            }
        }
        return table;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalizer other
                && name.equals(other.name)
                && Arrays.equals(mean, other.mean)
                && Arrays.equals(std, other.std);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(mean) + 7 * Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return isSymmetric()
                ? name
                : name + "(mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + ")";
    }
}
