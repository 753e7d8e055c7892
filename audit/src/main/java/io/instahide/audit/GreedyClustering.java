package io.instahide.audit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * The attack's grouping step without the oracle: which encryptions share a private image? Carlini
 * et al. train a network to compare encryptions; this uses a simple similarity instead, the
 * correlation of the absolute values (the mask only flips signs), and merges the most similar pairs
 * greedily into clusters of at most {@code T} encryptions (the attacker knows how many encryptions
 * of each image are published).
 */
public final class GreedyClustering {

    private GreedyClustering() {}

    /** Most encryptions one clustering takes: pair indexes are packed into 16 bits each. */
    public static final int MAX_ENCRYPTIONS = 1 << 16;

    /** Cluster labels 0..c-1, one per encryption, clusters of at most {@code maxSize}. */
    public static int[] cluster(List<float[]> encryptions, int maxSize) {
        int n = encryptions.size();
        if (n > MAX_ENCRYPTIONS) {
            throw new IllegalArgumentException(
                    "At most " + MAX_ENCRYPTIONS + " encryptions per clustering, got " + n);
        }
        float[][] centred = new float[n][];
        for (int i = 0; i < n; i++) {
            centred[i] = centredAbsolute(encryptions.get(i));
        }
        // Every pair as one sortable long: the negated similarity's order-preserving bits above,
        // the pair's indexes below; sorting ascending gives the most similar pairs first.
        long[] pairs = new long[n * (n - 1) / 2];
        IntStream.range(0, n)
                .parallel()
                .forEach(
                        i -> {
                            int index = i * (2 * n - i - 1) / 2;
                            for (int j = i + 1; j < n; j++) {
                                pairs[index++] =
                                        (long) sortableBits(-dot(centred[i], centred[j])) << 32
                                                | (long) i << 16
                                                | j;
                            }
                        });
        Arrays.parallelSort(pairs);
        int[] parent = new int[n];
        int[] size = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
            size[i] = 1;
        }
        for (long pair : pairs) {
            int a = root(parent, (int) (pair >>> 16) & 0xffff);
            int b = root(parent, (int) pair & 0xffff);
            if (a != b && size[a] + size[b] <= maxSize) {
                parent[b] = a;
                size[a] += size[b];
            }
        }
        int[] labels = new int[n];
        int[] labelOfRoot = new int[n];
        Arrays.fill(labelOfRoot, -1);
        int next = 0;
        for (int i = 0; i < n; i++) {
            int r = root(parent, i);
            if (labelOfRoot[r] < 0) {
                labelOfRoot[r] = next++;
            }
            labels[i] = labelOfRoot[r];
        }
        return labels;
    }

    /**
     * Clustering accuracy: the fraction of encryptions whose cluster's most common true image is
     * their own (1 for the oracle grouping).
     */
    public static double accuracy(int[] labels, int[] truth) {
        int[] majority = majority(labels, truth);
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if (truth[i] == majority[labels[i]]) {
                correct++;
            }
        }
        return (double) correct / labels.length;
    }

    /** For each cluster, the true image most of its members have (ties: the smallest). */
    public static int[] majority(int[] labels, int[] truth) {
        int clusters = Arrays.stream(labels).max().orElse(-1) + 1;
        List<Map<Integer, Integer>> counts = new ArrayList<>(clusters);
        for (int c = 0; c < clusters; c++) {
            counts.add(new TreeMap<>());
        }
        for (int i = 0; i < labels.length; i++) {
            counts.get(labels[i]).merge(truth[i], 1, Integer::sum);
        }
        int[] majority = new int[clusters];
        for (int c = 0; c < clusters; c++) {
            int best = -1;
            int bestCount = 0;
            for (Map.Entry<Integer, Integer> entry : counts.get(c).entrySet()) {
                if (entry.getValue() > bestCount) {
                    best = entry.getKey();
                    bestCount = entry.getValue();
                }
            }
            majority[c] = best;
        }
        return majority;
    }

    /** The correlation of two encryptions' absolute values, the similarity clustering uses. */
    static float similarity(float[] a, float[] b) {
        return dot(centredAbsolute(a), centredAbsolute(b));
    }

    /** |e| minus its mean, scaled to unit length (so that a dot product is a correlation). */
    private static float[] centredAbsolute(float[] encryption) {
        double mean = 0;
        for (float e : encryption) {
            mean += Math.abs(e);
        }
        mean /= encryption.length;
        double norm = 0;
        for (float e : encryption) {
            norm += (Math.abs(e) - mean) * (Math.abs(e) - mean);
        }
        norm = Math.sqrt(norm);
        float[] v = new float[encryption.length];
        for (int p = 0; p < v.length; p++) {
            v[p] = norm > 0 ? (float) ((Math.abs(encryption[p]) - mean) / norm) : 0f;
        }
        return v;
    }

    private static float dot(float[] a, float[] b) {
        float sum = 0;
        for (int p = 0; p < a.length; p++) {
            sum += a[p] * b[p];
        }
        return sum;
    }

    /** The bits of {@code f} as an int that orders like the float (no NaN here). */
    private static int sortableBits(float f) {
        int bits = Float.floatToIntBits(f);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    private static int root(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }
}
