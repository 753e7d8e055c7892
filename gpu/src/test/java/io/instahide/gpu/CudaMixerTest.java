package io.instahide.gpu;

import io.instahide.core.EncodedBatch;
import io.instahide.core.FloatImageList;
import io.instahide.core.ImageSet;
import io.instahide.core.ImageShape;
import io.instahide.core.InstaHideEncoder;
import io.instahide.core.InstaHideParameters;
import io.instahide.core.JavaMixer;
import io.instahide.core.MixSources;
import io.instahide.core.Normalizer;
import io.instahide.core.OneTimeKeys;
import io.instahide.core.ReferenceBatches;
import io.instahide.core.ReferenceVectors;
import io.instahide.core.TestingSeededKeySource;
import io.instahide.core.U8ImageList;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static io.instahide.core.ReferenceBatches.assertSameBits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The GPU mixer's host side (mirrors, key packing, chunked pipeline over two streams) against the
 * Java mixer, bit for bit, on {@link TestingHostDevice}, whose kernel is the twin of the CUDA one.
 * The same comparisons run on a real GPU in the self-test bundle ({@code GpuSelfTest}).
 */
class CudaMixerTest {

    private static final JsonNode INSIDE = ReferenceVectors.block("mixing_inside_k4");
    private static final JsonNode CROSS = ReferenceVectors.block("mixing_cross_k6_pair");

    @Test
    void reproducesTheReferenceInsideK4BitForBit() {
        FloatImageList privates =
                ReferenceBatches.images(INSIDE.get("x"), ReferenceVectors.ints(INSIDE.get("y")));
        OneTimeKeys keys = ReferenceBatches.keys(INSIDE, 4, 4, privates.size());
        float[] out = new float[4 * ReferenceBatches.SHAPE.size()];

        try (CudaMixer mixer = mixer(ReferenceBatches.SHAPE, 4, 8, 1 << 20)) {
            mixer.mix(keys, new MixSources<>(privates, privates, emptyFloats()), true, out, 0);
        }

        assertSameBits(out, ReferenceVectors.floats(INSIDE.get("encrypted")));
    }

    @Test
    void reproducesTheReferenceCrossK6BitForBit() {
        FloatImageList privates =
                ReferenceBatches.images(INSIDE.get("x"), ReferenceVectors.ints(INSIDE.get("y")));
        FloatImageList pool = ReferenceBatches.images(CROSS.get("public"), null);
        OneTimeKeys keys = ReferenceBatches.keys(CROSS, 6, 2, privates.size());
        float[] out = new float[4 * ReferenceBatches.SHAPE.size()];

        // One sample per chunk: four chunks alternate between the two pipeline slots.
        try (CudaMixer mixer = mixer(ReferenceBatches.SHAPE, 6, 8, 1)) {
            assertThat(mixer.chunkSize()).isEqualTo(1);
            mixer.mix(keys, new MixSources<>(privates, privates, pool), true, out, 0);
        }

        assertSameBits(out, ReferenceVectors.floats(CROSS.get("encrypted")));
    }

    @ParameterizedTest(name = "{0} k={1} private={2} masked={3} chunk={4}B")
    @CsvSource({
        "1x28x28, 4, 4, true, 8388608",
        "1x28x28, 6, 2, true, 20000",
        "3x32x32, 4, 4, true, 40000",
        "3x32x32, 6, 2, false, 8388608",
        "3x5x7, 6, 3, true, 500",
        "2x9x11, 2, 1, true, 4000",
    })
    void encoderOnTheGpuMixerEqualsTheJavaMixerBitForBit(
            String shapeText, int k, int privateSlots, boolean masked, int chunkBytes) {
        ImageShape shape = ImageShape.parse(shapeText);
        InstaHideParameters parameters =
                InstaHideParameters.withDefaultBounds(k, privateSlots, masked);
        Normalizer normalizer = shape.channels() == 3 ? Normalizer.cifar() : Normalizer.symmetric();
        SplittableRandom pixels = new SplittableRandom(7);
        U8ImageList reservoir = images(shape, normalizer, 40, pixels, 1_000);
        U8ImageList pool = images(shape, Normalizer.symmetric(), 50, pixels, 5_000);
        U8ImageList batch = new U8ImageList(shape, normalizer, 16);
        EncodedBatch onGpu = new EncodedBatch(shape, 10);
        EncodedBatch onCpu = new EncodedBatch(shape, 10);

        try (var gpu =
                        new InstaHideEncoder<>(
                                parameters,
                                shape,
                                10,
                                mixer(shape, k, 64, chunkBytes),
                                new TestingSeededKeySource(11));
                var cpu =
                        new InstaHideEncoder<>(
                                parameters,
                                shape,
                                10,
                                new JavaMixer(shape),
                                new TestingSeededKeySource(11))) {
            // Three batches; between them the reservoir and the pool change as in the job.
            for (int round = 0; round < 3; round++) {
                batch.clear();
                for (int i = 0; i < 5 + round * 4; i++) {
                    batch.add(100 * round + i, i % 10, randomImage(shape, pixels));
                }
                gpu.encode(new MixSources<>(batch, reservoir, pool), 2, onGpu);
                cpu.encode(new MixSources<>(batch, reservoir, pool), 2, onCpu);

                assertThat(onGpu.count()).isEqualTo(onCpu.count()).isEqualTo(batch.size() * 2);
                assertSameBits(onGpu.pixels(), onCpu.pixels());
                reservoir.set(round, 2_000 + round, 3, randomImage(shape, pixels));
                pool.set(round * 7, 6_000 + round, ImageSet.NO_LABEL, randomImage(shape, pixels));
                pool.removeByMovingLast(round * 11 + 1);
            }
        }
    }

    @Test
    void onlyChangedImagesGoUpAfterTheFirstBatch() {
        ImageShape shape = new ImageShape(1, 28, 28);
        SplittableRandom pixels = new SplittableRandom(3);
        U8ImageList reservoir = images(shape, Normalizer.mnist(), 20, pixels, 0);
        U8ImageList pool = images(shape, Normalizer.mnist(), 500, pixels, 1_000);
        U8ImageList batch = images(shape, Normalizer.mnist(), 8, pixels, 9_000);
        InstaHideParameters parameters =
                InstaHideParameters.cross(6, 2, InstaHideParameters.DEFAULT_UPPER, 0.3);
        EncodedBatch out = new EncodedBatch(shape, 0);
        TestingHostDevice device = new TestingHostDevice();
        CudaMixer mixer = new CudaMixer(device, shape, 6, 64, CudaMixer.DEFAULT_CHUNK_BYTES);
        int dim = shape.size();

        try (var encoder =
                new InstaHideEncoder<>(
                        parameters, shape, 0, mixer, new TestingSeededKeySource(5))) {
            encoder.encode(new MixSources<>(batch, reservoir, pool), 1, out);
            long first = mixer.imageBytesUploaded();
            // Everything once, plus the three normalisation tables.
            assertThat(first).isEqualTo((8L + 20 + 500) * dim + 3L * 256 * Float.BYTES);

            encoder.encode(new MixSources<>(batch, reservoir, pool), 1, out);
            assertThat(mixer.imageBytesUploaded()).isEqualTo(first);

            pool.set(42, 77_777, ImageSet.NO_LABEL, randomImage(shape, pixels));
            reservoir.set(3, 88_888, 1, randomImage(shape, pixels));
            batch.clear();
            batch.add(99_999, 2, randomImage(shape, pixels));
            encoder.encode(new MixSources<>(batch, reservoir, pool), 1, out);
            assertThat(mixer.imageBytesUploaded() - first).isEqualTo(3L * dim);

            pool.removeByMovingLast(7);
            encoder.encode(new MixSources<>(batch, reservoir, pool), 1, out);
            assertThat(mixer.imageBytesUploaded() - first).isEqualTo(4L * dim);
        }
        assertThat(device.liveAllocations()).isZero();
    }

    @Test
    void aPoolThatOutgrowsItsDeviceBufferIsUploadedAgainWhole() {
        ImageShape shape = new ImageShape(1, 4, 4);
        SplittableRandom pixels = new SplittableRandom(4);
        U8ImageList pool = images(shape, Normalizer.symmetric(), 4, pixels, 0);
        U8ImageList batch = images(shape, Normalizer.symmetric(), 2, pixels, 100);
        OneTimeKeys keys = new OneTimeKeys(2, 1, shape, 2);
        keys.reset(2);
        for (int b = 0; b < 2; b++) {
            keys.setSelf(b, b);
            keys.setPartner(b, 1, 3);
            keys.setLambda(b, 0, 0.75f);
            keys.setLambda(b, 1, 0.25f);
        }
        float[] gpu = new float[2 * 16];
        float[] cpu = new float[2 * 16];

        try (CudaMixer mixer = mixer(shape, 2, 4, 1 << 20)) {
            mixer.mix(keys, new MixSources<>(batch, batch, pool), true, gpu, 0);
            long before = mixer.imageBytesUploaded();
            for (int i = 0; i < 5; i++) {
                pool.add(200 + i, ImageSet.NO_LABEL, randomImage(shape, pixels));
            }
            keys.setPartner(0, 1, 8);
            mixer.mix(keys, new MixSources<>(batch, batch, pool), true, gpu, 0);

            assertThat(mixer.imageBytesUploaded() - before).isEqualTo(9L * 16);
        }
        new JavaMixer(shape).mix(keys, new MixSources<>(batch, batch, pool), true, cpu, 0);
        assertSameBits(gpu, cpu);
    }

    @Test
    void refusesSetsOfMixedEncodingsWithAClearMessage() {
        ImageShape shape = new ImageShape(1, 2, 2);
        U8ImageList bytes = images(shape, Normalizer.symmetric(), 3, new SplittableRandom(1), 0);
        OneTimeKeys keys = new OneTimeKeys(2, 2, shape, 1);
        keys.reset(1);
        keys.setPartner(0, 1, 1);
        float[] out = new float[4];
        // A set the GPU cannot mirror (not a PackedImageSet) is refused by the compiler.
        try (CudaMixer mixer = mixer(shape, 2, 4, 1 << 20)) {
            assertThatThrownBy(
                            () ->
                                    mixer.mix(
                                            keys,
                                            new MixSources<>(
                                                    bytes, new FloatImageList(shape, 1), bytes),
                                            true,
                                            out,
                                            0))
                    .hasMessageContaining("one encoding");
        }
    }

    @Test
    void closingReleasesEveryBufferAndTheDevice() {
        TestingHostDevice device = new TestingHostDevice();
        ImageShape shape = new ImageShape(3, 8, 8);
        CudaMixer mixer = new CudaMixer(device, shape, 4, 32, 1 << 12);
        assertThat(device.liveAllocations()).isPositive();

        mixer.close();

        assertThat(device.liveAllocations()).isZero();
        assertThatThrownBy(device::bind).hasMessageContaining("closed");
    }

    private static CudaMixer mixer(ImageShape shape, int k, int maxBatch, int chunkBytes) {
        return new CudaMixer(new TestingHostDevice(), shape, k, maxBatch, chunkBytes);
    }

    private static FloatImageList emptyFloats() {
        return new FloatImageList(ReferenceBatches.SHAPE, 0);
    }

    private static U8ImageList images(
            ImageShape shape, Normalizer normalizer, int n, SplittableRandom random, long firstId) {
        return RandomImages.list(shape, normalizer, n, random, firstId);
    }

    private static byte[] randomImage(ImageShape shape, SplittableRandom random) {
        return RandomImages.image(shape, random);
    }
}
