package io.instahide.core;

import java.io.Serializable;

/**
 * The public parameters of the scheme (spec section 1): {@code k} images per encryption, of which
 * {@code privateSlots} are private (slot 0 is the image being encrypted) and the rest public;
 * {@code upper} bounds every coefficient; {@code dom} bounds the private slots' total weight from
 * below in cross-dataset mode (NaN in inside mode); {@code masked} is false only for the insecure
 * Mixup mode that the privacy audit uses as a strawman.
 */
public record InstaHideParameters(int k, int privateSlots, double upper, double dom, boolean masked)
        implements Serializable {

    public static final String SCHEME_VERSION = "instahide-1";
    public static final double DEFAULT_UPPER = 0.65;
    public static final double DEFAULT_DOM = 0.3;

    public InstaHideParameters {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        if (privateSlots < 1 || privateSlots > k) {
            throw new IllegalArgumentException(
                    String.format(
                            "privateSlots (kPriv) must be in [1, k=%d], got %d", k, privateSlots));
        }
        if (k > 1 && !(upper > 1.0 / k && upper <= 1.0)) {
            throw new IllegalArgumentException(
                    String.format(
                            "upper must be in (1/k, 1] = (%.4f, 1] for k=%d, got %s: with upper <="
                                    + " 1/k no coefficient vector summing to 1 exists and the"
                                    + " sampler would never stop",
                            1.0 / k, k, upper));
        }
        if (privateSlots == k) {
            if (!Double.isNaN(dom)) {
                throw new IllegalArgumentException(
                        "dom applies only in cross-dataset mode (privateSlots < k); got dom="
                                + dom
                                + " with privateSlots=k="
                                + k);
            }
        } else {
            if (!(dom >= 0.0 && dom <= 1.0)) {
                throw new IllegalArgumentException(
                        "dom must be in [0, 1] in cross-dataset mode, got " + dom);
            }
            if (privateSlots * upper < dom) {
                throw new IllegalArgumentException(
                        String.format(
                                "privateSlots*upper = %d*%s < dom = %s: the private weight could"
                                        + " never reach dom; lower dom or raise upper",
                                privateSlots, upper, dom));
            }
        }
    }

    /** Inside-dataset mode: all k slots private. */
    public static InstaHideParameters inside(int k, double upper) {
        return new InstaHideParameters(k, k, upper, Double.NaN, true);
    }

    /**
     * Cross-dataset mode: {@code privateSlots} private slots and {@code k - privateSlots} public.
     */
    public static InstaHideParameters cross(int k, int privateSlots, double upper, double dom) {
        return new InstaHideParameters(k, privateSlots, upper, dom, true);
    }

    /**
     * Inside-dataset mode when every slot is private, else cross-dataset, with the default bounds
     * ({@link #DEFAULT_UPPER}, {@link #DEFAULT_DOM}); without the mask when {@code masked} is
     * false.
     */
    public static InstaHideParameters withDefaultBounds(int k, int privateSlots, boolean masked) {
        InstaHideParameters scheme =
                privateSlots == k
                        ? inside(k, DEFAULT_UPPER)
                        : cross(k, privateSlots, DEFAULT_UPPER, DEFAULT_DOM);
        return masked ? scheme : scheme.unmasked();
    }

    /** The same parameters without the sign mask (Mixup): insecure, for the privacy audit only. */
    public InstaHideParameters unmasked() {
        return new InstaHideParameters(k, privateSlots, upper, dom, false);
    }

    public int publicSlots() {
        return k - privateSlots;
    }

    public boolean crossDataset() {
        return privateSlots < k;
    }
}
