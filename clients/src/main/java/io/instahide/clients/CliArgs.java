package io.instahide.clients;

import io.instahide.core.ImageShape;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code --key value} and {@code --flag} arguments. Unknown keys are rejected with the list of
 * known ones, so a typo never silently falls back to a default.
 */
public final class CliArgs {

    public static final String KAFKA_PROPERTIES = "kafka.properties.";

    private final Map<String, String> values = new LinkedHashMap<>();

    private CliArgs() {}

    public static CliArgs parse(String[] args, Set<String> known, Set<String> flags) {
        CliArgs parsed = new CliArgs();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("Expected --option, got '" + args[i] + "'");
            }
            String key = args[i].substring(2);
            boolean passThrough = key.startsWith(KAFKA_PROPERTIES);
            if (!known.contains(key) && !flags.contains(key) && !passThrough) {
                throw new IllegalArgumentException(
                        "Unknown option --"
                                + key
                                + "; known: --"
                                + String.join(", --", new java.util.TreeSet<>(known))
                                + ", --"
                                + String.join(", --", new java.util.TreeSet<>(flags)));
            }
            if (flags.contains(key)) {
                parsed.values.put(key, "true");
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--" + key + " needs a value");
                }
                parsed.values.put(key, args[++i]);
            }
        }
        return parsed;
    }

    /**
     * Parses a tool's arguments and checks what every tool needs: exactly one of {@code sources},
     * the bootstrap servers, and a valid {@code --shape} unless {@code --help} was asked for.
     */
    public static CliArgs parseTool(
            String[] args, Set<String> known, Set<String> flags, List<String> sources) {
        CliArgs cli = parse(args, known, flags);
        if (cli.has("help")) {
            return cli;
        }
        if (sources.stream().filter(cli::has).count() != 1) {
            throw new IllegalArgumentException(
                    "Give exactly one of --" + String.join(", --", sources));
        }
        cli.require("kafka.bootstrap-servers");
        shape(cli.get("shape", "3x32x32"));
        return cli;
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public String get(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    public String require(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException("Missing --" + key);
        }
        return value;
    }

    public int getInt(String key, int fallback) {
        String value = values.get(key);
        try {
            return value == null ? fallback : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " must be an integer, got " + value);
        }
    }

    public double getDouble(String key, double fallback) {
        String value = values.get(key);
        try {
            return value == null ? fallback : Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " must be a number, got " + value);
        }
    }

    public List<String> list(String key) {
        String value = values.get(key);
        return value == null ? List.of() : List.of(value.split(","));
    }

    /** Kafka client properties given as {@code --kafka.properties.<name> value}. */
    public Map<String, String> kafkaProperties() {
        Map<String, String> properties = new TreeMap<>();
        values.forEach(
                (key, value) -> {
                    if (key.startsWith(KAFKA_PROPERTIES)) {
                        properties.put(key.substring(KAFKA_PROPERTIES.length()), value);
                    }
                });
        return properties;
    }

    /** Channels, height, width from {@code CxHxW}. */
    public static int[] shape(String text) {
        ImageShape shape;
        try {
            shape = ImageShape.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--shape: " + e.getMessage(), e);
        }
        if (shape.channels() != 1 && shape.channels() != 3) {
            throw new IllegalArgumentException("--shape needs 1 or 3 channels, got " + text);
        }
        return new int[] {shape.channels(), shape.height(), shape.width()};
    }
}
