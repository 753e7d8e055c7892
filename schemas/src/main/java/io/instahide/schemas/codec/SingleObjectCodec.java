package io.instahide.schemas.codec;

import io.instahide.schemas.DeadLetter;
import io.instahide.schemas.DeadLetterReason;
import io.instahide.schemas.EncryptedSample;
import io.instahide.schemas.EscrowedKey;
import io.instahide.schemas.ImageRecord;
import io.instahide.schemas.PublicImage;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Avro single-object encoding (marker {@code C3 01}, 8-byte CRC-64-AVRO schema fingerprint, then
 * the binary body) for one record type. This is the wire format of every topic: no schema registry
 * is needed, and a reader recognises the current writer schema and every released one ({@link
 * ReleasedSchemas}).
 *
 * <p>{@link #decode} never throws anything but {@link RecordDecodeException} for bad input: unknown
 * fingerprints are {@link DeadLetterReason#UNKNOWN_SCHEMA}, everything else that is not a valid
 * record (bytes after the datum, a length or count larger than the value: checked by {@link
 * DatumScan} before Avro allocates anything) is {@link DeadLetterReason#MALFORMED_AVRO}. Instances
 * are thread-safe but not serializable: create them in {@code open}.
 */
public final class SingleObjectCodec<T extends SpecificRecordBase> implements RecordCodec<T> {

    private final Class<T> type;
    private final Schema schema;
    private final byte[] header;
    private final SpecificDatumWriter<T> writer;

    /** The size of the last record encoded: records of one stream are mostly of one size. */
    private volatile int lastSize = 256;

    /** Resolving readers by writer schema, for {@link #decodeBody}. */
    private final Map<Schema, SpecificDatumReader<T>> readers = new ConcurrentHashMap<>();

    /** Writer schemas by fingerprint: the current one, the released ones, any accepted. */
    private final Map<Long, Schema> writers = new ConcurrentHashMap<>();

    private SingleObjectCodec(Class<T> type) {
        this.type = type;
        this.schema = SpecificData.get().getSchema(type);
        long fingerprint = SchemaNormalization.parsingFingerprint64(schema);
        this.header =
                ByteBuffer.allocate(HEADER)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .put((byte) 0xC3)
                        .put((byte) 0x01)
                        .putLong(fingerprint)
                        .array();
        this.writer = new SpecificDatumWriter<>(type);
        writers.put(fingerprint, schema);
        // Records written by any released version decode, resolved to the current schema.
        ReleasedSchemas.of(type.getSimpleName()).forEach(this::addWriter);
    }

    private void addWriter(Schema writer) {
        writers.put(SchemaNormalization.parsingFingerprint64(writer), writer);
    }

    public static SingleObjectCodec<ImageRecord> imageRecords() {
        return new SingleObjectCodec<>(ImageRecord.class);
    }

    public static SingleObjectCodec<PublicImage> publicImages() {
        return new SingleObjectCodec<>(PublicImage.class);
    }

    public static SingleObjectCodec<EncryptedSample> encryptedSamples() {
        return new SingleObjectCodec<>(EncryptedSample.class);
    }

    public static SingleObjectCodec<DeadLetter> deadLetters() {
        return new SingleObjectCodec<>(DeadLetter.class);
    }

    /** The key-escrow topic's records (research audits only). */
    public static SingleObjectCodec<EscrowedKey> escrowedKeys() {
        return new SingleObjectCodec<>(EscrowedKey.class);
    }

    /**
     * Also accepts records written with {@code writerSchema} (an older release of this type),
     * resolving them to the current schema.
     */
    public SingleObjectCodec<T> acceptingWriterSchema(Schema writerSchema) {
        addWriter(writerSchema);
        return this;
    }

    public Class<T> type() {
        return type;
    }

    /**
     * The record's single-object encoding, byte for byte Avro's {@code BinaryMessageEncoder}'s. It
     * is written into an array of the last record's size, returned without a copy when the sizes
     * agree; Avro's encoder looked up two thread-locals, copied the result twice, and with the
     * generated builders was a third of the sink's time per sample (docs/performance.md).
     */
    @Override
    public byte[] encode(T record) {
        return encode(record, header);
    }

    /** The record's Avro binary body after {@code prefix} (another framing's header). */
    byte[] encode(T record, byte[] prefix) {
        Objects.requireNonNull(record, "record");
        SizedOutput out = new SizedOutput(lastSize);
        out.write(prefix, 0, prefix.length);
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Encoding an in-memory " + type.getSimpleName(), e);
        }
        lastSize = out.size;
        return out.bytes();
    }

    /** A growable, unsynchronised byte array output. */
    private static final class SizedOutput extends OutputStream {

        private byte[] buffer;
        private int size;

        SizedOutput(int capacity) {
            buffer = new byte[capacity];
        }

        @Override
        public void write(int b) {
            ensure(1);
            buffer[size++] = (byte) b;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            ensure(length);
            System.arraycopy(bytes, offset, buffer, size, length);
            size += length;
        }

        private void ensure(int more) {
            if (size + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(size + more, 2 * buffer.length));
            }
        }

        byte[] bytes() {
            return size == buffer.length ? buffer : Arrays.copyOf(buffer, size);
        }
    }

    /** The schema records are written with and resolved to. */
    Schema schema() {
        return schema;
    }

    /**
     * The record whose Avro binary body, written with {@code writer}, starts at {@code offset}
     * (another framing's header before it), resolved to the current schema; checked by {@link
     * DatumScan} first, like every value.
     */
    T decodeBody(Schema writer, byte[] bytes, int offset) throws RecordDecodeException {
        try {
            DatumScan.check(writer, bytes, offset);
        } catch (IllegalArgumentException e) {
            throw new RecordDecodeException(
                    DeadLetterReason.MALFORMED_AVRO,
                    "Malformed " + type.getSimpleName() + ": " + e.getMessage(),
                    e);
        }
        SpecificDatumReader<T> reader =
                readers.computeIfAbsent(
                        writer,
                        w -> new SpecificDatumReader<>(w, schema, SpecificData.getForClass(type)));
        try {
            return reader.read(
                    null,
                    DecoderFactory.get().binaryDecoder(bytes, offset, bytes.length - offset, null));
        } catch (IOException
                | AvroRuntimeException
                | IndexOutOfBoundsException
                | NegativeArraySizeException e) {
            throw malformed(bytes, e);
        }
    }

    @Override
    public T decode(byte[] bytes) throws RecordDecodeException {
        if (bytes == null) {
            throw new RecordDecodeException(
                    DeadLetterReason.MALFORMED_AVRO,
                    "Expected a " + type.getSimpleName() + " but the record value is null",
                    null);
        }
        if (bytes.length < HEADER || bytes[0] != (byte) 0xC3 || bytes[1] != 0x01) {
            throw new RecordDecodeException(
                    DeadLetterReason.MALFORMED_AVRO,
                    "Not Avro single-object encoded (expected marker C3 01 and a fingerprint, got "
                            + bytes.length
                            + " bytes)"
                            + (bytes.length >= RegistryCodec.HEADER
                                            && bytes[0] == RegistryCodec.MAGIC
                                    ? "; it looks like the Confluent wire format (magic byte 0):"
                                            + " set kafka.schema-registry.url to read it"
                                    : ""),
                    null);
        }
        Schema writer = writers.get(fingerprint(bytes));
        if (writer == null) {
            throw new RecordDecodeException(
                    DeadLetterReason.UNKNOWN_SCHEMA,
                    "Unknown schema fingerprint for "
                            + type.getSimpleName()
                            + " (written by a newer or unrelated producer?): "
                            + Long.toHexString(fingerprint(bytes)),
                    null);
        }
        return decodeBody(writer, bytes, HEADER);
    }

    /** Marker (2 bytes) and fingerprint (8): where the body starts. */
    private static final int HEADER = 10;

    private static long fingerprint(byte[] bytes) {
        return ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private RecordDecodeException malformed(byte[] bytes, Throwable e) {
        return new RecordDecodeException(
                DeadLetterReason.MALFORMED_AVRO,
                "Malformed "
                        + type.getSimpleName()
                        + " body ("
                        + bytes.length
                        + " bytes): "
                        + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()),
                e);
    }
}
