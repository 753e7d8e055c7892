package io.instahide.audit;

/**
 * One line of the privacy report: an attack on one configuration.
 *
 * @param data the image set
 * @param scheme e.g. "k=4 inside" or "k=6, 2 private"
 * @param masked InstaHide (true) or Mixup (false)
 * @param encryptionsPerImage T
 * @param grouping "oracle" or "clustering"
 * @param leakage what the attack recovered
 * @param clusteringAccuracy of the grouping (1 for the oracle)
 * @param seconds wall time of encrypting and attacking
 */
public record AuditRow(
        String data,
        String scheme,
        boolean masked,
        int encryptionsPerImage,
        String grouping,
        Leakage leakage,
        double clusteringAccuracy,
        double seconds) {

    public String mode() {
        return masked ? "InstaHide" : "Mixup (no mask)";
    }
}
