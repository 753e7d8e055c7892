package io.instahide.job.encrypt;

import io.instahide.core.ImageSet;
import io.instahide.core.ImageShape;
import io.instahide.core.Normalizer;
import io.instahide.core.PackedImageSet;
import io.instahide.core.U8ImageList;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The in-memory, indexable mirror of the public pool held in broadcast state. Admission is
 * deterministic and independent of arrival order: when the pool is full, the ids with the smallest
 * rank (a fixed hash of the id) win, so every subtask that saw the same updates holds the same
 * pool.
 */
final class PublicPool {

    private static final Comparator<String> BY_RANK =
            Comparator.comparingLong(PublicPool::rank).thenComparing(Comparator.naturalOrder());

    private final int maxSize;
    private final U8ImageList images;
    private final Map<String, Integer> indexById = new HashMap<>();
    private final Map<Long, String> idByKey = new HashMap<>();
    private long nextKey;
    private final String[] idByIndex;
    private final TreeSet<String> ranked = new TreeSet<>(BY_RANK);

    PublicPool(ImageShape shape, Normalizer normalizer, int maxSize) {
        this.maxSize = maxSize;
        this.images = new U8ImageList(shape, normalizer, Math.min(maxSize, 1024));
        this.idByIndex = new String[maxSize];
    }

    /**
     * Adds or replaces {@code id}.
     *
     * @return the id that was evicted to make room, {@code id} itself if it was not admitted, or
     *     null if nothing was evicted
     */
    String put(String id, byte[] chw) {
        Integer index = indexById.get(id);
        if (index != null) {
            images.set(index, images.id(index), ImageSet.NO_LABEL, chw);
            return null;
        }
        String evicted = null;
        if (ranked.size() == maxSize) {
            String worst = ranked.last();
            if (BY_RANK.compare(id, worst) > 0) {
                return id;
            }
            remove(worst);
            evicted = worst;
        }
        long key = nextKey++;
        idByKey.put(key, id);
        int added = images.add(key, ImageSet.NO_LABEL, chw);
        indexById.put(id, added);
        idByIndex[added] = id;
        ranked.add(id);
        return evicted;
    }

    /** Removes {@code id}; returns whether it was present. */
    boolean remove(String id) {
        Integer index = indexById.remove(id);
        if (index == null) {
            return false;
        }
        ranked.remove(id);
        idByKey.remove(images.id(index));
        int moved = images.removeByMovingLast(index);
        if (moved >= 0) {
            String movedId = idByIndex[moved];
            idByIndex[index] = movedId;
            indexById.put(movedId, index);
        }
        idByIndex[images.size()] = null;
        return true;
    }

    /** The pool id of the image that {@link #images()} lists under {@code key}. */
    String idOf(long key) {
        String id = idByKey.get(key);
        if (id == null) {
            throw new IllegalArgumentException("No public image under key " + key);
        }
        return id;
    }

    boolean contains(String id) {
        return indexById.containsKey(id);
    }

    int size() {
        return images.size();
    }

    PackedImageSet images() {
        return images;
    }

    static long rank(String id) {
        long h = 1125899906842597L;
        for (int i = 0; i < id.length(); i++) {
            h = 31 * h + id.charAt(i);
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }
}
