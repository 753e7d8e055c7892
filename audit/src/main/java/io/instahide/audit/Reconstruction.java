package io.instahide.audit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One end-to-end attack on an {@link EncryptedSet}: group the encryptions (by the oracle, or by
 * {@link GreedyClustering}), then fit one image per group ({@link PrivateImageReconstruction}).
 *
 * @param images the reconstructed images, normalised units, [group][value]
 * @param truth for each group, the private image it is scored against (for the oracle: itself; for
 *     clusters: the image most of its encryptions encrypt)
 * @param clusteringAccuracy fraction of encryptions in a group of their own image (1 for the
 *     oracle)
 */
public record Reconstruction(double[][] images, int[] truth, double clusteringAccuracy) {

    /** Gradient steps of the fit and its step size (normalised pixel units). */
    public record Fit(int iterations, double learningRate) {}

    /**
     * The oracle attack: it is told which private images each encryption mixes and their
     * coefficients, an upper bound on what grouping can achieve.
     */
    public static Reconstruction oracle(EncryptedSet set, int privateImages, Fit fit) {
        List<Observation> observations = new ArrayList<>(set.size());
        for (int j = 0; j < set.size(); j++) {
            observations.add(
                    new Observation(
                            set.encryptions().get(j),
                            set.privateIds()[j],
                            set.privateLambdas()[j]));
        }
        double[][] images =
                new PrivateImageReconstruction(
                                privateImages,
                                set.encryptions().get(0).length,
                                set.parameters().masked())
                        .fit(observations, fit.iterations(), fit.learningRate());
        int[] truth = new int[privateImages];
        Arrays.setAll(truth, i -> i);
        return new Reconstruction(images, truth, 1.0);
    }

    /**
     * Without the oracle: clusters of at most T encryptions by the similarity of their absolute
     * values, each cluster taken to share one private image with the coefficient of slot 0 (the
     * soft label reveals the coefficients; granting the right one of them favours the attack). The
     * other private images of an encryption are noise to this fit.
     */
    public static Reconstruction clustered(EncryptedSet set, Fit fit) {
        return grouped(
                set, GreedyClustering.cluster(set.encryptions(), set.encryptionsPerImage()), fit);
    }

    /**
     * With a grouping found some other way ({@code labels[j]}: the group of encryption j, groups
     * numbered from 0), e.g. from the output's order ({@link OrderAttack}): one image fitted per
     * group as in {@link #clustered}.
     */
    public static Reconstruction grouped(EncryptedSet set, int[] labels, Fit fit) {
        int clusters = Arrays.stream(labels).max().orElse(-1) + 1;
        List<Observation> observations = new ArrayList<>(set.size());
        for (int j = 0; j < set.size(); j++) {
            observations.add(
                    new Observation(
                            set.encryptions().get(j),
                            new int[] {labels[j]},
                            new double[] {set.privateLambdas()[j][0]}));
        }
        double[][] images =
                new PrivateImageReconstruction(
                                clusters,
                                set.encryptions().get(0).length,
                                set.parameters().masked())
                        .fit(observations, fit.iterations(), fit.learningRate());
        return new Reconstruction(
                images,
                GreedyClustering.majority(labels, set.owners()),
                GreedyClustering.accuracy(labels, set.owners()));
    }
}
