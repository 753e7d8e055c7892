package io.instahide.schemas.codec;

import org.apache.avro.Schema;

import java.io.IOException;

/**
 * The two calls of a Confluent-compatible schema registry the codecs need (Confluent Schema
 * Registry, Apicurio Registry's {@code /apis/ccompat/v7}, Karapace, Redpanda). An unreachable
 * registry is an {@link IOException}: the caller fails and is retried (the job restarts from its
 * last checkpoint), because no record is bad for it.
 */
public interface SchemaRegistry {

    /** Registers {@code schema} under {@code subject} (or finds it there) and returns its id. */
    int register(String subject, Schema schema) throws IOException;

    /** The schema with {@code id}, or null when the registry has none. */
    Schema schema(int id) throws IOException;
}
