package io.instahide.demo;

import org.apache.flink.configuration.MemorySize;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * One latency measurement of the throughput harness: the devices' target and achieved rates and,
 * for every sample after the warm-up in first-in-first-out order, the time from its record's send
 * to its {@code read_committed} visibility.
 *
 * <p>A rate the job does not sustain shows as a queue: each sample waits for all before it, so the
 * latency climbs from the first to the last sample. {@link #queueGrew} says so when the median of
 * the last tenth exceeds that of the first tenth by more than one checkpoint interval (a job that
 * keeps up varies by less: every sample waits for the next barrier and that checkpoint, no more).
 *
 * @param window the job's output shuffle window ({@code encrypt.shuffle-window}; 0: none)
 * @param anonymitySets the images per emptied window the job reported; empty without a shuffle
 * @param checkpoints Flink's own statistics of the checkpoints during the run
 */
record LatencyRun(
        double targetRate,
        double achievedRate,
        MemorySize window,
        Optional<AnonymitySet> anonymitySets,
        long[] fifoMillis,
        CheckpointStatistics checkpoints) {

    long percentile(double p) {
        long[] sorted = fifoMillis.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, p * sorted.length)];
    }

    long max() {
        return Arrays.stream(fifoMillis).max().orElse(0);
    }

    /** Median latency of the first tenth of the samples, in sending order. */
    long firstTenthMedian() {
        return tenthMedian(0);
    }

    /** Median latency of the last tenth of the samples, in sending order. */
    long lastTenthMedian() {
        return tenthMedian(fifoMillis.length - Math.max(1, fifoMillis.length / 10));
    }

    boolean queueGrew(Duration checkpointInterval) {
        return lastTenthMedian() - firstTenthMedian() > checkpointInterval.toMillis();
    }

    private long tenthMedian(int from) {
        int length = Math.max(1, fifoMillis.length / 10);
        long[] tenth = Arrays.copyOfRange(fifoMillis, from, from + length);
        Arrays.sort(tenth);
        return tenth[tenth.length / 2];
    }
}
