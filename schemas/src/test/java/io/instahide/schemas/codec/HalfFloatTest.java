package io.instahide.schemas.codec;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Exhaustive over all 65,536 halves: exact widening, and rounding to nearest even between them. */
class HalfFloatTest {

    @Test
    void everyHalfWidensExactlyAndNarrowsBackToItself() {
        for (int bits = 0; bits < 1 << 16; bits++) {
            short half = (short) bits;
            float value = HalfFloat.toFloat(half);
            if (Float.isNaN(value)) {
                assertThat(HalfFloat.toFloat(HalfFloat.fromFloat(value))).isNaN();
            } else {
                assertThat(HalfFloat.fromFloat(value)).as("half 0x%04x", bits).isEqualTo(half);
            }
        }
    }

    @Test
    void valuesBetweenTwoHalvesRoundToTheNearestAndTiesToTheEvenOne() {
        for (int bits = 0; bits < 0x7bff; bits++) { // each finite half and the next (finite) one
            float low = HalfFloat.toFloat((short) bits);
            float high = HalfFloat.toFloat((short) (bits + 1));
            float midpoint = (low + high) / 2; // exact: floats carry 13 more mantissa bits
            short even = (short) ((bits & 1) == 0 ? bits : bits + 1);
            assertThat(HalfFloat.fromFloat(midpoint)).as("tie above 0x%04x", bits).isEqualTo(even);
            assertThat(HalfFloat.fromFloat(Math.nextDown(midpoint))).isEqualTo((short) bits);
            assertThat(HalfFloat.fromFloat(Math.nextUp(midpoint))).isEqualTo((short) (bits + 1));
            assertThat(HalfFloat.fromFloat(-Math.nextDown(midpoint)))
                    .isEqualTo((short) (bits | 0x8000));
        }
    }

    @Test
    void largeValuesOverflowToInfinityAndSignsAndZerosSurvive() {
        assertThat(HalfFloat.fromFloat(65504f)).isEqualTo((short) 0x7bff);
        assertThat(HalfFloat.fromFloat(Math.nextDown(65520f))).isEqualTo((short) 0x7bff);
        assertThat(HalfFloat.fromFloat(65520f)).isEqualTo((short) 0x7c00);
        assertThat(HalfFloat.fromFloat(Float.MAX_VALUE)).isEqualTo((short) 0x7c00);
        assertThat(HalfFloat.fromFloat(Float.NEGATIVE_INFINITY)).isEqualTo((short) 0xfc00);
        assertThat(HalfFloat.fromFloat(-0f)).isEqualTo((short) 0x8000);
        assertThat(HalfFloat.fromFloat(Float.MIN_VALUE)).isEqualTo((short) 0);
        assertThat(HalfFloat.fromFloat(0x1p-25f)).isEqualTo((short) 0); // tie to even zero
        assertThat(HalfFloat.fromFloat(Math.nextUp(0x1p-25f))).isEqualTo((short) 1);
    }
}
