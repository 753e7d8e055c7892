package io.instahide.schemas.codec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The two calls of the Confluent schema-registry REST API that the codecs make, on 127.0.0.1 (a
 * real registry could not be assembled from what this machine's Maven mirror serves: README,
 * "Schema registry"): {@code POST /subjects/{subject}/versions} (the same schema text gets the same
 * id, in any subject, as in Confluent's) and {@code GET /schemas/ids/{id}} (404 with error code
 * 40403 when absent). Counts the lookups it answers.
 */
public final class TestingSchemaRegistry implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Integer, String> schemas = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger(1);

    /** Every {@code GET /schemas/ids/{id}} answered, in order. */
    public final List<Integer> lookups = new CopyOnWriteArrayList<>();

    /** The subjects registered to, in order. */
    public final List<String> registrations = new CopyOnWriteArrayList<>();

    private TestingSchemaRegistry(HttpServer server) {
        this.server = server;
    }

    public static TestingSchemaRegistry start() throws IOException {
        HttpServer server =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        TestingSchemaRegistry registry = new TestingSchemaRegistry(server);
        server.createContext("/subjects/", registry::register);
        server.createContext("/schemas/ids/", registry::lookUp);
        server.start();
        return registry;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Registers {@code schema} as another producer would; returns its id. */
    public int add(String schema) {
        return ids.computeIfAbsent(
                schema,
                s -> {
                    int id = next.getAndIncrement();
                    schemas.put(id, s);
                    return id;
                });
    }

    private void register(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (!exchange.getRequestMethod().equals("POST") || !path.endsWith("/versions")) {
            answer(exchange, 404, Map.of("error_code", 404, "message", "not here"));
            return;
        }
        String subject =
                path.substring("/subjects/".length(), path.length() - "/versions".length());
        String schema =
                JSON.readTree(exchange.getRequestBody().readAllBytes()).get("schema").asText();
        registrations.add(subject);
        answer(exchange, 200, Map.of("id", add(schema)));
    }

    private void lookUp(HttpExchange exchange) throws IOException {
        int id =
                Integer.parseInt(
                        exchange.getRequestURI().getPath().substring("/schemas/ids/".length()));
        lookups.add(id);
        String schema = schemas.get(id);
        if (schema == null) {
            answer(exchange, 404, Map.of("error_code", 40403, "message", "Schema not found"));
        } else {
            answer(exchange, 200, Map.of("schema", schema));
        }
    }

    private static void answer(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
