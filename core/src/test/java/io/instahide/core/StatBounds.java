package io.instahide.core;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Confidence bounds for the statistical tests of the secure (non-reproducible) generator. Each
 * check allows {@link #Z} standard errors plus the rounding of the published figure; with about 40
 * checks in the suite, Z = 4 keeps the whole suite's false-alarm rate near the 0.27% of a single 3σ
 * test (Bonferroni), so CI is not flaky while a wrong distribution still fails by many σ.
 */
final class StatBounds {

    static final double Z = 4.0;

    private StatBounds() {}

    /** Running moments of one quantity. */
    static final class Moments {
        private long n;
        private double sum;
        private double sumSq;
        private double sumCube;
        private double sumQuad;

        void add(double x) {
            n++;
            sum += x;
            sumSq += x * x;
            sumCube += x * x * x;
            sumQuad += x * x * x * x;
        }

        double mean() {
            return sum / n;
        }

        double variance() {
            double m = mean();
            return sumSq / n - m * m;
        }

        double sd() {
            return Math.sqrt(variance());
        }

        /** Standard error of the sample standard deviation, from the fourth central moment. */
        double sdStandardError() {
            double m = mean();
            double m4 =
                    sumQuad / n - 4 * m * sumCube / n + 6 * m * m * sumSq / n - 3 * m * m * m * m;
            double var = variance();
            return Math.sqrt(Math.max(m4 - var * var, 0) / n) / (2 * Math.sqrt(var));
        }

        long count() {
            return n;
        }
    }

    static void assertMean(String what, Moments m, double expected, double rounding) {
        double tolerance = Z * m.sd() / Math.sqrt(m.count()) + rounding;
        assertThat(m.mean())
                .as("%s: mean", what)
                .isBetween(expected - tolerance, expected + tolerance);
    }

    static void assertSd(String what, Moments m, double expected, double rounding) {
        double tolerance = Z * m.sdStandardError() + rounding;
        assertThat(m.sd()).as("%s: sd", what).isBetween(expected - tolerance, expected + tolerance);
    }

    static void assertProportion(String what, long hits, long trials, double p, double rounding) {
        double tolerance = Z * Math.sqrt(p * (1 - p) / trials) + rounding + 1.0 / trials;
        assertThat((double) hits / trials)
                .as("%s: proportion %d/%d", what, hits, trials)
                .isBetween(p - tolerance, p + tolerance);
    }
}
