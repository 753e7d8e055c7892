package io.instahide.demo;

import io.instahide.core.InstaHideParameters;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One point of the privacy–utility sweep, named as on the command line: {@code plain} (clean
 * images), {@code mixup-k4} (no mask: the insecure reference), {@code inside-k4} (k private images,
 * no pool), {@code cross-k6-p2-photos} (k = 6 with 2 private slots, the rest from a pool: {@code
 * other}, {@code other-norm} or {@code photos}, see {@link PoolSource}); InstaHide settings take
 * {@code -t5} for T = 5 encryptions per image.
 *
 * @param pool the public pool of a cross-dataset setting, null otherwise
 */
record SweepSetting(int k, int privateSlots, PoolSource pool, boolean masked, int t) {

    private static final Pattern NAME =
            Pattern.compile(
                    "plain|mixup-k(\\d+)|inside-k(\\d+)(?:-t(\\d+))?"
                            + "|cross-k(\\d+)-p(\\d+)-([a-z-]+?)(?:-t(\\d+))?");

    /** The product's default: cross-dataset k = 6, 2 private, the other set as pool, T = 1. */
    static final SweepSetting DEFAULT = parse("cross-k6-p2-other");

    SweepSetting {
        if (k < 1 || privateSlots < 1 || privateSlots > k || t < 1) {
            throw new IllegalArgumentException(
                    "A setting needs 1 <= private slots <= k and T >= 1");
        }
        if ((pool != null) != (privateSlots < k)) {
            throw new IllegalArgumentException("A pool exactly when some slots are public");
        }
    }

    static SweepSetting parse(String name) {
        Matcher m = NAME.matcher(name.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "Unknown setting '"
                            + name
                            + "': plain, mixup-kK, inside-kK[-tT] or"
                            + " cross-kK-pP-{other,other-norm,photos}[-tT]");
        }
        if (m.group(1) != null) {
            return new SweepSetting(
                    Integer.parseInt(m.group(1)), Integer.parseInt(m.group(1)), null, false, 1);
        }
        if (m.group(2) != null) {
            int k = Integer.parseInt(m.group(2));
            return new SweepSetting(k, k, null, true, t(m.group(3)));
        }
        if (m.group(4) != null) {
            return new SweepSetting(
                    Integer.parseInt(m.group(4)),
                    Integer.parseInt(m.group(5)),
                    PoolSource.of(m.group(6)),
                    true,
                    t(m.group(7)));
        }
        return new SweepSetting(1, 1, null, false, 1);
    }

    private static int t(String group) {
        return group == null ? 1 : Integer.parseInt(group);
    }

    boolean plain() {
        return k == 1;
    }

    String name() {
        if (plain()) {
            return "plain";
        }
        if (!masked) {
            return "mixup-k" + k;
        }
        String suffix = t > 1 ? "-t" + t : "";
        return pool == null
                ? "inside-k" + k + suffix
                : "cross-k" + k + "-p" + privateSlots + "-" + pool.token + suffix;
    }

    String label() {
        if (plain()) {
            return "plain (clean images)";
        }
        if (!masked) {
            return "Mixup k=" + k + " (no mask)";
        }
        String tail = t > 1 ? ", T=" + t : "";
        return pool == null
                ? "InstaHide inside k=" + k + tail
                : "InstaHide cross k="
                        + k
                        + ", "
                        + privateSlots
                        + " private, pool "
                        + pool.token
                        + tail;
    }

    InstaHideParameters parameters() {
        if (plain()) {
            return InstaHideParameters.inside(1, 1.0).unmasked();
        }
        return InstaHideParameters.withDefaultBounds(k, privateSlots, masked);
    }
}
