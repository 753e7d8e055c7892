package io.instahide.audit;

/**
 * What a trainer reading {@code encrypted-samples} saw, record by record in partition and offset
 * order, with the ground truth the research key escrow gives: the encryptions and who they encrypt
 * ({@link #set}), and the metadata an observer of the topic has besides the pixels.
 *
 * @param set the encryptions and their ground truth; encryption {@code j} is record {@code j}
 * @param partitions the partition of each record
 * @param offsets its offset in that partition
 * @param timestamps its Kafka timestamp (the producer's send time)
 */
public record JobOutput(EncryptedSet set, int[] partitions, long[] offsets, long[] timestamps) {

    public int size() {
        return set.size();
    }

    /**
     * Fraction of records whose successor in the same partition encrypts the same image, and the
     * same fraction expected of a uniformly random order of these records ((T−1)/(N−1)).
     */
    public double[] neighboursSharingTheirImage() {
        int pairs = 0;
        int sharing = 0;
        for (int j = 1; j < size(); j++) {
            if (partitions[j] == partitions[j - 1]) {
                pairs++;
                sharing += set.owners()[j] == set.owners()[j - 1] ? 1 : 0;
            }
        }
        double chance = (set.encryptionsPerImage() - 1.0) / Math.max(1, size() - 1);
        return new double[] {pairs == 0 ? 0 : (double) sharing / pairs, chance};
    }
}
