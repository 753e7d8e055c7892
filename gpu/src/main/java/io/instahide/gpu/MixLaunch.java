package io.instahide.gpu;

import io.instahide.core.PackedImageSet.Encoding;
import io.instahide.gpu.GpuDevice.DeviceMemory;

/**
 * One launch of the mixing kernel ({@code src/main/cuda/instahide_mix.cu}) over {@code n} samples.
 *
 * @param sets the batch, the private reservoir and the public pool, as stored (slot 0 reads the
 *     batch, slots 1..privateSlots-1 the reservoir, the rest the pool)
 * @param tables for {@link Encoding#UINT8}: each set's normalisation table, channels × 256 floats;
 *     unused for {@link Encoding#FLOAT32}
 * @param keys the packed one-time keys, laid out as {@link KeyLayout} says
 * @param out n × dim floats
 * @param maskWords 32-bit mask words per sample, 0 when the scheme is unmasked
 */
public record MixLaunch(
        Encoding encoding,
        DeviceMemory[] sets,
        DeviceMemory[] tables,
        DeviceMemory keys,
        DeviceMemory out,
        int n,
        int k,
        int privateSlots,
        int dim,
        int channels,
        int maskWords) {

    /** Values per channel plane. */
    public int plane() {
        return dim / channels;
    }

    public KeyLayout layout() {
        return new KeyLayout(n, k, maskWords);
    }

    /**
     * Where the keys of n samples lie in one buffer: partner indexes (n × k int32, slot 0 the
     * sample's own image), then coefficients (n × k float32), then mask words (n × maskWords
     * uint32, bit j of word j/32 set when σ_j = -1), all little-endian.
     */
    public record KeyLayout(int n, int k, int maskWords) {

        public int indexOffset() {
            return 0;
        }

        public int lambdaOffset() {
            return n * k * Integer.BYTES;
        }

        public int maskOffset() {
            return 2 * n * k * Integer.BYTES;
        }

        public int bytes() {
            return maskOffset() + n * maskWords * Integer.BYTES;
        }
    }
}
