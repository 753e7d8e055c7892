package io.instahide.demo;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LabelPlacementTest {

    /** One data unit per pixel on both axes: sizes read as pixels. */
    private static final LabelPlacement PIXELS =
            new LabelPlacement(-500, 500, -500, 500, 1000, 1000);

    private static List<LabelPlacement.Side> place(LabelPlacement.Label... labels) {
        return PIXELS.place(List.of(labels));
    }

    @Test
    void namesFarApartStayRightOfTheirPoints() {
        assertThat(
                        place(
                                new LabelPlacement.Label(0, 0, "plain"),
                                new LabelPlacement.Label(0, 100, "mixup-k4"),
                                new LabelPlacement.Label(300, 0, "inside-k4")))
                .containsOnly(LabelPlacement.Side.RIGHT);
    }

    @Test
    void aNameThatWouldCoverAnotherOrItsPointMoves() {
        // the second point sits where the first name would run
        List<LabelPlacement.Side> sides =
                place(
                        new LabelPlacement.Label(0, 0, "cross-k6-p2-other-norm"),
                        new LabelPlacement.Label(60, 2, "cross-k4-p2-other"));

        assertThat(sides).containsExactly(LabelPlacement.Side.LEFT, LabelPlacement.Side.RIGHT);
    }

    @Test
    void twoPointsAlmostOnTopOfEachOtherGetTheirNamesOnOppositeSides() {
        // 3 px apart: whichever way the first name goes, the second must take the other way
        List<LabelPlacement.Side> sides =
                place(
                        new LabelPlacement.Label(0, 5, "cross-k6-p2-photos"),
                        new LabelPlacement.Label(3, 0, "cross-k4-p2-photos"));

        assertThat(sides)
                .containsExactlyInAnyOrder(LabelPlacement.Side.RIGHT, LabelPlacement.Side.LEFT);
    }

    @Test
    void aNameThatWouldRunOffThePlotGoesTheOtherWay() {
        assertThat(place(new LabelPlacement.Label(495, 0, "plain")))
                .containsExactly(LabelPlacement.Side.LEFT);
        assertThat(place(new LabelPlacement.Label(-495, 0, "cross-k6-p2-other-t3")))
                .containsExactly(LabelPlacement.Side.RIGHT);
    }
}
