package io.instahide.gpu.selftest;

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
import io.instahide.gpu.CudaMixer;
import io.instahide.gpu.GpuDevice;
import io.instahide.gpu.RandomImages;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The GPU mixer against the reference vectors and against the plain-Java mixer, every bit of every
 * value compared.
 */
public final class BitExactChecks {

    private final Supplier<GpuDevice> devices;

    public BitExactChecks(Supplier<GpuDevice> devices) {
        this.devices = devices;
    }

    /** Reference block {@code name}, k slots of which {@code privateSlots} private. */
    public Check reference(String name, int k, int privateSlots) {
        JsonNode inside = ReferenceVectors.block("mixing_inside_k4");
        JsonNode block = ReferenceVectors.block(name);
        FloatImageList privates =
                ReferenceBatches.images(inside.get("x"), ReferenceVectors.ints(inside.get("y")));
        FloatImageList pool =
                block.has("public")
                        ? ReferenceBatches.images(block.get("public"), null)
                        : new FloatImageList(ReferenceBatches.SHAPE, 0);
        OneTimeKeys keys = ReferenceBatches.keys(block, k, privateSlots, privates.size());
        float[] out = new float[privates.size() * ReferenceBatches.SHAPE.size()];
        try (CudaMixer mixer =
                new CudaMixer(
                        devices.get(),
                        ReferenceBatches.SHAPE,
                        k,
                        privates.size(),
                        CudaMixer.DEFAULT_CHUNK_BYTES)) {
            mixer.mix(keys, new MixSources<>(privates, privates, pool), true, out, 0);
        }
        return Check.compare(
                "reference vectors " + name, out, ReferenceVectors.floats(block.get("encrypted")));
    }

    /**
     * Three batches through the encoder on both mixers with the same (seeded) keys, the reservoir
     * and the pool changing between them as in the job.
     */
    public Check randomBatches(
            ImageShape shape, InstaHideParameters parameters, int images, int t) {
        Normalizer privateNormalizer = normalizer(shape, Normalizer.cifar());
        Normalizer publicNormalizer = normalizer(shape, Normalizer.imagenet());
        SplittableRandom random = new SplittableRandom(shape.size() * 31L + parameters.k());
        U8ImageList reservoir = RandomImages.list(shape, privateNormalizer, 64, random, 1_000_000);
        U8ImageList pool = RandomImages.list(shape, publicNormalizer, 200, random, 2_000_000);
        U8ImageList batch = new U8ImageList(shape, privateNormalizer, images);
        EncodedBatch gpu = new EncodedBatch(shape, 10);
        EncodedBatch cpu = new EncodedBatch(shape, 10);
        String name =
                String.format(
                        "%s k=%d (%d private)%s, %d images x T=%d, 3 batches",
                        shape,
                        parameters.k(),
                        parameters.privateSlots(),
                        parameters.masked() ? "" : " unmasked",
                        images,
                        t);
        Check result = null;
        try (var onGpu =
                        new InstaHideEncoder<>(
                                parameters,
                                shape,
                                10,
                                new CudaMixer(
                                        devices.get(),
                                        shape,
                                        parameters.k(),
                                        images * t,
                                        CudaMixer.DEFAULT_CHUNK_BYTES),
                                new TestingSeededKeySource(shape.size()));
                var onCpu =
                        new InstaHideEncoder<>(
                                parameters,
                                shape,
                                10,
                                new JavaMixer(shape),
                                new TestingSeededKeySource(shape.size()))) {
            for (int round = 0; round < 3; round++) {
                batch.clear();
                for (int i = 0; i < images; i++) {
                    batch.add(round * images + i, i % 10, RandomImages.image(shape, random));
                }
                onGpu.encode(new MixSources<>(batch, reservoir, pool), t, gpu);
                onCpu.encode(new MixSources<>(batch, reservoir, pool), t, cpu);
                Check batchCheck =
                        Check.compare(
                                name,
                                Arrays.copyOf(gpu.pixels(), gpu.count() * shape.size()),
                                Arrays.copyOf(cpu.pixels(), cpu.count() * shape.size()));
                result = result == null ? batchCheck : result.plus(batchCheck);
                for (int i = 0; i < 5; i++) {
                    reservoir.set(
                            random.nextInt(64),
                            3_000_000 + round * 10 + i,
                            1,
                            RandomImages.image(shape, random));
                    pool.set(
                            random.nextInt(200),
                            4_000_000 + round * 10 + i,
                            ImageSet.NO_LABEL,
                            RandomImages.image(shape, random));
                }
            }
        }
        return result;
    }

    /** {@code colour} for 3 channels, MNIST's for 1, [-1, 1] otherwise. */
    private static Normalizer normalizer(ImageShape shape, Normalizer colour) {
        return switch (shape.channels()) {
            case 3 -> colour;
            case 1 -> Normalizer.mnist();
            default -> Normalizer.symmetric();
        };
    }

    /** Values compared and the first mismatch, if any. */
    public record Check(String name, long values, long mismatches, String firstMismatch) {

        static Check compare(String name, float[] actual, float[] expected) {
            if (actual.length != expected.length) {
                return new Check(
                        name,
                        expected.length,
                        expected.length,
                        "lengths " + actual.length + " vs " + expected.length);
            }
            long mismatches = 0;
            String first = null;
            for (int i = 0; i < expected.length; i++) {
                if (Float.floatToRawIntBits(actual[i]) != Float.floatToRawIntBits(expected[i])) {
                    if (first == null) {
                        first =
                                String.format(
                                        "value %d: %s (GPU) vs %s", i, actual[i], expected[i]);
                    }
                    mismatches++;
                }
            }
            return new Check(name, expected.length, mismatches, first);
        }

        Check plus(Check other) {
            return new Check(
                    name,
                    values + other.values,
                    mismatches + other.mismatches,
                    firstMismatch != null ? firstMismatch : other.firstMismatch);
        }

        public boolean passed() {
            return mismatches == 0;
        }

        @Override
        public String toString() {
            return passed()
                    ? String.format("PASS  %s: %,d values bit-identical", name, values)
                    : String.format(
                            "FAIL  %s: %,d of %,d values differ, first at %s",
                            name, mismatches, values, firstMismatch);
        }
    }
}
