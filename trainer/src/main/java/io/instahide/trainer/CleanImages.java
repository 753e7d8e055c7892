package io.instahide.trainer;

import io.instahide.clients.IdxDataset;
import io.instahide.core.Normalizer;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Clean (unmixed, unmasked) normalised images with one-hot labels: what a model trained on
 * InstaHide samples is evaluated on, and what plain training uses (spec 1.6).
 */
public final class CleanImages {

    private CleanImages() {}

    /**
     * Images {@code from} (inclusive) to {@code to} (exclusive) of a one-channel IDX set as [n, 1,
     * height, width] float32, normalised with {@code normalizer}, and one-hot labels.
     */
    public static DataSet of(
            IdxDataset images, int from, int to, Normalizer normalizer, int classes) {
        int n = to - from;
        int pixels = images.height() * images.width();
        float[] table = normalizer.table(1)[0];
        float[] features = new float[n * pixels];
        float[] labels = new float[n * classes];
        for (int i = 0; i < n; i++) {
            byte[] image = images.image(from + i);
            for (int p = 0; p < pixels; p++) {
                features[i * pixels + p] = table[image[p] & 0xFF];
            }
            int label = images.label(from + i);
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException(
                        "Label " + label + " of image " + (from + i) + " is not below " + classes);
            }
            labels[i * classes + label] = 1f;
        }
        INDArray x = Nd4j.create(features, new long[] {n, 1, images.height(), images.width()}, 'c');
        INDArray y = Nd4j.create(labels, new long[] {n, classes}, 'c');
        return new DataSet(x, y);
    }

    /** All images of {@code images}. */
    public static DataSet of(IdxDataset images, Normalizer normalizer, int classes) {
        return of(images, 0, images.size(), normalizer, classes);
    }
}
