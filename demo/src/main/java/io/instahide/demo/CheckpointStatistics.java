package io.instahide.demo;

import org.apache.flink.api.common.JobID;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Flink's own statistics of a job's checkpoints, from its REST API: how many completed, their
 * end-to-end durations, and where the time of the latest one went, task by task (the slowest
 * subtask's figures).
 */
record CheckpointStatistics(long completed, long p50Millis, long p99Millis, List<Task> latest) {

    /**
     * One task's part in a checkpoint: waiting for its first barrier after the trigger, aligning
     * the barriers of its inputs, the synchronous and asynchronous parts of its snapshot.
     */
    record Task(
            String name,
            long startDelayMillis,
            long alignmentMillis,
            long syncMillis,
            long asyncMillis,
            long endToEndMillis,
            long stateBytes) {
        @Override
        public String toString() {
            return String.format(
                    "%s: %d ms to its first barrier, %d ms aligning, %d ms sync + %d ms async"
                            + " snapshot, %d ms end to end, %,d bytes of state",
                    name,
                    startDelayMillis,
                    alignmentMillis,
                    syncMillis,
                    asyncMillis,
                    endToEndMillis,
                    stateBytes);
        }
    }

    /** The statistics of {@code job} on the cluster whose REST API is at {@code rest}. */
    static CheckpointStatistics fetch(FlinkRest rest, JobID job)
            throws IOException, InterruptedException {
        String base = "/jobs/" + job;
        JsonNode stats = rest.get(base + "/checkpoints");
        JsonNode duration = stats.path("summary").path("end_to_end_duration");
        List<Task> tasks = new ArrayList<>();
        JsonNode latest = stats.path("latest").path("completed");
        if (latest.has("id")) {
            String details = base + "/checkpoints/details/" + latest.path("id").asLong();
            for (JsonNode vertex : rest.get(base).path("vertices")) {
                JsonNode summary =
                        rest.get(details + "/subtasks/" + vertex.path("id").asText())
                                .path("summary");
                tasks.add(
                        new Task(
                                vertex.path("name").asText(),
                                summary.path("start_delay").path("max").asLong(),
                                summary.path("alignment").path("duration").path("max").asLong(),
                                summary.path("checkpoint_duration")
                                        .path("sync")
                                        .path("max")
                                        .asLong(),
                                summary.path("checkpoint_duration")
                                        .path("async")
                                        .path("max")
                                        .asLong(),
                                summary.path("end_to_end_duration").path("max").asLong(),
                                summary.path("state_size").path("max").asLong()));
            }
        }
        return new CheckpointStatistics(
                stats.path("counts").path("completed").asLong(),
                duration.path("p50").asLong(),
                duration.path("p99").asLong(),
                tasks);
    }
}
