package io.instahide.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * A real Prometheus server (Debian's binary, from {@code scripts/fetch-prometheus.sh}) scraping
 * given targets every second with the shipped alerting rules loaded, on a free loopback port, its
 * data under a work directory; {@link #query} runs PromQL through its HTTP API.
 */
final class TestingPrometheus implements AutoCloseable {

    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private TestingPrometheus(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The directory holding {@code prometheus} and {@code promtool}. */
    static Path binaries() {
        Path dir = Path.of(System.getProperty("instahide.prometheus.dir", "../.cache/prometheus"));
        if (!Files.isExecutable(dir.resolve("prometheus"))) {
            throw new IllegalStateException(
                    dir + "/prometheus is missing: run scripts/fetch-prometheus.sh");
        }
        return dir;
    }

    /** Starts Prometheus scraping {@code targets} (host:port) with {@code rules} loaded. */
    static TestingPrometheus start(Path work, List<String> targets, Path rules) throws IOException {
        Files.createDirectories(work);
        Files.copy(rules, work.resolve("alerts.yml"));
        String config =
                "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                        + "rule_files: [alerts.yml]\n"
                        + "scrape_configs:\n  - job_name: flink\n    static_configs:\n"
                        + "      - targets: ["
                        + targets.stream().map(t -> "'" + t + "'").collect(Collectors.joining(", "))
                        + "]\n";
        Files.writeString(work.resolve("prometheus.yml"), config);
        int port = StandaloneFlinkCluster.freePort();
        Process process =
                new ProcessBuilder(
                                binaries().resolve("prometheus").toString(),
                                "--config.file=" + work.resolve("prometheus.yml"),
                                "--storage.tsdb.path=" + work.resolve("data"),
                                "--web.listen-address=127.0.0.1:" + port)
                        .redirectErrorStream(true)
                        .redirectOutput(work.resolve("prometheus.log").toFile())
                        .start();
        return new TestingPrometheus(process, port);
    }

    /** A question put to the server over HTTP. */
    interface Question {
        boolean ask() throws IOException, InterruptedException;
    }

    /** {@code question} as a condition to wait for: false while the server is not answering yet. */
    static BooleanSupplier onceAnswering(Question question) {
        return () -> {
            try {
                return question.ask();
            } catch (IOException e) {
                return false; // still starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        };
    }

    /** The result vector of an instant query now (empty when the query returns no data). */
    List<JsonNode> query(String promql) throws IOException, InterruptedException {
        URI uri =
                URI.create(
                        "http://127.0.0.1:"
                                + port
                                + "/api/v1/query?query="
                                + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = new ObjectMapper().readTree(response.body());
        if (!"success".equals(body.path("status").asText())) {
            throw new IllegalArgumentException(promql + ": " + response.body());
        }
        List<JsonNode> result = new ArrayList<>();
        body.path("data").path("result").forEach(result::add);
        return result;
    }

    /**
     * The alerting rules Prometheus loaded, each as {@code name=health} ({@code ok} once evaluated
     * without error, {@code err: <error>} when its query fails, {@code unknown} before).
     */
    List<String> alertRules() throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/rules?type=alert");
        JsonNode body =
                new ObjectMapper()
                        .readTree(
                                http.send(
                                                HttpRequest.newBuilder(uri).build(),
                                                HttpResponse.BodyHandlers.ofString())
                                        .body());
        List<String> names = new ArrayList<>();
        for (JsonNode group : body.path("data").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                String health = rule.path("health").asText();
                names.add(
                        rule.path("name").asText()
                                + "="
                                + (health.equals("err")
                                        ? "err: " + rule.path("lastError").asText()
                                        : health));
            }
        }
        return names;
    }

    /** Runs promtool with {@code arguments}; returns its output, failing on a non-zero exit. */
    static String promtool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(binaries().resolve("promtool").toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError("promtool " + String.join(" ", arguments) + ":\n" + output);
        }
        return output;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
