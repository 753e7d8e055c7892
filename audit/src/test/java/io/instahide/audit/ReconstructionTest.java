package io.instahide.audit;

import io.instahide.core.InstaHideParameters;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The end-to-end attack and its scoring on synthetic images encrypted by the real encoder. */
class ReconstructionTest {

    private static final int N = 8;
    private static final Reconstruction.Fit FIT = new Reconstruction.Fit(400, 0.05);

    private final AuditImages images = SyntheticImages.auditImages(N, 10, 12, new Random(4));

    @Test
    void theOracleBreaksMixupAndTheMaskCostsTheSameAttackMuchOfItsSuccess() {
        InstaHideParameters inside = InstaHideParameters.inside(4, 0.65);
        Leakage mixup =
                Leakage.score(
                        images,
                        Reconstruction.oracle(
                                EncryptedSet.encrypt(images, inside.unmasked(), 6), N, FIT),
                        false);
        Leakage instaHide =
                Leakage.score(
                        images,
                        Reconstruction.oracle(EncryptedSet.encrypt(images, inside, 6), N, FIT),
                        true);

        assertThat(mixup.mean()).isGreaterThan(0.99);
        assertThat(mixup.reconstructed()).isEqualTo(N);
        assertThat(instaHide.mean()).isLessThan(mixup.mean() - 0.1);
    }

    @Test
    void clusteringScoresEachClusterAgainstItsMajorityImage() {
        EncryptedSet set =
                EncryptedSet.encrypt(images, InstaHideParameters.inside(4, 0.65).unmasked(), 4);
        Reconstruction attack = Reconstruction.clustered(set, FIT);

        assertThat(attack.images().length).isEqualTo(attack.truth().length);
        assertThat(attack.clusteringAccuracy()).isBetween(0.0, 1.0);
        assertThat(Arrays.stream(attack.truth()).allMatch(t -> t >= 0 && t < N)).isTrue();
        Leakage leakage = Leakage.score(images, attack, false);
        assertThat(leakage.reconstructed())
                .isEqualTo((int) Arrays.stream(attack.truth()).distinct().count());
    }

    @Test
    void scoresPerfectNegatedAndMissingReconstructions() {
        double[][] exact = new double[N][];
        double[][] negated = new double[N][];
        float[] x = new float[images.shape().size()];
        for (int i = 0; i < N; i++) {
            images.privates().copyNormalized(i, x, 0);
            exact[i] = Leakage.toDouble(x);
            negated[i] = Arrays.stream(exact[i]).map(v -> -v).toArray();
        }
        int[] all = new int[N];
        Arrays.setAll(all, i -> i);

        Leakage perfect = Leakage.score(images, new Reconstruction(exact, all, 1), false);
        assertThat(perfect.mean()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(perfect.max()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));

        assertThat(Leakage.score(images, new Reconstruction(negated, all, 1), true).mean())
                .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(Leakage.score(images, new Reconstruction(negated, all, 1), false).mean())
                .isLessThan(0.5);

        int[] half = all.clone();
        Arrays.fill(half, N / 2, N, -1); // groups no image is scored against
        Leakage partial = Leakage.score(images, new Reconstruction(exact, half, 1), false);
        assertThat(partial.reconstructed()).isEqualTo(N / 2);
        assertThat(partial.mean()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(partial.shown()[N - 1]).isNull();
    }
}
