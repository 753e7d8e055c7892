package io.instahide.audit;

/**
 * One encryption as an attacker sees it, plus what the attack is granted about it: which private
 * images it mixes (the oracle grouping, or a clustering's guess) and their coefficients (the soft
 * label reveals them). Whatever else the encryption mixes (public images) is unknown.
 *
 * @param pixels the encryption's C·H·W values as published (signs flipped by the mask, if any)
 * @param privateIds indexes of the private images it mixes, into the attack's image table
 * @param lambdas their coefficients, in the same order
 */
public record Observation(float[] pixels, int[] privateIds, double[] lambdas) {

    public Observation {
        if (privateIds.length != lambdas.length || privateIds.length == 0) {
            throw new IllegalArgumentException(
                    "An observation needs one coefficient per private image, got "
                            + privateIds.length
                            + " ids and "
                            + lambdas.length
                            + " coefficients");
        }
    }
}
