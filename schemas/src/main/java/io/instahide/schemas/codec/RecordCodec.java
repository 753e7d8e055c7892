package io.instahide.schemas.codec;

/**
 * How one record type is written to and read from a topic's values: {@link SingleObjectCodec} (Avro
 * single-object encoding, no registry, the default) or {@link RegistryCodec} (the Confluent wire
 * format with a schema registry, which also reads single-object values).
 *
 * @param <T> the record type
 */
public interface RecordCodec<T> {

    byte[] encode(T record);

    /** The record, or why the bytes are not one (never another exception for bad bytes). */
    T decode(byte[] bytes) throws RecordDecodeException;
}
