package io.instahide.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The .npy format 1.0 as NumPy documents it (numpy.lib.format). */
class NpyWriterTest {

    @TempDir Path directory;

    @Test
    void floatsHaveTheDocumentedHeaderAndLittleEndianData() throws Exception {
        Path file = directory.resolve("x.npy");
        float[] values = {1.5f, -2f, 0f, 3.25f, 7f, -0.5f};

        NpyWriter.writeFloats(file, values, 1, 2, 3, 1);

        byte[] bytes = Files.readAllBytes(file);
        assertThat(Arrays.copyOf(bytes, 8))
                .containsExactly((byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0);
        int headerLength = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
        assertThat((10 + headerLength) % 64).as("data starts 64-byte aligned").isZero();
        String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
        assertThat(header)
                .startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2, 3, 1), }")
                .endsWith("\n");
        float[] read = new float[values.length];
        ByteBuffer.wrap(bytes, 10 + headerLength, 4 * values.length)
                .order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer()
                .get(read);
        assertThat(read).containsExactly(values);
        assertThat(bytes).hasSize(10 + headerLength + 4 * values.length);
    }

    @Test
    void oneDimensionalShapesAreTuplesWithATrailingComma() throws Exception {
        Path file = directory.resolve("labels.npy");

        NpyWriter.writeLongs(file, new long[] {3, 1, 4}, 3);

        byte[] bytes = Files.readAllBytes(file);
        int headerLength = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
        String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
        assertThat(header).startsWith("{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }");
        assertThat(bytes).hasSize(10 + headerLength + 3 * 8);
        assertThat(
                        ByteBuffer.wrap(bytes, 10 + headerLength, 8)
                                .order(ByteOrder.LITTLE_ENDIAN)
                                .getLong())
                .isEqualTo(3);
    }

    @Test
    void aShapeThatDoesNotFitTheValuesIsRejected() {
        assertThatThrownBy(
                        () -> NpyWriter.writeFloats(directory.resolve("y.npy"), new float[5], 2, 3))
                .hasMessageContaining("holds 6 values, not 5");
    }
}
