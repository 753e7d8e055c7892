package io.instahide.demo;

import org.apache.flink.api.common.JobID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
    static CheckpointStatistics fetch(URI rest, JobID job)
            throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        String base = "/jobs/" + job;
        JsonNode stats = get(http, rest, base + "/checkpoints");
        JsonNode duration = stats.path("summary").path("end_to_end_duration");
        List<Task> tasks = new ArrayList<>();
        JsonNode latest = stats.path("latest").path("completed");
        if (latest.has("id")) {
            String details = base + "/checkpoints/details/" + latest.path("id").asLong();
            for (JsonNode vertex : get(http, rest, base).path("vertices")) {
                JsonNode summary =
                        get(http, rest, details + "/subtasks/" + vertex.path("id").asText())
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

    private static JsonNode get(HttpClient http, URI rest, String path)
            throws IOException, InterruptedException {
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(rest.resolve(path)).build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(
                    "Flink REST " + path + ": " + response.statusCode() + " " + response.body());
        }
        return new ObjectMapper().readTree(response.body());
    }
}
