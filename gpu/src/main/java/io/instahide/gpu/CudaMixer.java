package io.instahide.gpu;

import io.instahide.core.ImageShape;
import io.instahide.core.MaskBits;
import io.instahide.core.MixSources;
import io.instahide.core.Mixer;
import io.instahide.core.OneTimeKeys;
import io.instahide.core.PackedImageSet;
import io.instahide.core.PackedImageSet.Encoding;
import io.instahide.gpu.GpuDevice.DeviceMemory;
import io.instahide.gpu.GpuDevice.PinnedMemory;
import io.instahide.gpu.GpuDevice.Stream;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The GPU mixer: the same arithmetic as {@link io.instahide.core.JavaMixer}, bit for bit, in a CUDA
 * kernel ({@code src/main/cuda/instahide_mix.cu}).
 *
 * <ul>
 *   <li>The batch, the private reservoir and the public pool live on the device as stored (pixel
 *       bytes, or floats), each in a {@link DeviceImageMirror} that uploads only what changed since
 *       the last batch: the pool goes up once, then image by image as the broadcast state changes.
 *   <li>Per chunk of samples only the keys go up (partner indexes, λ, the mask packed 1 bit per
 *       value, drawn on the host from the secure generator) and the encrypted floats come back.
 *   <li>Chunks alternate between two pipeline slots, each with its own stream and pinned buffers:
 *       while the GPU mixes and returns one chunk, the host packs the next one's keys and copies
 *       the previous one's floats out, and one chunk's download overlaps the next one's kernel.
 * </ul>
 *
 * Key material passes through pinned host memory and device memory only for the duration of a
 * chunk; it is zeroed on the host after use. Not thread-safe: one per operator instance.
 */
public final class CudaMixer implements Mixer<PackedImageSet> {

    /**
     * Bytes of encrypted floats per chunk: large enough to amortise a launch, small enough to
     * overlap.
     */
    public static final int DEFAULT_CHUNK_BYTES = 8 << 20;

    private static final int STAGING_BYTES = 16 << 20;
    private static final int MAX_GRID_Y = 65_535;
    private static final int MAX_CHANNELS = 15;

    private final GpuDevice device;
    private final ImageShape shape;
    private final int dim;
    private final int k;
    private final int maxBatch;
    private final int chunk;
    private final int maskWords;
    private final DeviceImageMirror[] mirrors;
    private final Slot[] slots;
    private final UploadStaging staging;

    /**
     * @param device the GPU; the mixer closes it
     * @param maxBatch the most samples one {@link #mix} call takes
     * @param chunkBytes encrypted bytes per pipeline chunk, e.g. {@link #DEFAULT_CHUNK_BYTES}
     */
    public CudaMixer(GpuDevice device, ImageShape shape, int k, int maxBatch, int chunkBytes) {
        if (maxBatch < 1 || k < 1 || chunkBytes < 1) {
            throw new IllegalArgumentException(
                    "maxBatch, k and chunkBytes must be positive, got "
                            + maxBatch
                            + ", "
                            + k
                            + ", "
                            + chunkBytes);
        }
        this.device = device;
        this.shape = shape;
        this.dim = shape.size();
        this.k = k;
        this.maxBatch = maxBatch;
        this.chunk = Math.min(Math.min(maxBatch, MAX_GRID_Y), Math.max(1, chunkBytes / (dim * 4)));
        this.maskWords = 2 * MaskBits.wordsFor(dim);
        if (shape.channels() > MAX_CHANNELS) {
            throw new IllegalArgumentException(
                    "The GPU mixer keeps "
                            + MixSources.COUNT
                            + " normalisation tables of channels × 256 floats in 48 KB"
                            + " of shared memory: at most "
                            + MAX_CHANNELS
                            + " channels, got "
                            + shape.channels());
        }
        device.bind();
        this.mirrors = new DeviceImageMirror[MixSources.COUNT];
        for (int i = 0; i < mirrors.length; i++) {
            mirrors[i] = new DeviceImageMirror(device);
        }
        this.slots = new Slot[] {new Slot(), new Slot()};
        this.staging = new UploadStaging(device, Math.max(STAGING_BYTES, dim * 4), slots[0].stream);
    }

    /** Samples per pipeline chunk. */
    public int chunkSize() {
        return chunk;
    }

    /** Bytes that went up to the device for the image sets so far (keys not counted). */
    public long imageBytesUploaded() {
        return staging.uploadedBytes();
    }

    public String deviceDescription() {
        return device.description();
    }

    @Override
    public void mix(
            OneTimeKeys keys,
            MixSources<? extends PackedImageSet> sources,
            boolean masked,
            float[] out,
            int offset) {
        int n = Mixer.checkedCount(keys, k, maxBatch);
        if (n == 0) {
            return;
        }
        if (!sources.shape().equals(shape)) {
            throw new IllegalArgumentException(
                    "Image sets of shape "
                            + sources.shape()
                            + " given to a GPU mixer for "
                            + shape);
        }
        List<? extends PackedImageSet> sets = sources.all();
        Encoding encoding = sources.batch().encoding();
        device.bind();
        for (int i = 0; i < mirrors.length; i++) {
            PackedImageSet set = sets.get(i);
            if (set.encoding() != encoding) {
                throw new IllegalArgumentException(
                        "The GPU mixer needs one encoding for all sets, got "
                                + encoding
                                + " and "
                                + set.encoding());
            }
            mirrors[i].sync(set, staging);
        }
        staging.finish();
        int chunks = (n + chunk - 1) / chunk;
        for (int c = 0; c < chunks; c++) {
            Slot slot = slots[c % 2];
            slot.collect(out, offset);
            int start = c * chunk;
            slot.submit(keys, start, Math.min(chunk, n - start), masked, encoding);
        }
        slots[chunks % 2].collect(out, offset);
        slots[(chunks + 1) % 2].collect(out, offset);
    }

    @Override
    public int maxBatch() {
        return maxBatch;
    }

    @Override
    public void close() {
        device.bind();
        for (Slot slot : slots) {
            slot.close();
        }
        staging.close();
        for (DeviceImageMirror mirror : mirrors) {
            mirror.close();
        }
        device.close();
    }

    /** One pipeline slot: a stream, the keys and floats of one chunk on both sides. */
    private final class Slot implements AutoCloseable {

        final Stream stream = device.createStream();
        final MixLaunch.KeyLayout capacity = new MixLaunch.KeyLayout(chunk, k, maskWords);
        final PinnedMemory keysHost = device.allocatePinned(capacity.bytes());
        final DeviceMemory keysDevice = device.allocate(capacity.bytes());
        final PinnedMemory outHost = device.allocatePinned(chunk * dim * Float.BYTES);
        final DeviceMemory outDevice = device.allocate((long) chunk * dim * Float.BYTES);
        int pendingStart = -1;
        int pendingCount;

        void submit(OneTimeKeys keys, int start, int count, boolean masked, Encoding encoding) {
            MixLaunch.KeyLayout layout = new MixLaunch.KeyLayout(count, k, masked ? maskWords : 0);
            pack(keys, start, count, layout);
            device.upload(keysHost, 0, keysDevice, 0, layout.bytes(), stream);
            device.launch(
                    new MixLaunch(
                            encoding,
                            new DeviceMemory[] {
                                mirrors[0].records(), mirrors[1].records(), mirrors[2].records()
                            },
                            new DeviceMemory[] {
                                mirrors[0].table(), mirrors[1].table(), mirrors[2].table()
                            },
                            keysDevice,
                            outDevice,
                            count,
                            k,
                            keys.privateSlots(),
                            dim,
                            shape.channels(),
                            layout.maskWords()),
                    stream);
            device.download(outDevice, 0, outHost, 0, count * dim * Float.BYTES, stream);
            pendingStart = start;
            pendingCount = count;
        }

        private void pack(OneTimeKeys keys, int start, int count, MixLaunch.KeyLayout layout) {
            ByteBuffer buffer = keysHost.buffer();
            buffer.clear();
            for (int b = start; b < start + count; b++) {
                for (int s = 0; s < k; s++) {
                    buffer.putInt(keys.sourceIndex(b, s));
                }
            }
            for (int b = start; b < start + count; b++) {
                for (int s = 0; s < k; s++) {
                    buffer.putFloat(keys.lambda(b, s));
                }
            }
            if (layout.maskWords() > 0) {
                // 64-bit words in little-endian order are the 32-bit words the kernel reads.
                int words = keys.maskWords();
                buffer.asLongBuffer().put(keys.maskArray(), start * words, count * words);
            }
        }

        /** Waits for the pending chunk, if any, and copies its floats out; wipes its keys. */
        void collect(float[] out, int offset) {
            if (pendingStart < 0) {
                return;
            }
            device.synchronize(stream);
            ByteBuffer floats = outHost.buffer();
            floats.clear();
            floats.asFloatBuffer().get(out, offset + pendingStart * dim, pendingCount * dim);
            wipeKeys();
            pendingStart = -1;
        }

        private void wipeKeys() {
            ByteBuffer buffer = keysHost.buffer();
            buffer.clear();
            while (buffer.remaining() >= Long.BYTES) {
                buffer.putLong(0L);
            }
            while (buffer.hasRemaining()) {
                buffer.put((byte) 0);
            }
        }

        @Override
        public void close() {
            wipeKeys();
            device.zero(keysDevice, stream);
            device.synchronize(stream);
            keysHost.close();
            keysDevice.close();
            outHost.close();
            outDevice.close();
            stream.close();
        }
    }
}
