package io.instahide.audit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Writes NumPy {@code .npy} files (format version 1.0, little-endian, C order), the layout the
 * InstaHide challenge published its data in, so that outside attack code can read exports with
 * {@code numpy.load}.
 */
public final class NpyWriter {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};

    private NpyWriter() {}

    /** float32 values of the given shape (row-major). */
    public static void writeFloats(Path file, float[] values, int... shape) throws IOException {
        checkSize(values.length, shape);
        ByteBuffer data = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        data.asFloatBuffer().put(values);
        write(file, "<f4", shape, data.array());
    }

    /** uint8 values of the given shape (row-major), e.g. images as published. */
    public static void writeBytes(Path file, byte[] values, int... shape) throws IOException {
        checkSize(values.length, shape);
        write(file, "|u1", shape, values);
    }

    /** int64 values of the given shape (row-major), e.g. labels. */
    public static void writeLongs(Path file, long[] values, int... shape) throws IOException {
        checkSize(values.length, shape);
        ByteBuffer data = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        data.asLongBuffer().put(values);
        write(file, "<i8", shape, data.array());
    }

    /** The header: magic, version, length, then a Python dict literal padded to 64 bytes. */
    static byte[] header(String descr, int[] shape) {
        String dims =
                shape.length == 1
                        ? shape[0] + ","
                        : Arrays.stream(shape)
                                .mapToObj(Integer::toString)
                                .collect(Collectors.joining(", "));
        String dict =
                "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
        int unpadded = MAGIC.length + 2 + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        String text = dict + " ".repeat(padding) + "\n";
        ByteBuffer header =
                ByteBuffer.allocate(MAGIC.length + 2 + text.length())
                        .order(ByteOrder.LITTLE_ENDIAN);
        header.put(MAGIC).putShort((short) text.length());
        header.put(text.getBytes(StandardCharsets.US_ASCII));
        return header.array();
    }

    private static void write(Path file, String descr, int[] shape, byte[] data)
            throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(header(descr, shape));
            out.write(data);
        }
    }

    private static void checkSize(int length, int[] shape) {
        long size = 1;
        for (int dimension : shape) {
            size *= dimension;
        }
        if (size != length) {
            throw new IllegalArgumentException(
                    "Shape "
                            + Arrays.toString(shape)
                            + " holds "
                            + size
                            + " values, not "
                            + length);
        }
    }
}
