package io.instahide.demo;

import org.apache.flink.configuration.MemorySize;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

class LatencyRunTest {

    private static final Duration INTERVAL = Duration.ofSeconds(1);

    private static LatencyRun run(long[] fifoMillis) {
        return new LatencyRun(
                100,
                100,
                MemorySize.ofMebiBytes(64),
                Optional.empty(),
                fifoMillis,
                new CheckpointStatistics(0, 0, 0, List.of()));
    }

    @Test
    void aJobThatKeepsUpWaitsForOneBarrierAndCheckpointAtMost() {
        // Each sample waits for the next barrier (0..1 s) and that checkpoint (0.4 s): a sawtooth.
        LatencyRun kept = run(LongStream.range(0, 10_000).map(i -> 400 + i % 1000).toArray());

        assertThat(kept.queueGrew(INTERVAL)).isFalse();
        assertThat(kept.percentile(0.50)).isBetween(880L, 920L);
        assertThat(kept.percentile(0.99)).isBetween(1380L, 1399L);
        assertThat(kept.max()).isEqualTo(1399);
    }

    @Test
    void aQueueClimbsFromTheFirstToTheLastSample() {
        // Arrivals outpace the job by a fifth: the n-th sample waits for the n-1 before it.
        LatencyRun queued = run(LongStream.range(0, 10_000).map(i -> 400 + i / 5).toArray());

        assertThat(queued.lastTenthMedian() - queued.firstTenthMedian()).isGreaterThan(1000);
        assertThat(queued.queueGrew(INTERVAL)).isTrue();
    }

    @Test
    void aShortRunIsJudgedOnItsSamplesWithoutFailing() {
        LatencyRun three = run(new long[] {900, 1200, 2500});

        assertThat(three.firstTenthMedian()).isEqualTo(900);
        assertThat(three.lastTenthMedian()).isEqualTo(2500);
        assertThat(three.queueGrew(INTERVAL)).isTrue();
    }
}
