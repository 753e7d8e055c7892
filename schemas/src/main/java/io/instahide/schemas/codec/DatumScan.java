package io.instahide.schemas.codec;

import org.apache.avro.Schema;

/**
 * Walks one Avro binary datum of a writer schema without building it, checking that every length
 * and count it declares fits in the bytes that are really there, and that the datum ends exactly
 * where the value does. Avro's own readers allocate what a length declares before they read it, so
 * 22 hostile bytes declaring a 1 GB {@code bytes} field exhaust a heap; scanned first, they are a
 * malformed record instead.
 */
final class DatumScan {

    private final byte[] bytes;
    private int position;

    private DatumScan(byte[] bytes, int offset) {
        this.bytes = bytes;
        this.position = offset;
    }

    /**
     * Checks the datum of {@code writer} starting at {@code offset} of {@code bytes}.
     *
     * @throws IllegalArgumentException saying what is wrong, if a length or count exceeds the bytes
     *     left, the bytes end inside the datum, or bytes follow it
     */
    static void check(Schema writer, byte[] bytes, int offset) {
        DatumScan scan = new DatumScan(bytes, offset);
        scan.datum(writer);
        int trailing = bytes.length - scan.position;
        if (trailing > 0) {
            throw new IllegalArgumentException(
                    trailing
                            + " bytes follow the datum ("
                            + (scan.position - offset)
                            + " bytes): a record is exactly one datum");
        }
    }

    private void datum(Schema schema) {
        switch (schema.getType()) {
            case NULL -> {}
            case BOOLEAN -> skip(1);
            case INT, LONG, ENUM -> varint();
            case FLOAT -> skip(4);
            case DOUBLE -> skip(8);
            case STRING -> skip(length("a string"));
            case BYTES -> skip(length("a bytes field"));
            case FIXED -> skip(schema.getFixedSize());
            case RECORD -> schema.getFields().forEach(field -> datum(field.schema()));
            case UNION -> {
                long branch = varint();
                if (branch < 0 || branch >= schema.getTypes().size()) {
                    throw new IllegalArgumentException(
                            "union branch " + branch + " of " + schema.getTypes().size());
                }
                datum(schema.getTypes().get((int) branch));
            }
            case ARRAY -> blocks(schema.getElementType(), null);
            case MAP -> blocks(schema.getValueType(), Schema.create(Schema.Type.STRING));
        }
    }

    /** Array or map blocks: a count (negative: followed by the block's byte size), then items. */
    private void blocks(Schema item, Schema key) {
        for (long count = varint(); count != 0; count = varint()) {
            if (count < 0) {
                count = -count;
                length("an array block");
            }
            // Every item takes at least one byte unless it is null: more items than bytes left
            // cannot be real.
            if (item.getType() != Schema.Type.NULL && count > remaining()) {
                throw new IllegalArgumentException(
                        "an array or map declares "
                                + count
                                + " items, "
                                + remaining()
                                + " bytes remain");
            }
            for (long i = 0; i < count; i++) {
                if (key != null) {
                    datum(key);
                }
                datum(item);
            }
        }
    }

    /** A byte length that must fit in what is left. */
    private int length(String what) {
        long length = varint();
        if (length < 0 || length > remaining()) {
            throw new IllegalArgumentException(
                    what + " declares " + length + " bytes, " + remaining() + " remain");
        }
        return (int) length;
    }

    /** A zig-zag varint, at most 10 bytes. */
    private long varint() {
        long raw = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            if (position >= bytes.length) {
                throw new IllegalArgumentException("the bytes end inside a number");
            }
            int b = bytes[position++] & 0xff;
            raw |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw new IllegalArgumentException("a number longer than 10 bytes");
    }

    private void skip(int count) {
        if (count > remaining()) {
            throw new IllegalArgumentException(
                    "the bytes end inside the datum (" + count + " needed, " + remaining() + ")");
        }
        position += count;
    }

    private int remaining() {
        return bytes.length - position;
    }
}
