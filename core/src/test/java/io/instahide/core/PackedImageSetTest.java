package io.instahide.core;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Write stamps and stored bytes: what lets a device copy of an image set stay current. */
class PackedImageSetTest {

    private static final ImageShape SHAPE = new ImageShape(1, 2, 2);

    @Test
    void everyWriteStampsExactlyTheRecordItChanged() {
        U8ImageList list = new U8ImageList(SHAPE, Normalizer.symmetric(), 1);
        for (int i = 0; i < 4; i++) {
            list.add(i, 0, pixels(i));
        }
        long before = list.writeClock();

        list.set(1, 10, 0, pixels(9));
        assertThat(changedSince(list, before)).containsExactly(1);

        long afterSet = list.writeClock();
        list.removeByMovingLast(0);
        assertThat(changedSince(list, afterSet)).containsExactly(0);

        long afterMove = list.writeClock();
        list.removeByMovingLast(list.size() - 1);
        assertThat(list.writeClock())
                .as("removing the last image moves nothing")
                .isEqualTo(afterMove);

        list.clear();
        list.add(20, 0, pixels(3));
        assertThat(changedSince(list, afterMove)).containsExactly(0);
    }

    @Test
    void storedBytesAreThePixelsAndTheTableIsTheNormalisersOwn() {
        U8ImageList list = new U8ImageList(SHAPE, Normalizer.mnist(), 2);
        list.add(0, 0, pixels(1));
        list.add(1, 0, pixels(5));
        ByteBuffer buffer = ByteBuffer.allocate(16);
        buffer.position(3);

        list.copyStored(1, 1, buffer);

        assertThat(buffer.position()).isEqualTo(3 + 4);
        assertThat(buffer.array()).startsWith(new byte[] {0, 0, 0, 5, 6, 7, 8});
        float[][] table = list.normalizationTable();
        assertThat(table[0][200]).isEqualTo(Normalizer.mnist().normalize(0, 200));
        table[0][200] = 0f;
        assertThat(list.normalizationTable()[0][200]).as("a copy").isNotZero();
        assertThatThrownBy(() -> list.copyStored(1, 2, buffer))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void floatImagesAreStoredInTheBuffersByteOrder() {
        FloatImageList list = new FloatImageList(SHAPE, 1);
        list.add(0, 0, new float[] {1f, -2f, 0.5f, 3f});
        long clock = list.writeClock();
        list.add(1, 0, new float[] {4f, 5f, 6f, 7f});
        ByteBuffer buffer = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);

        list.copyStored(0, 2, buffer);

        assertThat(buffer.position()).isEqualTo(32);
        assertThat(buffer.getFloat(4)).isEqualTo(-2f);
        assertThat(buffer.getFloat(28)).isEqualTo(7f);
        assertThat(list.bytesPerImage()).isEqualTo(16);
        assertThat(changedSince(list, clock)).containsExactly(1);
    }

    private static java.util.List<Integer> changedSince(PackedImageSet set, long clock) {
        java.util.List<Integer> changed = new java.util.ArrayList<>();
        for (int i = 0; i < set.size(); i++) {
            if (set.writeStamp(i) > clock) {
                changed.add(i);
            }
        }
        return changed;
    }

    private static byte[] pixels(int first) {
        return new byte[] {
            (byte) first, (byte) (first + 1), (byte) (first + 2), (byte) (first + 3)
        };
    }
}
