package io.instahide.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A Flink cluster's REST API (on loopback in the harness), read as JSON. */
final class FlinkRest {

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final URI base;

    FlinkRest(URI base) {
        this.base = base;
    }

    /** GETs {@code path} (e.g. {@code /jobs/<id>/checkpoints}); fails on any status but 200. */
    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(base.resolve(path)).build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(
                    "Flink REST " + path + ": " + response.statusCode() + " " + response.body());
        }
        return json.readTree(response.body());
    }
}
