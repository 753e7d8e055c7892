package io.instahide.job.encrypt;

import io.instahide.core.ImageShape;
import io.instahide.core.InstaHideParameters;
import io.instahide.core.Normalizer;
import io.instahide.core.TestingSeededKeySource;
import io.instahide.schemas.EncryptedSample;
import io.instahide.schemas.EscrowedKey;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The output shuffle on its own: uniform permutations and half releases, the byte bound, the
 * anonymity set.
 */
class ShuffleWindowTest {

    /** Everything the window emitted, in order. */
    private static final class TestingDownstream implements ShuffleWindow.Downstream {
        final List<EncryptedSample> samples = new ArrayList<>();
        final List<EscrowedKey> keys = new ArrayList<>();
        final List<Integer> released = new ArrayList<>();

        @Override
        public void sample(EncryptedSample sample) {
            samples.add(sample);
        }

        @Override
        public void escrowedKey(EscrowedKey key) {
            keys.add(key);
        }

        @Override
        public void released(int images) {
            released.add(images);
        }
    }

    /** Sample {@code s<i>} of {@code pixelBytes / 4} floats, built as the operator builds them. */
    private static EncryptedSample sample(int i, int pixelBytes) {
        ImageShape shape = new ImageShape(1, 1, pixelBytes / Float.BYTES);
        EncryptedSample sample =
                new EncryptedSampleWriter(
                                InstaHideParameters.inside(2, 0.65), shape, Normalizer.symmetric())
                        .write(
                                new float[shape.size()],
                                0,
                                new float[] {1f},
                                0,
                                1,
                                new TestingSeededKeySource(1));
        sample.setSampleId("s" + i);
        return sample;
    }

    private static EscrowedKey key(EncryptedSample sample) {
        return EscrowedKey.newBuilder()
                .setSampleId(sample.getSampleId())
                .setImageIds(List.of("raw:x"))
                .setLambdas(List.of(1f))
                .setPrivateSlots(1)
                .setMask(null)
                .build();
    }

    /**
     * 4 samples emptied 24,000 times: each of the 24 orders comes out 1,000 times ± 5σ (σ ≈ 31),
     * and each escrowed key follows its own sample.
     */
    @Test
    void everyOrderIsEquallyLikelyAndKeysStayWithTheirSamples() {
        TestingDownstream out = new TestingDownstream();
        ShuffleWindow window = new ShuffleWindow(1 << 20, new SplittableRandom(3), out);
        Map<String, Integer> orders = new HashMap<>();
        int rounds = 24_000;
        for (int r = 0; r < rounds; r++) {
            out.samples.clear();
            out.keys.clear();
            for (int i = 0; i < 4; i++) {
                EncryptedSample sample = sample(i, 4);
                window.add(i / 2, sample, key(sample));
            }
            window.empty();
            StringBuilder order = new StringBuilder();
            for (int i = 0; i < 4; i++) {
                order.append(out.samples.get(i).getSampleId());
                assertThat(out.keys.get(i).getSampleId())
                        .isEqualTo(out.samples.get(i).getSampleId());
            }
            orders.merge(order.toString(), 1, Integer::sum);
        }
        assertEquallyLikely(orders, 24, rounds);
        // Two images (ids 0 and 1) shared every emptying.
        assertThat(out.released).hasSize(rounds).containsOnly(2);
    }

    @Test
    void releasesARandomHalfBeforeASampleWouldTakeItPastItsBound() {
        TestingDownstream out = new TestingDownstream();
        long size = ShuffleWindow.sizeOf(sample(0, 400));
        ShuffleWindow window = new ShuffleWindow(4 * size, new SplittableRandom(1), out);
        for (int i = 0; i < 9; i++) {
            window.add(i, sample(i, 400), null);
            assertThat(window.bytes()).isLessThanOrEqualTo(4 * size);
        }
        // Full at 4: the 5th and the 7th sample each released 2 of the 4 held, the 9th 2 more.
        assertThat(out.samples).hasSize(6);
        assertThat(out.released).containsExactly(4, 4, 4);
        assertThat(window.samples()).isEqualTo(3);
        assertThat(window.images()).isEqualTo(3);
        assertThat(out.keys).isEmpty();
        window.empty();
        assertThat(out.samples)
                .extracting(EncryptedSample::getSampleId)
                .containsExactlyInAnyOrder("s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8");
        assertThat(window.bytes()).isZero();
        window.empty(); // nothing held: nothing emitted, no anonymity set recorded
        assertThat(out.released).containsExactly(4, 4, 4, 3);
    }

    /**
     * A window that fills within a checkpoint interval: no release, the barrier's included, draws
     * from fewer than half of it. (Emptying it whole when full left at each barrier whatever had
     * arrived since, here 1 image every interval of 31.)
     */
    @Test
    void noReleaseDrawsFromLessThanHalfAWindowThatFilled() {
        TestingDownstream out = new TestingDownstream();
        long size = ShuffleWindow.sizeOf(sample(0, 4));
        ShuffleWindow window = new ShuffleWindow(10 * size, new SplittableRandom(5), out);
        int added = 0;
        for (int interval = 0; interval < 50; interval++) {
            for (int i = 0; i < 31; i++, added++) {
                window.add(added, sample(added, 4), null);
            }
            window.empty(); // the checkpoint barrier
        }
        assertThat(out.samples).hasSize(added);
        assertThat(out.released).allSatisfy(images -> assertThat(images).isBetween(5, 10));
    }

    /**
     * 5 samples into a window of 4, 12,000 times: the release takes 2 of the 4 held, each of the 12
     * ordered pairs 1,000 times ± 5σ (σ ≈ 30); the other two and the newcomer stay.
     */
    @Test
    void aHalfReleaseTakesEveryOrderedChoiceEquallyOften() {
        TestingDownstream out = new TestingDownstream();
        long size = ShuffleWindow.sizeOf(sample(0, 4));
        ShuffleWindow window = new ShuffleWindow(4 * size, new SplittableRandom(7), out);
        Map<String, Integer> pairs = new HashMap<>();
        int rounds = 12_000;
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < 5; i++) {
                window.add(i, sample(i, 4), null);
            }
            pairs.merge(
                    out.samples.get(0).getSampleId() + out.samples.get(1).getSampleId(),
                    1,
                    Integer::sum);
            assertThat(out.samples).hasSize(2);
            assertThat(window.samples()).isEqualTo(3);
            out.samples.clear();
            window.empty();
            assertThat(out.samples)
                    .hasSize(3)
                    .extracting(EncryptedSample::getSampleId)
                    .contains("s4");
            out.samples.clear();
        }
        assertThat(pairs).doesNotContainKeys("s4s0", "s0s4");
        assertEquallyLikely(pairs, 12, rounds);
    }

    /** {@code outcomes} outcomes, each counted {@code rounds / outcomes} times ± 5σ (binomial). */
    private static void assertEquallyLikely(Map<String, Integer> counts, int outcomes, int rounds) {
        assertThat(counts).hasSize(outcomes);
        double p = 1.0 / outcomes;
        double mean = rounds * p;
        double sigma = Math.sqrt(rounds * p * (1 - p));
        assertThat(counts.values())
                .allSatisfy(
                        count ->
                                assertThat((double) count)
                                        .isBetween(mean - 5 * sigma, mean + 5 * sigma));
    }

    @Test
    void aSampleLargerThanTheBoundStillLeavesAloneAndNothingIsLost() {
        TestingDownstream out = new TestingDownstream();
        ShuffleWindow window = new ShuffleWindow(100, new SplittableRandom(1), out);
        window.add(0, sample(0, 4_000), null);
        window.add(1, sample(1, 4_000), null);
        window.empty();
        assertThat(out.samples)
                .extracting(EncryptedSample::getSampleId)
                .containsExactly("s0", "s1");
    }

    @Test
    void aZeroBoundTurnsTheShuffleOffAndKeepsArrivalOrder() {
        TestingDownstream out = new TestingDownstream();
        ShuffleWindow window = new ShuffleWindow(0, new SplittableRandom(1), out);
        for (int i = 0; i < 50; i++) {
            window.add(i / 5, sample(i, 4), null);
            assertThat(out.samples).hasSize(i + 1);
        }
        assertThat(window.enabled()).isFalse();
        assertThat(out.samples)
                .extracting(EncryptedSample::getSampleId)
                .isEqualTo(java.util.stream.IntStream.range(0, 50).mapToObj(i -> "s" + i).toList());
        assertThat(out.released).isEmpty();
    }
}
