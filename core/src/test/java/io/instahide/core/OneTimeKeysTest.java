package io.instahide.core;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class OneTimeKeysTest {

    private static final ImageShape SHAPE = new ImageShape(1, 10, 10);

    @Test
    void wipeZeroesEveryKeyWrittenSinceTheLastWipeAlsoAfterAShorterReset() {
        OneTimeKeys keys = new OneTimeKeys(4, 2, SHAPE, 16);
        keys.reset(8);
        fill(keys, 8);
        keys.reset(3); // a smaller batch next, without a wipe in between

        keys.wipe();

        keys.reset(8);
        for (int b = 0; b < 8; b++) {
            assertThat(keys.self(b)).as("self %d", b).isZero();
            for (int s = 0; s < 4; s++) {
                assertThat(keys.lambda(b, s)).as("lambda %d/%d", b, s).isZero();
                if (s > 0) {
                    assertThat(keys.partner(b, s)).as("partner %d/%d", b, s).isZero();
                }
            }
        }
        assertThat(keys.maskArray()).containsOnly(0L);
    }

    @Test
    void growingBeyondTheCapacityKeepsTheNewKeysAndLeavesNoneBehind() {
        OneTimeKeys keys = new OneTimeKeys(4, 2, SHAPE, 2);
        keys.reset(2);
        fill(keys, 2);
        long[] before = keys.maskArray();

        keys.reset(5);

        assertThat(before).as("the outgrown arrays are wiped").containsOnly(0L);
        assertThat(keys.count()).isEqualTo(5);
        fill(keys, 5);
        keys.wipe();
        assertThat(keys.maskArray()).containsOnly(0L);
    }

    private static void fill(OneTimeKeys keys, int n) {
        for (int b = 0; b < n; b++) {
            keys.setSelf(b, b + 1);
            for (int s = 0; s < keys.k(); s++) {
                keys.setLambda(b, s, 0.25f);
                if (s > 0) {
                    keys.setPartner(b, s, b + s);
                }
            }
        }
        Arrays.fill(keys.maskArray(), 0, n * keys.maskWords(), -1L);
    }
}
