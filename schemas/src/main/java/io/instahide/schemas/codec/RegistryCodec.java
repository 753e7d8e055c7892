package io.instahide.schemas.codec;

import io.instahide.schemas.DeadLetterReason;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.specific.SpecificRecordBase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The Confluent wire format: magic byte {@code 0}, the writer schema's registry id (4 bytes, big
 * endian), then the Avro binary body. Encoding registers the current schema under the codec's
 * subject (the topic's {@code <topic>-value}, Confluent's default naming) once and writes its id;
 * decoding reads this framing with any writer schema the registry holds that resolves to the
 * current one, and single-object values (marker {@code C3 01}) as {@link SingleObjectCodec} does,
 * so one topic may carry both while producers move over.
 *
 * <p>Bad bytes are {@link RecordDecodeException}s as everywhere: an id the registry does not have,
 * or a schema that does not resolve to this type, is {@link DeadLetterReason#UNKNOWN_SCHEMA}. Ids
 * found missing are remembered, and at most {@value #MISSES_PER_SECOND} lookups a second may find
 * nothing, so values with made-up ids cannot keep the registry busy: beyond that they are dead
 * letters without a lookup (still with their bytes, to replay). An unreachable registry is no
 * record's fault: it throws {@link UncheckedIOException}, and the job retries from its last
 * checkpoint.
 */
public final class RegistryCodec<T extends SpecificRecordBase> implements RecordCodec<T> {

    static final byte MAGIC = 0;
    static final int HEADER = 5;
    static final int MISSES_PER_SECOND = 20;

    /** How long a schema registry may take to answer. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static final int MAX_REMEMBERED_MISSES = 100_000;
    private static final String NOT_IN_REGISTRY = "the registry has no schema with this id";

    private final SingleObjectCodec<T> singleObject;
    private final SchemaRegistry registry;
    private final String subject;
    private final Map<Integer, Schema> writers = new ConcurrentHashMap<>();
    private final Set<Integer> missing = ConcurrentHashMap.newKeySet();
    private final LongSupplier clock;
    private volatile byte[] header;
    private long missWindowStart;
    private int missesInWindow;

    /**
     * @param subject the subject the current schema is registered under when encoding
     */
    public RegistryCodec(
            SingleObjectCodec<T> singleObject, SchemaRegistry registry, String subject) {
        this(singleObject, registry, subject, System::nanoTime);
    }

    /** With {@code clock} (nanoseconds) for the lookup budget. */
    RegistryCodec(
            SingleObjectCodec<T> singleObject,
            SchemaRegistry registry,
            String subject,
            LongSupplier clock) {
        this.singleObject = singleObject;
        this.registry = registry;
        this.subject = subject;
        this.clock = clock;
        this.missWindowStart = clock.getAsLong();
    }

    /**
     * The codec of a topic's values: {@code singleObject} itself without a registry; with {@code
     * schemaRegistryUrl}, the Confluent wire format under the subject {@code <topic>-value}
     * (reading single-object values too).
     */
    public static <T extends SpecificRecordBase> RecordCodec<T> forTopic(
            SingleObjectCodec<T> singleObject, String topic, String schemaRegistryUrl) {
        if (schemaRegistryUrl == null || schemaRegistryUrl.isBlank()) {
            return singleObject;
        }
        return new RegistryCodec<>(
                singleObject,
                new RestSchemaRegistry(schemaRegistryUrl, TIMEOUT),
                valueSubject(topic));
    }

    /** Confluent's default subject of a topic's values. */
    public static String valueSubject(String topic) {
        return topic + "-value";
    }

    @Override
    public byte[] encode(T record) {
        byte[] prefix = header;
        if (prefix == null) {
            try {
                int id = registry.register(subject, singleObject.schema());
                prefix = ByteBuffer.allocate(HEADER).put(MAGIC).putInt(id).array();
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "Registering the " + subject + " schema at " + registry, e);
            }
            header = prefix;
        }
        return singleObject.encode(record, prefix);
    }

    @Override
    public T decode(byte[] bytes) throws RecordDecodeException {
        if (bytes == null || bytes.length == 0 || bytes[0] != MAGIC) {
            return singleObject.decode(bytes);
        }
        if (bytes.length < HEADER) {
            throw new RecordDecodeException(
                    DeadLetterReason.MALFORMED_AVRO,
                    "A Confluent wire-format value needs 5 header bytes, got " + bytes.length,
                    null);
        }
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        return singleObject.decodeBody(writer(id), bytes, HEADER);
    }

    private Schema writer(int id) throws RecordDecodeException {
        Schema known = writers.get(id);
        if (known != null) {
            return known;
        }
        if (missing.contains(id)) {
            throw unknown(id, NOT_IN_REGISTRY);
        }
        if (!mayLookUp()) {
            throw unknown(
                    id,
                    "not looked up: more than "
                            + MISSES_PER_SECOND
                            + " unknown ids a second (replay the dead letter if it is real)");
        }
        Schema schema;
        try {
            schema = registry.schema(id);
        } catch (IOException e) {
            throw new UncheckedIOException("Looking up schema " + id + " at " + registry, e);
        }
        if (schema == null) {
            missed(id);
            throw unknown(id, NOT_IN_REGISTRY);
        }
        SchemaCompatibility.SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(singleObject.schema(), schema);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            missed(id);
            throw unknown(
                    id,
                    "schema "
                            + schema.getFullName()
                            + " cannot be read as "
                            + singleObject.type().getSimpleName()
                            + ": "
                            + compatibility.getDescription());
        }
        writers.put(id, schema);
        return schema;
    }

    private synchronized boolean mayLookUp() {
        long now = clock.getAsLong();
        if (now - missWindowStart > 1_000_000_000L) {
            missWindowStart = now;
            missesInWindow = 0;
        }
        return missesInWindow < MISSES_PER_SECOND;
    }

    private synchronized void missed(int id) {
        missesInWindow++;
        if (missing.size() < MAX_REMEMBERED_MISSES) {
            missing.add(id);
        }
    }

    private RecordDecodeException unknown(int id, String why) {
        return new RecordDecodeException(
                DeadLetterReason.UNKNOWN_SCHEMA,
                "Confluent wire format with schema id " + id + " for " + subject + ": " + why,
                null);
    }
}
