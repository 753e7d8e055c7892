package io.instahide.audit;

import io.instahide.core.InstaHideParameters;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The attack on the output's order, on outputs whose order is known. */
class OrderAttackTest {

    private static final int IMAGES = 200;
    private static final int T = 5;
    private static final int PARTITIONS = 4;

    /** A record as a trainer reads it: the image it encrypts, where and when it was written. */
    private record Written(int owner, int partition, long sendTime) {}

    /** Sorts {@code written} by partition and offset (the order of the list) into an output. */
    private static JobOutput output(List<Written> written) {
        List<Written> read = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            for (Written w : written) {
                if (w.partition() == p) {
                    read.add(w);
                }
            }
        }
        int n = read.size();
        List<float[]> encryptions = new ArrayList<>();
        int[] owners = new int[n];
        int[][] ids = new int[n][];
        double[][] lambdas = new double[n][];
        int[] partitions = new int[n];
        long[] offsets = new long[n];
        long[] times = new long[n];
        Random noise = new Random(99);
        for (int j = 0; j < n; j++) {
            encryptions.add(encryption(read.get(j).owner(), noise));
            owners[j] = read.get(j).owner();
            ids[j] = new int[] {owners[j]};
            lambdas[j] = new double[] {1};
            partitions[j] = read.get(j).partition();
            offsets[j] = j;
            times[j] = read.get(j).sendTime();
        }
        EncryptedSet set =
                new EncryptedSet(
                        InstaHideParameters.inside(4, 0.65), T, encryptions, owners, ids, lambdas);
        return new JobOutput(set, partitions, offsets, times);
    }

    /**
     * An encryption of image {@code owner}: its own magnitude pattern plus noise, under a random
     * sign mask, so that |e| of two encryptions of one image correlate as in the real scheme.
     */
    private static float[] encryption(int owner, Random noise) {
        Random pattern = new Random(owner);
        float[] e = new float[64];
        for (int p = 0; p < e.length; p++) {
            double magnitude = Math.abs(pattern.nextGaussian()) + 0.5 * noise.nextGaussian();
            e[p] = (float) (noise.nextBoolean() ? magnitude : -magnitude);
        }
        return e;
    }

    /** Every image's T encryptions in a row, in production order. */
    private static List<Integer> ordered() {
        List<Integer> owners = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) {
            for (int t = 0; t < T; t++) {
                owners.add(i);
            }
        }
        return owners;
    }

    @Test
    void anOrderedStickyOutputGivesTheGroupingAway() {
        List<Written> written = new ArrayList<>();
        List<Integer> owners = ordered();
        for (int j = 0; j < owners.size(); j++) {
            written.add(new Written(owners.get(j), (j / 25) % PARTITIONS, j / 25)); // batches of 25
        }
        JobOutput output = output(written);

        OrderAttack.Grouping best = OrderAttack.best(output);
        assertThat(best.accuracy()).isEqualTo(1.0);
        assertThat(best.chance()).isLessThan(0.4);
        assertThat(output.neighboursSharingTheirImage()[0]).isGreaterThan(0.75);
    }

    @Test
    void randomPartitionsAloneDoNotHideAnOrderTheSendTimeStillShows() {
        Random random = new Random(3);
        List<Written> written = new ArrayList<>();
        List<Integer> owners = ordered();
        for (int j = 0; j < owners.size(); j++) {
            written.add(new Written(owners.get(j), random.nextInt(PARTITIONS), j));
        }
        List<OrderAttack.Grouping> all = OrderAttack.all(output(written));
        assertThat(all.get(0).strategy()).startsWith("neighbours in send time");
        assertThat(all.get(0).accuracy()).isEqualTo(1.0);
        assertThat(all)
                .filteredOn(g -> g.strategy().equals("neighbours in a partition"))
                .allSatisfy(g -> assertThat(g.accuracy()).isLessThan(0.5));
    }

    /**
     * A uniformly shuffled output to uniform partitions, all sent at one time: no strategy beats
     * groups of its own sizes filled at random by more than 0.05 (over 1,000 records the spread is
     * about 0.01), and neighbours share their image as often as in a random order ((T−1)/(N−1) ±
     * 5σ).
     */
    @Test
    void aShuffledOutputGroupsNoBetterThanChance() {
        Random random = new Random(8);
        List<Integer> owners = ordered();
        Collections.shuffle(owners, random);
        List<Written> written = new ArrayList<>();
        for (int owner : owners) {
            written.add(new Written(owner, random.nextInt(PARTITIONS), 0));
        }
        JobOutput output = output(written);

        for (OrderAttack.Grouping grouping : OrderAttack.all(output)) {
            assertThat(grouping.lift()).as(grouping.strategy()).isLessThan(0.05);
        }
        double[] neighbours = output.neighboursSharingTheirImage();
        int pairs = output.size() - PARTITIONS;
        double sigma = Math.sqrt(neighbours[1] * (1 - neighbours[1]) / pairs);
        assertThat(neighbours[0]).isBetween(0.0, neighbours[1] + 5 * sigma);
    }
}
