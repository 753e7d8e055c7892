package io.instahide.audit;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class GreedyClusteringTest {

    private static final int IMAGES = 30;
    private static final int T = 5;
    private static final int SIDE = 16;

    @Test
    void encryptionsOfOneImageAreGroupedFarAboveChance() {
        Random random = new Random(5);
        double[][] privates = SyntheticImages.smooth(IMAGES, SIDE, random);
        double[][] pool = SyntheticImages.smooth(60, SIDE, random);
        List<float[]> encryptions = new ArrayList<>();
        int[] truth = new int[IMAGES * T];
        for (int i = 0; i < IMAGES; i++) {
            for (int t = 0; t < T; t++) {
                truth[encryptions.size()] = i;
                encryptions.add(SyntheticImages.crossMix(privates, pool, i, random));
            }
        }

        int[] labels = GreedyClustering.cluster(encryptions, T);

        double accuracy = GreedyClustering.accuracy(labels, truth);
        double chance = chance(labels, truth, random);
        assertThat(accuracy).isGreaterThan(chance + 0.1);
        for (int size : clusterSizes(labels)) {
            assertThat(size).isBetween(1, T);
        }
    }

    @Test
    void theOracleGroupingScoresOneAndAMixedUpOneLess() {
        int[] truth = {0, 0, 1, 1, 2, 2};
        assertThat(GreedyClustering.accuracy(new int[] {5, 5, 3, 3, 4, 4}, truth)).isEqualTo(1.0);
        assertThat(GreedyClustering.accuracy(new int[] {0, 1, 0, 1, 2, 2}, truth))
                .isEqualTo(4.0 / 6);
    }

    /** The accuracy of the same cluster sizes filled at random (mean of 20 shuffles). */
    private static double chance(int[] labels, int[] truth, Random random) {
        List<Integer> shuffled = new ArrayList<>();
        for (int label : labels) {
            shuffled.add(label);
        }
        double sum = 0;
        for (int round = 0; round < 20; round++) {
            Collections.shuffle(shuffled, random);
            sum +=
                    GreedyClustering.accuracy(
                            shuffled.stream().mapToInt(Integer::intValue).toArray(), truth);
        }
        return sum / 20;
    }

    private static int[] clusterSizes(int[] labels) {
        int[] sizes = new int[Arrays.stream(labels).max().orElse(-1) + 1];
        for (int label : labels) {
            sizes[label]++;
        }
        return sizes;
    }
}
