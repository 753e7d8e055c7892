package io.instahide.core;

/**
 * The soft-label cross-entropy trainers minimise (spec 1.5): {@code mean_i Σ_c -t_ic ·
 * log_softmax(z_i)_c}, with a numerically stable log-softmax. Computed in double precision.
 */
public final class SoftLabelLoss {

    private SoftLabelLoss() {}

    /** {@code logits} and {@code targets} are row-major [n, classes]. */
    public static double mean(float[] logits, float[] targets, int classes) {
        if (classes < 1 || logits.length != targets.length || logits.length % classes != 0) {
            throw new IllegalArgumentException(
                    String.format(
                            "logits (%d) and targets (%d) must both be n x classes (%d)",
                            logits.length, targets.length, classes));
        }
        int n = logits.length / classes;
        double total = 0;
        for (int i = 0; i < n; i++) {
            int row = i * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, logits[row + c]);
            }
            double sumExp = 0;
            for (int c = 0; c < classes; c++) {
                sumExp += Math.exp(logits[row + c] - max);
            }
            double logSumExp = max + Math.log(sumExp);
            for (int c = 0; c < classes; c++) {
                total -= targets[row + c] * (logits[row + c] - logSumExp);
            }
        }
        return total / n;
    }
}
