package io.instahide.demo;

import io.instahide.core.InstaHideParameters;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SweepSettingTest {

    @Test
    void everyDefaultSettingIsNamedAsItParses() {
        for (String name : TradeoffSweep.DEFAULT_SETTINGS) {
            assertThat(SweepSetting.parse(name).name()).isEqualTo(name);
        }
    }

    @Test
    void theNameSaysTheScheme() {
        InstaHideParameters cross = SweepSetting.parse("cross-k6-p2-photos-t3").parameters();
        assertThat(cross.k()).isEqualTo(6);
        assertThat(cross.privateSlots()).isEqualTo(2);
        assertThat(cross.masked()).isTrue();
        assertThat(SweepSetting.parse("cross-k6-p2-photos-t3").t()).isEqualTo(3);
        assertThat(SweepSetting.parse("cross-k6-p2-other-norm").pool())
                .isEqualTo(PoolSource.OTHER_SET_PRIVATE_STATISTICS);

        InstaHideParameters inside = SweepSetting.parse("inside-k4").parameters();
        assertThat(inside.privateSlots()).isEqualTo(4);
        assertThat(inside.masked()).isTrue();
        assertThat(SweepSetting.parse("inside-k4").pool()).isNull();

        assertThat(SweepSetting.parse("mixup-k4").parameters().masked()).isFalse();
        assertThat(SweepSetting.parse("plain").plain()).isTrue();
        assertThat(SweepSetting.DEFAULT)
                .isEqualTo(new SweepSetting(6, 2, PoolSource.OTHER_SET, true, 1));
    }

    @Test
    void aNameOutsideTheGrammarSaysWhatIsAccepted() {
        assertThatThrownBy(() -> SweepSetting.parse("cross-k6"))
                .hasMessageContaining("cross-kK-pP-{other,other-norm,photos}");
        assertThatThrownBy(() -> SweepSetting.parse("cross-k6-p2-cats"))
                .hasMessageContaining("other, other-norm or photos");
        assertThatThrownBy(() -> SweepSetting.parse("cross-k2-p3-photos"))
                .hasMessageContaining("private slots <= k");
        assertThatThrownBy(() -> SweepSetting.parse("cross-k4-p4-photos"))
                .hasMessageContaining("A pool exactly when");
    }
}
