package io.instahide.schemas.codec;

import org.apache.avro.Schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The schemas of every released version of the wire contract, shipped in this jar under {@code
 * io/instahide/schemas/avro-history/<release>/}. Every decoder accepts records written with any of
 * them (resolved to the current schema), so devices, the job and trainers can be upgraded in any
 * order; {@code SchemaCompatibilityTest} keeps each release fully compatible with the current one.
 *
 * <p>Releasing a schema change: copy the released {@code .avsc} files into a new directory, add its
 * name to {@link #RELEASES}.
 */
public final class ReleasedSchemas {

    /** Released versions, oldest first. */
    public static final List<String> RELEASES = List.of("v1");

    /** The files of a release, named types before the records that use them. */
    public static final List<String> FILES =
            List.of(
                    "ImageEncoding",
                    "DeadLetterReason",
                    "Normalization",
                    "SchemeParameters",
                    "ImageRecord",
                    "PublicImage",
                    "EncryptedSample",
                    "DeadLetter");

    private static final Map<String, Map<String, Schema>> BY_RELEASE = new HashMap<>();

    private ReleasedSchemas() {}

    /** Every schema of {@code release}, by type name. */
    public static synchronized Map<String, Schema> release(String release) {
        return BY_RELEASE.computeIfAbsent(release, ReleasedSchemas::parse);
    }

    /** Every released schema of the type {@code name}, oldest first (none for newer types). */
    public static List<Schema> of(String name) {
        List<Schema> schemas = new ArrayList<>();
        for (String release : RELEASES) {
            Schema schema = release(release).get(name);
            if (schema != null) {
                schemas.add(schema);
            }
        }
        return schemas;
    }

    private static Map<String, Schema> parse(String release) {
        Schema.Parser parser = new Schema.Parser();
        Map<String, Schema> schemas = new HashMap<>();
        for (String name : FILES) {
            String path = "/io/instahide/schemas/avro-history/" + release + "/" + name + ".avsc";
            try (InputStream in = ReleasedSchemas.class.getResourceAsStream(path)) {
                if (in == null) {
                    throw new IllegalStateException("Released schema " + path + " is missing");
                }
                schemas.put(name, parser.parse(in));
            } catch (IOException e) {
                throw new UncheckedIOException(path, e);
            }
        }
        return schemas;
    }
}
