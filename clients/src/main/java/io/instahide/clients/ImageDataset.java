package io.instahide.clients;

/** Labelled uint8 images of one CHW shape, as the tools publish them. */
public interface ImageDataset {

    /** {channels, height, width}. */
    int[] shape();

    int size();

    /** Class index of image {@code index}, at least 0. */
    int label(int index);

    /** A copy of image {@code index}, CHW uint8. */
    byte[] image(int index);
}
