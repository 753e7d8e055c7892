package io.instahide.demo;

import org.apache.flink.api.common.JobID;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * The anonymity sets a run's output shuffle gave: distinct images per emptied window, from the
 * encrypting operator's {@code anonymitySet} histogram through Flink's REST API — the mean of the
 * subtasks' medians and the smallest set any subtask emptied.
 */
record AnonymitySet(double median, long smallest) {

    private static final String METRIC = ".instahide.anonymitySet";

    @Override
    public String toString() {
        return String.format("median %,.0f images, smallest %,d", median, smallest);
    }

    /**
     * The sets of {@code job}'s encrypting task; empty when it emptied no window within {@code
     * patience} (the shuffle is off, or Flink's metric fetcher, which refreshes every 10 s by
     * default, has nothing yet).
     */
    static Optional<AnonymitySet> fetch(FlinkRest rest, JobID job, Duration patience)
            throws IOException, InterruptedException {
        String vertex = encryptingVertex(rest, job);
        String metrics = "/jobs/" + job + "/vertices/" + vertex + "/subtasks/metrics";
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            Optional<AnonymitySet> sets = read(rest, metrics);
            if (sets.isPresent() || System.nanoTime() > deadline) {
                return sets;
            }
            Thread.sleep(500); // polling Flink's metric fetcher
        }
    }

    private static Optional<AnonymitySet> read(FlinkRest rest, String metrics)
            throws IOException, InterruptedException {
        String id = null;
        for (JsonNode metric : rest.get(metrics)) {
            String name = metric.path("id").asText();
            if (name.endsWith(METRIC + "_median")) {
                id = name.substring(0, name.length() - "_median".length());
            }
        }
        if (id == null) {
            return Optional.empty();
        }
        String get = URLEncoder.encode(id + "_median," + id + "_min", StandardCharsets.UTF_8);
        double median = Double.NaN;
        double smallest = Double.NaN;
        for (JsonNode value : rest.get(metrics + "?get=" + get + "&agg=avg,min")) {
            if (value.path("id").asText().endsWith("_median")) {
                median = value.path("avg").asDouble(Double.NaN);
            } else {
                smallest = value.path("min").asDouble(Double.NaN);
            }
        }
        return Double.isFinite(median) && Double.isFinite(smallest) && smallest > 0
                ? Optional.of(new AnonymitySet(median, (long) smallest))
                : Optional.empty();
    }

    private static String encryptingVertex(FlinkRest rest, JobID job)
            throws IOException, InterruptedException {
        for (JsonNode vertex : rest.get("/jobs/" + job).path("vertices")) {
            if (vertex.path("name").asText().contains("Encrypt")) {
                return vertex.path("id").asText();
            }
        }
        throw new IllegalStateException("job " + job + " has no encrypting task");
    }
}
