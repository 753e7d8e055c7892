package io.instahide.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The parts of Flink's REST API that deploying and operating the job uses: upload a jar, run it
 * (arguments as {@code programArgsList}: Flink 2 ignores {@code programArgs}), job status and
 * metrics, stop with a savepoint.
 */
final class FlinkRest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    FlinkRest(String base) {
        this.base = base;
    }

    /** The cluster overview, or null while the REST endpoint is not up. */
    JsonNode overviewOrNull() {
        try {
            return get("/overview");
        } catch (IOException e) {
            return null;
        }
    }

    /** Uploads a jar (multipart, as the web UI does); returns its id. */
    String upload(Path jar) throws IOException {
        String boundary = "----instahide" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(
                ("--"
                                + boundary
                                + "\r\n"
                                + "Content-Disposition: form-data; name=\"jarfile\"; filename=\""
                                + jar.getFileName()
                                + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(Files.readAllBytes(jar));
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode answer =
                send(
                        HttpRequest.newBuilder(URI.create(base + "/jars/upload"))
                                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
        String file = answer.path("filename").asText();
        return Path.of(file).getFileName().toString();
    }

    /** Runs an uploaded jar; returns the job id. */
    String run(String jarId, List<String> arguments, String savepoint) throws IOException {
        return run(jarId, arguments, savepoint, 0);
    }

    /**
     * Runs an uploaded jar with {@code parallelism} (as {@code flink run -p}; 0: the cluster's
     * choice, which for a jar run over REST is 1 whatever {@code parallelism.default} says).
     */
    String run(String jarId, List<String> arguments, String savepoint, int parallelism)
            throws IOException {
        ObjectNode request = JSON.createObjectNode();
        if (parallelism > 0) {
            request.put("parallelism", parallelism);
        }
        ArrayNode programArguments = request.putArray("programArgsList");
        arguments.forEach(programArguments::add);
        if (savepoint != null) {
            request.put("savepointPath", savepoint);
        }
        return post("/jars/" + jarId + "/run", request).path("jobid").asText();
    }

    String status(String jobId) throws IOException {
        return get("/jobs/" + jobId).path("state").asText();
    }

    /** The job's state, or "unknown" while the REST endpoint does not answer. */
    String statusOrUnknown(String jobId) {
        try {
            return status(jobId);
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** TaskManagers registered with the cluster, or -1 while the REST endpoint does not answer. */
    int taskManagers() {
        JsonNode overview = overviewOrNull();
        return overview == null ? -1 : overview.path("taskmanagers").asInt();
    }

    /** The failures in the job's exception history (each one a failover). */
    List<String> failures(String jobId) throws IOException {
        List<String> failures = new ArrayList<>();
        for (JsonNode entry :
                get("/jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries")) {
            failures.add(entry.path("exceptionName").asText());
        }
        return failures;
    }

    /** Stops the job with a savepoint in {@code directory}; returns the savepoint's location. */
    String stopWithSavepoint(String jobId, Path directory, Duration timeout)
            throws IOException, InterruptedException {
        ObjectNode request = JSON.createObjectNode();
        request.put("targetDirectory", directory.toUri().toString());
        request.put("drain", false);
        String trigger = post("/jobs/" + jobId + "/stop", request).path("request-id").asText();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode answer = get("/jobs/" + jobId + "/savepoints/" + trigger);
            if ("COMPLETED".equals(answer.path("status").path("id").asText())) {
                JsonNode operation = answer.path("operation");
                if (operation.has("failure-cause")) {
                    throw new IllegalStateException(
                            "Savepoint failed: " + operation.path("failure-cause"));
                }
                return operation.path("location").asText();
            }
            Thread.sleep(200); // polling interval of the savepoint's status
        }
        throw new IllegalStateException("No savepoint within " + timeout);
    }

    void cancel(String jobId) throws IOException {
        send(
                HttpRequest.newBuilder(URI.create(base + "/jobs/" + jobId + "?mode=cancel"))
                        .method("PATCH", HttpRequest.BodyPublishers.noBody()));
    }

    private JsonNode get(String path) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    private JsonNode post(String path, JsonNode body) throws IOException {
        return send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    private JsonNode send(HttpRequest.Builder request) throws IOException {
        try {
            HttpResponse<String> response =
                    http.send(
                            request.timeout(Duration.ofSeconds(60)).build(),
                            HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IOException(
                        request.build().uri()
                                + " answered "
                                + response.statusCode()
                                + ": "
                                + response.body());
            }
            return response.body().isEmpty()
                    ? JSON.createObjectNode()
                    : JSON.readTree(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted", e);
        }
    }
}
