package io.instahide.audit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Groups the encryptions of one image from the order of the encrypted topic: what an observer has
 * besides the pixels (partition, offset, send time), alone or with the one pixel statistic of
 * neighbours that tells where a run of one image ends. Each strategy cuts an order of the records
 * into groups of at most T; the attack keeps the strategy whose grouping the escrow scores best
 * (which favours the attack: a real attacker has to guess which one works).
 */
public final class OrderAttack {

    /**
     * One way of grouping and how well it matched the truth.
     *
     * @param accuracy {@link GreedyClustering#accuracy} against the escrow
     * @param chance the accuracy of groups of the same sizes filled at random (small groups score
     *     high by themselves: a singleton is always "right")
     */
    public record Grouping(String strategy, int[] labels, double accuracy, double chance) {

        /** What the grouping knows beyond chance. */
        public double lift() {
            return accuracy - chance;
        }
    }

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
        // Order and a little pixel information: cut the send order where neighbours look least
        // alike, so that a run that slipped out of step with its image falls back into it.
        groupings.add(
                score(
                        output,
                        "neighbours in send time, cut where magnitudes change most",
                        weakestLinks(output, bySendTime, t)));
        groupings.sort(Comparator.comparingDouble(Grouping::lift).reversed());
        return groupings;
    }

    /**
     * The accuracy of groups of these sizes filled at random: the mean over 20 random reassignments
     * of {@code labels} to the records.
     */
    public static double chance(int[] labels, int[] owners) {
        List<Integer> shuffled = new ArrayList<>(labels.length);
        for (int label : labels) {
            shuffled.add(label);
        }
        java.util.Random random = new java.util.Random(1);
        int[] permuted = new int[labels.length];
        double sum = 0;
        int rounds = 20;
        for (int r = 0; r < rounds; r++) {
            java.util.Collections.shuffle(shuffled, random);
            for (int i = 0; i < permuted.length; i++) {
                permuted[i] = shuffled.get(i);
            }
            sum += GreedyClustering.accuracy(permuted, owners);
        }
        return sum / rounds;
    }

    /** The best of {@link #all}: the most accurate beyond chance. */
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

    /**
     * Cuts {@code order} into groups of between ¾T and T records, each cut at the weakest link (the
     * neighbours whose |e| correlate least) that the size allows. On an ordered output that is
     * where one image's encryptions end, so a run that started off its image's boundary falls back
     * into step; on a shuffled one every link is between unrelated images. Groups stay close to T,
     * so the reconstruction gets no best-of-many from small groups.
     */
    static int[] weakestLinks(JobOutput output, Integer[] order, int t) {
        int n = order.length;
        List<float[]> encryptions = output.set().encryptions();
        double[] link = new double[Math.max(0, n - 1)];
        java.util.stream.IntStream.range(0, link.length)
                .parallel()
                .forEach(
                        i ->
                                link[i] =
                                        GreedyClustering.similarity(
                                                encryptions.get(order[i]),
                                                encryptions.get(order[i + 1])));
        int[] labels = new int[n];
        int group = 0;
        for (int start = 0; start < n; group++) {
            int shortest = Math.min(n, start + Math.max(1, t - t / 4));
            int longest = Math.min(n, start + t);
            int end = longest;
            if (longest < n) {
                // A cut before record e severs link[e - 1]; take the weakest within the sizes.
                for (int e = shortest; e < longest; e++) {
                    if (link[e - 1] < link[end - 1]) {
                        end = e;
                    }
                }
            }
            for (int i = start; i < end; i++) {
                labels[order[i]] = group;
            }
            start = end;
        }
        return labels;
    }

    private static Grouping score(JobOutput output, String strategy, int[] labels) {
        int[] owners = output.set().owners();
        return new Grouping(
                strategy,
                labels,
                GreedyClustering.accuracy(labels, owners),
                chance(labels, owners));
    }
}
