package io.instahide.gpu.selftest;

import io.instahide.core.EncodedBatch;
import io.instahide.core.ImageShape;
import io.instahide.core.InstaHideEncoder;
import io.instahide.core.InstaHideParameters;
import io.instahide.core.KeyStreamRandom;
import io.instahide.core.MixSources;
import io.instahide.core.Mixer;
import io.instahide.core.Normalizer;
import io.instahide.core.PackedImageSet;
import io.instahide.core.U8ImageList;
import io.instahide.gpu.RandomImages;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Encrypted images per second of the encryption operator's work: per batch, new images join the
 * reservoir and the batch (as arriving records do), then the encoder draws keys from the secure
 * generator and mixes. For the GPU that includes every transfer: the new images up, the keys up,
 * the encrypted floats back into the Java array the operator serialises from.
 */
final class ThroughputBench {

    private final double seconds;

    ThroughputBench(double seconds) {
        this.seconds = seconds;
    }

    /** One operator (one thread) with {@code mixers}' mixer. */
    double imagesPerSecond(
            ImageShape shape,
            InstaHideParameters parameters,
            int batchSize,
            U8ImageList pool,
            Supplier<Mixer<? super PackedImageSet>> mixers) {
        return new Operator(shape, parameters, batchSize, pool, mixers.get(), 1).run(seconds);
    }

    /** {@code threads} operators in parallel (one per core), sharing the read-only pool. */
    double imagesPerSecondOnThreads(
            ImageShape shape,
            InstaHideParameters parameters,
            int batchSize,
            U8ImageList pool,
            Supplier<Mixer<? super PackedImageSet>> mixers,
            int threads)
            throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Operator> operators = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                operators.add(
                        new Operator(shape, parameters, batchSize, pool, mixers.get(), i + 2));
            }
            List<Future<Double>> rates = new ArrayList<>();
            for (Operator operator : operators) {
                rates.add(executor.submit(() -> operator.run(seconds)));
            }
            double total = 0;
            for (Future<Double> rate : rates) {
                total += rate.get();
            }
            return total;
        } finally {
            executor.shutdownNow();
        }
    }

    /** A public pool of random images. */
    static U8ImageList pool(ImageShape shape, int size) {
        Normalizer normalizer = shape.channels() == 3 ? Normalizer.imagenet() : Normalizer.mnist();
        return RandomImages.list(shape, normalizer, size, new SplittableRandom(size), 10_000_000);
    }

    /** The state and work of one encryption operator instance. */
    private static final class Operator {
        private final InstaHideEncoder<PackedImageSet> encoder;
        private final U8ImageList reservoir;
        private final U8ImageList batch;
        private final U8ImageList pool;
        private final EncodedBatch out;
        private final byte[][] arriving;
        private final int batchSize;
        private long nextId;

        Operator(
                ImageShape shape,
                InstaHideParameters parameters,
                int batchSize,
                U8ImageList pool,
                Mixer<? super PackedImageSet> mixer,
                long seed) {
            Normalizer normalizer = shape.channels() == 3 ? Normalizer.cifar() : Normalizer.mnist();
            SplittableRandom random = new SplittableRandom(seed);
            this.encoder =
                    new InstaHideEncoder<>(
                            parameters, shape, 10, mixer, KeyStreamRandom.fromOsEntropy());
            this.reservoir = RandomImages.list(shape, normalizer, 256, random, seed << 40);
            this.batch = new U8ImageList(shape, normalizer, batchSize);
            this.pool = pool;
            this.out = new EncodedBatch(shape, 10);
            this.batchSize = batchSize;
            // Pre-drawn arriving images, so the timed loop measures encryption, not a PRNG.
            this.arriving = new byte[Math.min(2 * batchSize, 512)][];
            for (int i = 0; i < arriving.length; i++) {
                arriving[i] = RandomImages.image(shape, random);
            }
            this.nextId = (seed << 40) + 1_000;
        }

        double run(double seconds) {
            try (encoder) {
                long warmUpEnd = System.nanoTime() + (long) (Math.min(1.0, seconds / 2) * 1e9);
                for (int calls = 0; calls < 2 || System.nanoTime() < warmUpEnd; calls++) {
                    step();
                }
                long images = 0;
                long start = System.nanoTime();
                long end = start + (long) (seconds * 1e9);
                long now;
                do {
                    images += step();
                    now = System.nanoTime();
                } while (now < end);
                return images / ((now - start) / 1e9);
            }
        }

        private int step() {
            batch.clear();
            for (int i = 0; i < batchSize; i++) {
                byte[] image = arriving[(int) (nextId % arriving.length)];
                long id = nextId++;
                reservoir.set((int) (id % reservoir.size()), id, i % 10, image);
                batch.add(id, i % 10, image);
            }
            encoder.encode(new MixSources<>(batch, reservoir, pool), 1, out);
            return out.count();
        }
    }
}
