package io.instahide.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InstaHideParametersTest {

    @Test
    void acceptsTheReferenceConfigurations() {
        assertThat(InstaHideParameters.inside(4, 0.65).crossDataset()).isFalse();
        assertThat(InstaHideParameters.cross(6, 2, 0.65, 0.3).publicSlots()).isEqualTo(4);
        assertThat(InstaHideParameters.inside(1, 0.65).k()).isEqualTo(1);
    }

    @Test
    void defaultBoundsPickTheModeBySlotsAndKeepOrDropTheMask() {
        assertThat(InstaHideParameters.withDefaultBounds(4, 4, true))
                .isEqualTo(InstaHideParameters.inside(4, InstaHideParameters.DEFAULT_UPPER));
        assertThat(InstaHideParameters.withDefaultBounds(6, 2, false))
                .isEqualTo(
                        InstaHideParameters.cross(
                                        6,
                                        2,
                                        InstaHideParameters.DEFAULT_UPPER,
                                        InstaHideParameters.DEFAULT_DOM)
                                .unmasked());
    }

    @Test
    void rejectsBadValuesNamingThem() {
        assertThatThrownBy(() -> InstaHideParameters.inside(0, 0.65))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("k must be at least 1, got 0");
        assertThatThrownBy(() -> InstaHideParameters.cross(4, 5, 0.65, 0.3))
                .hasMessageContaining("privateSlots (kPriv) must be in [1, k=4], got 5");
        assertThatThrownBy(() -> InstaHideParameters.inside(4, 0.25))
                .hasMessageContaining("upper must be in (1/k, 1]")
                .hasMessageContaining("got 0.25");
        assertThatThrownBy(() -> InstaHideParameters.inside(4, 1.5))
                .hasMessageContaining("got 1.5");
        assertThatThrownBy(() -> InstaHideParameters.cross(6, 2, 0.65, 1.2))
                .hasMessageContaining("dom must be in [0, 1]")
                .hasMessageContaining("1.2");
        assertThatThrownBy(() -> InstaHideParameters.cross(6, 1, 0.4, 0.5))
                .hasMessageContaining("could never reach dom");
        assertThatThrownBy(() -> new InstaHideParameters(4, 4, 0.65, 0.3, true))
                .hasMessageContaining("dom applies only in cross-dataset mode");
    }

    @Test
    void shapeParsesAndRejectsNonsense() {
        assertThat(ImageShape.parse("3x32x32")).isEqualTo(new ImageShape(3, 32, 32));
        assertThat(ImageShape.parse(" 1X28X28 ").size()).isEqualTo(784);
        assertThatThrownBy(() -> ImageShape.parse("32x32"))
                .hasMessageContaining("CHANNELSxHEIGHTxWIDTH");
        assertThatThrownBy(() -> new ImageShape(0, 2, 2)).hasMessageContaining("0x2x2");
    }
}
