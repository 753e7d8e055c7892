package io.instahide.core;

/**
 * Receives the one-time key of every encryption before the encoder wipes it. For research audits
 * only (spec section 4): whoever holds an encryption's key can undo it, so production encoders use
 * {@link #NONE}, and a job writes escrow only where its operator turned it on explicitly.
 */
@FunctionalInterface
public interface KeyEscrow {

    /** Keeps nothing: the default. */
    KeyEscrow NONE = key -> {};

    void deposit(Key key);

    /**
     * One encryption's key.
     *
     * @param sample index of the encryption in the batch's output
     * @param imageIds the {@link ImageSet#id ids} of the k images it mixes, slot by slot: slot 0
     *     the image itself, slots 1..kPriv-1 private partners, the rest public images
     * @param lambdas the k float32 coefficients, slot by slot
     * @param maskBits the packed sign mask ({@link MaskBits}), or an empty array when unmasked
     */
    record Key(int sample, long[] imageIds, float[] lambdas, long[] maskBits) {}
}
