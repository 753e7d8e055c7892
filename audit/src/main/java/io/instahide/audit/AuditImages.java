package io.instahide.audit;

import io.instahide.clients.IdxDataset;
import io.instahide.clients.ImageDataset;
import io.instahide.clients.PatchSampler;
import io.instahide.clients.PhotoPatches;
import io.instahide.core.ImageSet;
import io.instahide.core.ImageShape;
import io.instahide.core.Normalizer;
import io.instahide.core.U8ImageList;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The images an audit attacks: the private images (the secret; ids 0..n-1, their index) and a
 * public pool to mix them with, each with the normalisation a user of the product would pick.
 *
 * @param name shown in the report
 * @param privateNormalizer the private images' normalisation ({@code normalizer.private})
 * @param poolNormalizer the pool's ({@code normalizer.public})
 */
public record AuditImages(
        String name,
        U8ImageList privates,
        Normalizer privateNormalizer,
        U8ImageList pool,
        Normalizer poolNormalizer) {

    /** Pool images get ids from here on, so that no id is both private and public. */
    public static final long POOL_ID_BASE = 1L << 40;

    public ImageShape shape() {
        return privates.shape();
    }

    /**
     * {@code n} random MNIST test digits (MNIST normalisation), and {@code poolSize} Fashion-MNIST
     * training images as the pool (their own statistics), as in the accuracy benchmark.
     */
    public static AuditImages mnist(Path datasets, int n, int poolSize, long seed)
            throws IOException {
        Normalizer clothesStatistics =
                Normalizer.custom(new float[] {0.2860f}, new float[] {0.3530f});
        return of(
                "MNIST",
                IdxDataset.read(datasets.resolve("mnist"), "t10k", 10_000),
                Normalizer.mnist(),
                n,
                IdxDataset.read(datasets.resolve("fashion-mnist"), "train", poolSize),
                clothesStatistics,
                seed);
    }

    /**
     * {@code n} images drawn at random (by {@code seed}) from {@code test}, with every image of
     * {@code pool} as the public pool, each set with its normalisation.
     */
    public static AuditImages of(
            String name,
            IdxDataset test,
            Normalizer privateNormalizer,
            int n,
            ImageDataset pool,
            Normalizer poolNormalizer,
            long seed) {
        ImageShape shape = new ImageShape(1, test.height(), test.width());
        U8ImageList privates = new U8ImageList(shape, privateNormalizer, n);
        IdxDataset chosen = test.shuffled(seed).head(n);
        for (int i = 0; i < n; i++) {
            privates.add(i, chosen.label(i), chosen.image(i));
        }
        int[] poolShape = pool.shape();
        U8ImageList poolImages =
                new U8ImageList(
                        new ImageShape(poolShape[0], poolShape[1], poolShape[2]),
                        poolNormalizer,
                        Math.max(1, pool.size()));
        for (int i = 0; i < pool.size(); i++) {
            poolImages.add(POOL_ID_BASE + i, ImageSet.NO_LABEL, pool.image(i));
        }
        return new AuditImages(name, privates, privateNormalizer, poolImages, poolNormalizer);
    }

    /**
     * Textured 3×32×32 patches of natural photos (CIFAR normalisation, the job's default): {@code
     * n} private patches from {@code privatePhotos}, a pool of up to {@code poolSize} from {@code
     * poolPhotos} (disjoint photos), as the InstaHide challenge built its public set.
     */
    public static AuditImages photos(
            Path directory,
            List<String> privatePhotos,
            List<String> poolPhotos,
            int n,
            int poolSize,
            long seed)
            throws IOException {
        PatchSampler sampler = new PatchSampler(new int[] {3, 32, 32}, 12, seed);
        U8ImageList privates = list(PhotoPatches.cut(directory, privatePhotos, n, sampler), 0);
        U8ImageList pool =
                list(PhotoPatches.cut(directory, poolPhotos, poolSize, sampler), POOL_ID_BASE);
        if (privates.size() < n) {
            throw new IOException(
                    "Only " + privates.size() + " textured patches in " + privatePhotos);
        }
        return new AuditImages(
                "natural-photo patches", privates, Normalizer.cifar(), pool, Normalizer.cifar());
    }

    private static U8ImageList list(PhotoPatches patches, long firstId) {
        int[] chw = patches.shape();
        ImageShape shape = new ImageShape(chw[0], chw[1], chw[2]);
        U8ImageList list = new U8ImageList(shape, Normalizer.cifar(), Math.max(1, patches.size()));
        for (int i = 0; i < patches.size(); i++) {
            list.add(firstId + i, ImageSet.NO_LABEL, patches.image(i));
        }
        return list;
    }
}
