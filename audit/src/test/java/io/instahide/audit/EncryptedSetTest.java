package io.instahide.audit;

import io.instahide.core.InstaHideParameters;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class EncryptedSetTest {

    private static final int N = 8;
    private static final int T = 3;

    private final AuditImages images = SyntheticImages.auditImages(N, 10, 12, new Random(2));

    @Test
    void recordsWhichImagesEachEncryptionMixesAndWithWhichCoefficients() {
        InstaHideParameters mixup = InstaHideParameters.inside(4, 0.65).unmasked();
        EncryptedSet set = EncryptedSet.encrypt(images, mixup, T);

        assertThat(set.size()).isEqualTo(N * T);
        float[][] x = new float[N][images.shape().size()];
        for (int i = 0; i < N; i++) {
            images.privates().copyNormalized(i, x[i], 0);
        }
        for (int j = 0; j < set.size(); j++) {
            assertThat(set.owners()[j]).isEqualTo(j / T);
            assertThat(set.privateIds()[j][0]).isEqualTo(set.owners()[j]);
            assertThat(Arrays.stream(set.privateIds()[j]).distinct().count()).isEqualTo(4);
            assertThat(Arrays.stream(set.privateLambdas()[j]).sum()).isCloseTo(1.0, within());
            // Unmasked, an encryption is exactly the float32 mix the ground truth describes.
            float[] expected = new float[x[0].length];
            for (int s = 0; s < 4; s++) {
                float lambda = (float) set.privateLambdas()[j][s];
                float[] image = x[set.privateIds()[j][s]];
                for (int p = 0; p < expected.length; p++) {
                    expected[p] = s == 0 ? lambda * image[p] : expected[p] + lambda * image[p];
                }
            }
            assertThat(set.encryptions().get(j)).containsExactly(expected);
        }
    }

    @Test
    void crossDatasetGroundTruthNamesOnlyThePrivateSlots() {
        EncryptedSet set =
                EncryptedSet.encrypt(images, InstaHideParameters.cross(6, 2, 0.65, 0.3), T);
        for (int j = 0; j < set.size(); j++) {
            assertThat(set.privateIds()[j]).hasSize(2);
            assertThat(Arrays.stream(set.privateIds()[j]).allMatch(id -> id >= 0 && id < N))
                    .isTrue();
            assertThat(set.privateIds()[j][1]).isNotEqualTo(set.privateIds()[j][0]);
            assertThat(set.privateLambdas()[j][0] + set.privateLambdas()[j][1])
                    .isGreaterThanOrEqualTo(0.3 - 1e-6);
        }
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-6);
    }
}
