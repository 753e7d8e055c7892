package io.instahide.core;

import java.util.Random;

/** Random uint8 image lists for mixer and encoder tests. */
public final class TestingImages {

    private TestingImages() {}

    /**
     * {@code n} random images of {@code shape} (CIFAR normalisation) with ids from {@code firstId},
     * labelled in [0, classes) or unlabelled; the same arguments give the same images.
     */
    public static U8ImageList random(
            ImageShape shape, int classes, int n, long firstId, boolean labelled) {
        Random random = new Random(firstId + 17);
        U8ImageList list = new U8ImageList(shape, Normalizer.cifar(), n);
        for (int i = 0; i < n; i++) {
            byte[] chw = new byte[shape.size()];
            random.nextBytes(chw);
            list.add(firstId + i, labelled ? random.nextInt(classes) : ImageSet.NO_LABEL, chw);
        }
        return list;
    }
}
