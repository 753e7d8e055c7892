package io.instahide.job.encrypt;

import org.apache.flink.api.common.externalresource.ExternalResourceInfo;

import org.junit.jupiter.api.Test;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GpuAssignmentTest {

    @Test
    void withoutFlinksGpuResourceTheConfiguredIndexIsUsed() {
        assertThat(GpuAssignment.index(Set.of(), 5, 2)).isEqualTo(2);
    }

    @Test
    void subtasksAreSpreadOverTheTaskManagersGpusInIndexOrder() {
        Set<ExternalResourceInfo> gpus = Set.of(gpu("3"), gpu("1"), gpu(" 2 "));

        assertThat(GpuAssignment.index(gpus, 0, 0)).isEqualTo(1);
        assertThat(GpuAssignment.index(gpus, 1, 0)).isEqualTo(2);
        assertThat(GpuAssignment.index(gpus, 2, 0)).isEqualTo(3);
        assertThat(GpuAssignment.index(gpus, 3, 0)).isEqualTo(1);
    }

    @Test
    void aGpuWithoutAnIndexIsABugInTheDeploymentAndSaysSo() {
        ExternalResourceInfo broken = new TestingResourceInfo(Map.of("uuid", "GPU-123"));

        assertThatThrownBy(() -> GpuAssignment.index(Set.of(broken), 0, 0))
                .hasMessageContaining("without an 'index' property")
                .hasMessageContaining("uuid");
    }

    private static ExternalResourceInfo gpu(String index) {
        return new TestingResourceInfo(Map.of(GpuAssignment.INDEX, index));
    }

    /** What Flink's GPU driver reports: properties by name. */
    private record TestingResourceInfo(Map<String, String> properties)
            implements ExternalResourceInfo {
        @Override
        public Optional<String> getProperty(String key) {
            return Optional.ofNullable(properties.get(key));
        }

        @Override
        public Collection<String> getKeys() {
            return properties.keySet();
        }
    }
}
