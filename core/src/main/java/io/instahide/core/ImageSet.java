package io.instahide.core;

/**
 * Indexed images of one shape that a mixer reads: the batch being encrypted, the private reservoir,
 * the public pool. Implementations decide the storage (compact bytes or floats).
 */
public interface ImageSet {

    /** Marks an image without a label (public images, unlabelled streams). */
    int NO_LABEL = -1;

    ImageShape shape();

    int size();

    /** An identifier unique within the stream, used to keep an image from being its own partner. */
    long id(int index);

    /** Class index in [0, classes), or {@link #NO_LABEL}. */
    int label(int index);

    /** Writes the normalised CHW values of image {@code index} to {@code dst[offset, offset+D)}. */
    void copyNormalized(int index, float[] dst, int offset);

    /**
     * Mixes values [from, to) of image {@code index} into {@code acc}, reading the set's own
     * storage: {@code acc[accOff + j] = λ·x_j} if {@code first}, else {@code acc[accOff + j] +
     * λ·x_j}, through {@code kernel}.
     */
    void mixInto(
            int index,
            int from,
            int to,
            float lambda,
            boolean first,
            float[] acc,
            int accOff,
            MixKernel kernel);

    /** The empty set of a shape (e.g. the public pool in inside-dataset mode). */
    static ImageSet empty(ImageShape shape) {
        return new FloatImageList(shape, 0);
    }
}
