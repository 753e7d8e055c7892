package io.instahide.demo;

import org.apache.flink.configuration.MemorySize;

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

    @Test
    void latencyWindowsAreShuffleWindowSizes() {
        assertThat(ThroughputHarness.windows("64mb, 4 mb,0"))
                .containsExactly(
                        MemorySize.ofMebiBytes(64), MemorySize.ofMebiBytes(4), MemorySize.ZERO);
        for (String bad : new String[] {"64 lb", "-1mb", "64mb,,0", "big"}) {
            assertThatThrownBy(() -> ThroughputHarness.windows(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("--latency-windows takes output shuffle window sizes");
        }
    }
}
