package io.instahide.demo;

import io.instahide.clients.IdxDataset;
import io.instahide.clients.ImageDataset;
import io.instahide.clients.PhotoPatches;
import io.instahide.core.ImageShape;
import io.instahide.job.config.JobOptions;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What the throughput harness streams, by image shape: at 1×28×28 MNIST digits with a Fashion-MNIST
 * pool (the demo's stream), at colour shapes textured patches of natural photos (five photos
 * private, the five others the pool, CIFAR normalisation: camera-like images at camera sizes).
 *
 * @param defaultImages distinct images to publish when {@code --images} is not given: about the
 *     same output bytes at every shape
 */
record HarnessWorkload(
        ImageShape shape,
        String description,
        ImageDataset privates,
        ImageDataset pool,
        String poolPrefix,
        Configuration jobOptions) {

    static final List<String> PRIVATE_PHOTOS =
            List.of("astronaut.png", "chelsea.png", "coffee.png", "rocket.jpg", "ihc.png");
    static final List<String> POOL_PHOTOS =
            List.of(
                    "motorcycle_left.png",
                    "motorcycle_right.png",
                    "hubble_deep_field.jpg",
                    "retina.jpg",
                    "color.png");

    /**
     * Distinct images published by default at {@code shape}: ~120 MB of float32 output per pass.
     */
    static int defaultImages(ImageShape shape) {
        return Math.max(200, Math.min(40_000, 120_000_000 / (shape.size() * Float.BYTES)));
    }

    /** The same workload with the job's output shuffle window set to {@code window}. */
    HarnessWorkload withShuffleWindow(MemorySize window) {
        Configuration options = new Configuration(jobOptions);
        options.set(JobOptions.SHUFFLE_WINDOW, window);
        return new HarnessWorkload(shape, description, privates, pool, poolPrefix, options);
    }

    static HarnessWorkload load(ImageShape shape, int images, Path data, Configuration jobOptions)
            throws IOException {
        Configuration options = new Configuration(jobOptions);
        options.setString("image.shape", shape.toString());
        if (shape.equals(new ImageShape(1, 28, 28))) {
            return new HarnessWorkload(
                    shape,
                    "MNIST digits, Fashion-MNIST pool",
                    IdxDataset.read(data.resolve("mnist"), "train", images),
                    IdxDataset.read(data.resolve("fashion-mnist"), "train", 10_000),
                    "fashion-mnist-",
                    options);
        }
        if (shape.channels() != 3) {
            throw new IllegalArgumentException(
                    "--shape: 1x28x28 (MNIST) or a colour shape 3xHxW (photo patches), got "
                            + shape);
        }
        options.setString("normalizer.private", "cifar");
        options.setString("normalizer.public", "cifar");
        int[] chw = {shape.channels(), shape.height(), shape.width()};
        Path photos = data.resolve("photos");
        PhotoPatches privates = PhotoPatches.cut(photos, PRIVATE_PHOTOS, chw, images, 8, 1);
        PhotoPatches pool =
                PhotoPatches.cut(photos, POOL_PHOTOS, chw, Math.max(64, images / 4), 8, 2);
        return new HarnessWorkload(
                shape,
                String.format(
                        "%,d patches of 5 natural photos, a pool of %,d from 5 others",
                        privates.size(), pool.size()),
                privates,
                pool,
                "photo-",
                options);
    }
}
