package io.instahide.demo;

/** One progress line a second: devices in, samples out, pool, waiting, dead letters. */
final class Progress {

    private final long start = System.nanoTime();
    private final boolean console = System.console() != null;
    private long lastTime = start;
    private long lastIn;
    private long lastOut;

    void print(DeviceSimulator devices, OutputMonitor monitor) {
        long now = System.nanoTime();
        long in = devices.valid.get() + devices.bad.get();
        long out = monitor.encrypted.get();
        double seconds = Math.max(1e-9, (now - lastTime) / 1e9);
        String line =
                String.format(
                        "[%4ds] devices -> %,7.0f img/s (%,d sent) | encrypted -> %,7.0f"
                                + " samples/s (%,d committed) | pool %,d | waiting %,d | dead"
                                + " letters %,d",
                        (now - start) / 1_000_000_000L,
                        (in - lastIn) / seconds,
                        in,
                        (out - lastOut) / seconds,
                        out,
                        LiveMetrics.max("poolSize"),
                        LiveMetrics.sum("waiting"),
                        monitor.deadLetters.get());
        if (console) {
            System.out.print("\r" + line + "   ");
        } else {
            System.out.println(line);
        }
        System.out.flush();
        lastTime = now;
        lastIn = in;
        lastOut = out;
    }

    void end() {
        if (console) {
            System.out.println();
        }
    }

    String averageRate(OutputMonitor monitor) {
        double seconds = (Math.max(monitor.lastNanos, start + 1) - start) / 1e9;
        return String.format(
                "%,.0f samples/s from the first published image to the last committed sample"
                        + " (%.1f s, commits paced by checkpoints)",
                monitor.encrypted.get() / seconds, seconds);
    }
}
