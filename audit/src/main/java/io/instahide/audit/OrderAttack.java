package io.instahide.audit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Groups the encryptions of one image without looking at their pixels: from what an observer of the
 * encrypted topic has besides them (partition, offset, send time). Each strategy cuts an order of
 * the records into groups of at most T; the attack keeps the strategy whose grouping the escrow
 * scores best (which favours the attack: a real attacker has to guess which one works).
 */
public final class OrderAttack {

    /** One way of grouping and how well it matched the truth. */
    public record Grouping(String strategy, int[] labels, double accuracy) {}

    private OrderAttack() {}

    /** Every strategy's grouping of {@code output}, best first. */
    public static List<Grouping> all(JobOutput output) {
        int t = output.set().encryptionsPerImage();
        Integer[] byPartition = order(output, Comparator.comparingInt(j -> 0));
        Integer[] bySendTime = order(output, Comparator.comparingLong(j -> output.timestamps()[j]));
        List<Grouping> groupings = new ArrayList<>();
        groupings.add(
                score(output, "neighbours in a partition", runs(output, byPartition, t, true)));
        // Send time first: records produced together, whatever partition they went to.
        groupings.add(score(output, "neighbours in send time", runs(output, bySendTime, t, false)));
        groupings.sort(Comparator.comparingDouble(Grouping::accuracy).reversed());
        return groupings;
    }

    /**
     * The accuracy of a grouping that knows nothing: a uniformly random order cut into runs of T
     * (GreedyClustering's accuracy is not 0 by chance: a group's majority image is its own for some
     * of its members).
     */
    public static double chance(JobOutput output) {
        Integer[] order = new Integer[output.size()];
        Arrays.setAll(order, j -> j);
        java.util.Collections.shuffle(Arrays.asList(order), new java.util.Random(1));
        int t = output.set().encryptionsPerImage();
        int[] labels = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            labels[order[i]] = i / t;
        }
        return GreedyClustering.accuracy(labels, output.set().owners());
    }

    /** The best of {@link #all}. */
    public static Grouping best(JobOutput output) {
        return all(output).get(0);
    }

    /** Record indexes sorted by {@code first}, then partition and offset (stable). */
    private static Integer[] order(JobOutput output, Comparator<Integer> first) {
        Integer[] order = new Integer[output.size()];
        Arrays.setAll(order, j -> j);
        Arrays.sort(
                order,
                first.thenComparingInt((Integer j) -> output.partitions()[j])
                        .thenComparingLong(j -> output.offsets()[j]));
        return order;
    }

    /**
     * Consecutive runs of T records of {@code order}; with {@code withinPartitions} a run never
     * crosses a partition (so the last run of a partition may be shorter). Groups are never made
     * smaller otherwise: many small groups would score well on accuracy (a singleton is always
     * "right") and give the reconstruction a best-of-many that no attacker could choose.
     */
    static int[] runs(JobOutput output, Integer[] order, int t, boolean withinPartitions) {
        int[] labels = new int[order.length];
        int group = -1;
        int size = t;
        int first = -1;
        for (Integer j : order) {
            if (size >= t
                    || (withinPartitions && output.partitions()[j] != output.partitions()[first])) {
                group++;
                size = 0;
                first = j;
            }
            labels[j] = group;
            size++;
        }
        return labels;
    }

    private static Grouping score(JobOutput output, String strategy, int[] labels) {
        return new Grouping(
                strategy, labels, GreedyClustering.accuracy(labels, output.set().owners()));
    }
}
