package io.instahide.core;

import java.nio.ByteBuffer;

/**
 * An image set stored as fixed-size records that can be copied verbatim (to a GPU, say), with a
 * write stamp per record so that such a copy can be kept up to date incrementally: a record needs
 * copying again exactly when its stamp is newer than the clock at the last copy.
 */
public interface PackedImageSet extends ImageSet {

    /** How a record holds an image's D values. */
    enum Encoding {
        /** D pixel bytes, normalised on read through {@link #normalizationTable()}. */
        UINT8(1),
        /** D normalised float32 values. */
        FLOAT32(4);

        private final int bytesPerValue;

        Encoding(int bytesPerValue) {
            this.bytesPerValue = bytesPerValue;
        }

        public int bytesPerValue() {
            return bytesPerValue;
        }
    }

    Encoding encoding();

    /** Bytes of one stored image. */
    default int bytesPerImage() {
        return shape().size() * encoding().bytesPerValue();
    }

    /** The stamp of the latest write to any record; it grows with every write. */
    long writeClock();

    /** The stamp of the latest write to record {@code index}, at most {@link #writeClock()}. */
    long writeStamp(int index);

    /**
     * Puts the stored bytes of images [from, from + count) at {@code dst}'s position, in {@code
     * dst}'s byte order, and advances the position.
     */
    void copyStored(int from, int count, ByteBuffer dst);

    /**
     * For {@link Encoding#UINT8}: {@code table[c][b]}, the normalised value of byte b in channel c.
     */
    float[][] normalizationTable();
}
