package io.instahide.clients;

import java.io.PrintStream;

/**
 * A one-line progress bar on stderr: done/total, rate, skipped. Redrawn at most 4 times a second.
 */
public final class ProgressBar {

    private final PrintStream out;
    private final long total;
    private final String unit;
    private final long start = System.nanoTime();
    private long lastDraw;

    /**
     * @param total the expected count, or 0 when unknown (watching a directory)
     */
    public ProgressBar(PrintStream out, long total, String unit) {
        this.out = out;
        this.total = total;
        this.unit = unit;
    }

    public void update(long done, long skipped) {
        long now = System.nanoTime();
        if (now - lastDraw < 250_000_000L && done != total) {
            return;
        }
        lastDraw = now;
        double rate = done / Math.max(1e-9, (now - start) / 1e9);
        String bar = "";
        if (total > 0) {
            int filled = (int) (30 * Math.min(1.0, (double) done / total));
            bar = "[" + "#".repeat(filled) + ".".repeat(30 - filled) + "] ";
        }
        out.printf(
                "\r%s%,d%s %s, %,.0f/s, %,d skipped   ",
                bar, done, total > 0 ? String.format("/%,d", total) : "", unit, rate, skipped);
        out.flush();
    }

    public void finish() {
        out.println();
    }

    public double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }
}
