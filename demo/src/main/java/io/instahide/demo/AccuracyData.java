package io.instahide.demo;

import io.instahide.core.Normalizer;

import java.util.Locale;

/**
 * Which image set is private in the accuracy benchmark; the other one is the public pool of the
 * cross-dataset row. Both are 1x28x28 with 10 classes, each normalised with its own statistics.
 */
enum AccuracyData {
    MNIST("mnist", "MNIST", "mnist", Normalizer.mnist()),
    FASHION_MNIST(
            "fashion-mnist",
            "Fashion-MNIST",
            "0.2860/0.3530",
            Normalizer.custom(new float[] {0.2860f}, new float[] {0.3530f}));

    /** Folder under the dataset cache, also the option value. */
    final String folder;

    final String label;

    /** The normaliser as a job option value ({@code normalizer.private}/{@code .public}). */
    final String normalizerOption;

    final Normalizer normalizer;

    AccuracyData(String folder, String label, String normalizerOption, Normalizer normalizer) {
        this.folder = folder;
        this.label = label;
        this.normalizerOption = normalizerOption;
        this.normalizer = normalizer;
    }

    /** The other set: the public pool when this one is private. */
    AccuracyData other() {
        return this == MNIST ? FASHION_MNIST : MNIST;
    }

    /** Report file names: accuracy.md for MNIST, accuracy-fashion-mnist.md for Fashion-MNIST. */
    String reportName() {
        return this == MNIST ? "accuracy" : "accuracy-" + folder;
    }

    static AccuracyData of(String folder) {
        for (AccuracyData data : values()) {
            if (data.folder.equals(folder.toLowerCase(Locale.ROOT))) {
                return data;
            }
        }
        throw new IllegalArgumentException(
                "--private must be mnist or fashion-mnist, not '" + folder + "'");
    }
}
