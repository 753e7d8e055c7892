package io.instahide.demo;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ThroughputHarnessTest {

    @Test
    void latencyLoadsAreFractionsOfTheEncryptRate() {
        assertThat(ThroughputHarness.loads("0.5")).containsExactly(0.5);
        assertThat(ThroughputHarness.loads("0.5, 0.1,1")).containsExactly(0.5, 0.1, 1.0);
        for (String bad : new String[] {"0", "1.5", "-0.2", "half", "0.5,,0.1", "NaN"}) {
            assertThatThrownBy(() -> ThroughputHarness.loads(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("--latency-loads takes fractions of the encrypt rate");
        }
    }
}
