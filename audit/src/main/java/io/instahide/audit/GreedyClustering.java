package io.instahide.audit;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The attack's grouping step without the oracle: which encryptions share a private image? Carlini
 * et al. train a network to compare encryptions; this uses a simple similarity instead, the
 * correlation of the absolute values (the mask only flips signs), and merges the most similar pairs
 * greedily into clusters of at most {@code T} encryptions (the attacker knows how many encryptions
 * of each image are published).
 */
public final class GreedyClustering {

    private GreedyClustering() {}

    /** Cluster labels 0..c-1, one per encryption, clusters of at most {@code maxSize}. */
    public static int[] cluster(List<float[]> encryptions, int maxSize) {
        int n = encryptions.size();
        double[][] centred = new double[n][];
        for (int i = 0; i < n; i++) {
            centred[i] = centredAbsolute(encryptions.get(i));
        }
        int pairs = n * (n - 1) / 2;
        int[] first = new int[pairs];
        int[] second = new int[pairs];
        double[] similarity = new double[pairs];
        Integer[] order = new Integer[pairs];
        int index = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                first[index] = i;
                second[index] = j;
                similarity[index] = dot(centred[i], centred[j]);
                order[index] = index;
                index++;
            }
        }
        Arrays.sort(order, Comparator.comparingDouble(p -> -similarity[p]));
        int[] parent = new int[n];
        int[] size = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
            size[i] = 1;
        }
        for (int pair : order) {
            int a = root(parent, first[pair]);
            int b = root(parent, second[pair]);
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
        int clusters = Arrays.stream(labels).max().orElse(-1) + 1;
        int correct = 0;
        for (int c = 0; c < clusters; c++) {
            Map<Integer, Integer> counts = new HashMap<>();
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == c) {
                    counts.merge(truth[i], 1, Integer::sum);
                }
            }
            correct += counts.values().stream().max(Integer::compare).orElse(0);
        }
        return (double) correct / labels.length;
    }

    /** |e| minus its mean, scaled to unit length (so that a dot product is a correlation). */
    private static double[] centredAbsolute(float[] encryption) {
        double[] v = new double[encryption.length];
        double mean = 0;
        for (int p = 0; p < v.length; p++) {
            v[p] = Math.abs(encryption[p]);
            mean += v[p];
        }
        mean /= v.length;
        double norm = 0;
        for (int p = 0; p < v.length; p++) {
            v[p] -= mean;
            norm += v[p] * v[p];
        }
        norm = Math.sqrt(norm);
        for (int p = 0; p < v.length && norm > 0; p++) {
            v[p] /= norm;
        }
        return v;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int p = 0; p < a.length; p++) {
            sum += a[p] * b[p];
        }
        return sum;
    }

    private static int root(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }
}
