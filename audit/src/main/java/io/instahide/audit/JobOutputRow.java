package io.instahide.audit;

/**
 * One line of the report's job-output table: an attack on what the real job wrote to {@code
 * encrypted-samples}.
 *
 * @param data the image set
 * @param scheme e.g. "k=6, 2 private"
 * @param encryptionsPerImage T
 * @param shuffled the output shuffle on (the product) or off (the ordered output of earlier
 *     versions)
 * @param grouping how the attack grouped the encryptions ("order: ...", "clustering", "oracle")
 * @param groupingAccuracy of that grouping, scored by the escrow
 * @param chanceAccuracy what a random grouping scores
 * @param neighboursSharing fraction of records whose successor in their partition encrypts the same
 *     image
 * @param neighboursChance the same fraction in a uniformly random order
 * @param leakage what the reconstruction recovered
 * @param seconds wall time of the job run's share and the attack
 */
public record JobOutputRow(
        String data,
        String scheme,
        int encryptionsPerImage,
        boolean shuffled,
        String grouping,
        double groupingAccuracy,
        double chanceAccuracy,
        double neighboursSharing,
        double neighboursChance,
        Leakage leakage,
        double seconds) {

    public String output() {
        return shuffled ? "shuffled (now)" : "ordered (before)";
    }
}
