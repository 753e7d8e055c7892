package io.instahide.schemas.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * A schema registry over the Confluent REST API: {@code POST /subjects/{subject}/versions} and
 * {@code GET /schemas/ids/{id}}, at a base URL such as {@code http://registry:8081} (Apicurio:
 * {@code http://registry:8080/apis/ccompat/v7}). Answers are not cached here; {@link RegistryCodec}
 * caches them.
 */
public final class RestSchemaRegistry implements SchemaRegistry {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http;
    private final Duration timeout;

    public RestSchemaRegistry(String baseUrl, Duration timeout) {
        this.base = baseUri(baseUrl);
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /**
     * {@code baseUrl} as the base the API's paths resolve against.
     *
     * @throws IllegalArgumentException unless it is an http:// or https:// URL
     */
    public static URI baseUri(String baseUrl) {
        URI base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme())) {
            throw new IllegalArgumentException(
                    "A schema registry URL is http:// or https://, not " + baseUrl);
        }
        return base;
    }

    @Override
    public int register(String subject, Schema schema) throws IOException {
        String body = JSON.writeValueAsString(Map.of("schema", schema.toString()));
        HttpRequest request =
                HttpRequest.newBuilder(
                                base.resolve(
                                        "subjects/"
                                                + URLEncoder.encode(subject, StandardCharsets.UTF_8)
                                                + "/versions"))
                        .timeout(timeout)
                        .header("Content-Type", CONTENT_TYPE)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
        HttpResponse<String> response = send(request);
        if (response.statusCode() / 100 != 2) {
            throw new IOException(
                    "The schema registry at "
                            + base
                            + " refused the schema of subject "
                            + subject
                            + ": HTTP "
                            + response.statusCode()
                            + " "
                            + response.body());
        }
        JsonNode id = JSON.readTree(response.body()).get("id");
        if (id == null || !id.canConvertToInt()) {
            throw new IOException("The schema registry answered without an id: " + response.body());
        }
        return id.intValue();
    }

    @Override
    public Schema schema(int id) throws IOException {
        HttpRequest request =
                HttpRequest.newBuilder(base.resolve("schemas/ids/" + id))
                        .timeout(timeout)
                        .header("Accept", CONTENT_TYPE)
                        .GET()
                        .build();
        HttpResponse<String> response = send(request);
        if (response.statusCode() == 404) {
            return null;
        }
        if (response.statusCode() / 100 != 2) {
            throw new IOException(
                    "The schema registry at "
                            + base
                            + " failed to give schema "
                            + id
                            + ": HTTP "
                            + response.statusCode());
        }
        JsonNode schema = JSON.readTree(response.body()).get("schema");
        if (schema == null || !schema.isTextual()) {
            throw new IOException("The schema registry answered without a schema: " + id);
        }
        return new Schema.Parser().parse(schema.asText());
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while asking the schema registry at " + base, e);
        }
    }

    @Override
    public String toString() {
        return base.toString();
    }
}
