package io.instahide.job.encrypt;

import org.apache.flink.api.common.externalresource.ExternalResourceInfo;

import java.util.Set;

/**
 * Picks a subtask's GPU. On a Flink cluster with the GPU plugin ({@code external-resource: gpu},
 * {@code external-resource.gpu.driver-factory.class:
 * org.apache.flink.externalresource.gpu.GPUDriverFactory}) every TaskManager learns the indexes of
 * its GPUs; subtasks are spread over them round-robin by subtask index. Without the plugin the
 * configured fallback index is used.
 */
final class GpuAssignment {

    /** The property Flink's GPU driver sets on each {@link ExternalResourceInfo}. */
    static final String INDEX = "index";

    private GpuAssignment() {}

    static int index(Set<ExternalResourceInfo> gpus, int subtask, int fallback) {
        int[] indexes =
                gpus.stream()
                        .map(
                                gpu ->
                                        gpu.getProperty(INDEX)
                                                .orElseThrow(
                                                        () ->
                                                                new IllegalStateException(
                                                                        "Flink reported a GPU"
                                                                                + " without an"
                                                                                + " 'index'"
                                                                                + " property: "
                                                                                + gpu.getKeys())))
                        .mapToInt(text -> Integer.parseInt(text.trim()))
                        .sorted()
                        .toArray();
        return indexes.length == 0 ? fallback : indexes[subtask % indexes.length];
    }
}
