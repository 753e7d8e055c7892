package io.instahide.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The values the original InstaHide code produced ({@code testvectors/instahide-reference.json},
 * copied from the project's shared spec). Float32 values are stored as their exact decimal
 * expansions, so {@code (float) parseDouble} recovers the same bits.
 */
public final class ReferenceVectors {

    private static final JsonNode ROOT = load();

    private ReferenceVectors() {}

    public static JsonNode block(String name) {
        JsonNode node = ROOT.get(name);
        if (node == null) {
            throw new IllegalArgumentException("No block '" + name + "' in the reference vectors");
        }
        return node;
    }

    private static JsonNode load() {
        try (InputStream in =
                ReferenceVectors.class.getResourceAsStream(
                        "/testvectors/instahide-reference.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** All leaves of a nested array in row-major order, as float32. */
    public static float[] floats(JsonNode node) {
        List<Double> values = new ArrayList<>();
        flatten(node, values);
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (double) values.get(i);
        }
        return out;
    }

    /** All leaves of a nested array in row-major order, as float64. */
    public static double[] doubles(JsonNode node) {
        List<Double> values = new ArrayList<>();
        flatten(node, values);
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    public static int[] ints(JsonNode node) {
        double[] values = doubles(node);
        int[] out = new int[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) values[i];
        }
        return out;
    }

    private static void flatten(JsonNode node, List<Double> out) {
        if (node.isArray()) {
            node.forEach(child -> flatten(child, out));
        } else if (node.isTextual()) {
            out.add(Double.parseDouble(node.asText()));
        } else {
            out.add(node.asDouble());
        }
    }
}
