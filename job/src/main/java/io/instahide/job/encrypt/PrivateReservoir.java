package io.instahide.job.encrypt;

import io.instahide.core.ImageShape;
import io.instahide.core.Normalizer;
import io.instahide.core.PackedImageSet;
import io.instahide.core.U8ImageList;

/**
 * The most recent private images of one subtask, a ring buffer of fixed capacity: the source of
 * private partners. Transient memory, never checkpointed; after a restart it refills.
 */
final class PrivateReservoir {

    private final int capacity;
    private final U8ImageList images;
    private int next;

    PrivateReservoir(ImageShape shape, Normalizer normalizer, int capacity) {
        this.capacity = capacity;
        this.images = new U8ImageList(shape, normalizer, Math.min(capacity, 1024));
    }

    void add(long id, int label, byte[] chw) {
        if (images.size() < capacity) {
            images.add(id, label, chw);
        } else {
            images.set(next, id, label, chw);
            next = (next + 1) % capacity;
        }
    }

    int size() {
        return images.size();
    }

    PackedImageSet images() {
        return images;
    }
}
