package io.instahide.trainer;

import io.instahide.core.ReferenceVectors;
import io.instahide.core.SoftLabelLoss;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SoftLabelCrossEntropyTest {

    private static final int CLASSES = 3;
    private final SoftLabelCrossEntropy loss = new SoftLabelCrossEntropy();

    private static INDArray matrix(float[] values, int columns) {
        return Nd4j.create(values, new long[] {values.length / columns, columns}, 'c')
                .castTo(DataType.DOUBLE);
    }

    private double meanScore(float[] logits, float[] targets) {
        return loss.computeScore(
                matrix(targets, CLASSES),
                matrix(logits, CLASSES),
                new ActivationSoftmax(),
                null,
                true);
    }

    @Test
    void scoreMatchesTheReferenceLoss() {
        float[] logits =
                ReferenceVectors.floats(
                        ReferenceVectors.block("mixing_inside_k4_loss").get("logits"));
        float[] targets =
                ReferenceVectors.floats(
                        ReferenceVectors.block("mixing_inside_k4").get("soft_targets"));
        double expected =
                ReferenceVectors.block("mixing_inside_k4_loss").get("loss_float32").asDouble();

        assertThat(meanScore(logits, targets)).isCloseTo(expected, within(1e-6));
    }

    @Test
    void crossDatasetLabelsThatSumBelowOneKeepTheExactLoss() {
        float[] logits =
                ReferenceVectors.floats(
                        ReferenceVectors.block("mixing_inside_k4_loss").get("logits"));
        float[] targets =
                ReferenceVectors.floats(
                        ReferenceVectors.block("mixing_cross_k6_pair").get("soft_targets"));
        assertThat(targets[0] + targets[1] + targets[2]).isLessThan(1f);

        assertThat(meanScore(logits, targets))
                .isCloseTo(SoftLabelLoss.mean(logits, targets, CLASSES), within(1e-9));
    }

    @Test
    void gradientIsTheDerivativeOfTheScoreEvenWhenLabelsSumBelowOne() {
        INDArray logits = matrix(new float[] {0.3f, -1.2f, 2.0f, 0.5f, 0.1f, -0.4f}, CLASSES);
        INDArray targets = matrix(new float[] {0.25f, 0f, 0.19f, 0f, 0.3f, 0.14f}, CLASSES);
        INDArray gradient =
                loss.computeGradient(targets, logits.dup(), new ActivationSoftmax(), null);

        double h = 1e-6;
        for (int i = 0; i < 2; i++) {
            for (int c = 0; c < CLASSES; c++) {
                INDArray up = logits.dup();
                up.putScalar(i, c, up.getDouble(i, c) + h);
                INDArray down = logits.dup();
                down.putScalar(i, c, down.getDouble(i, c) - h);
                double numeric =
                        (loss.computeScore(targets, up, new ActivationSoftmax(), null, false)
                                        - loss.computeScore(
                                                targets,
                                                down,
                                                new ActivationSoftmax(),
                                                null,
                                                false))
                                / (2 * h);
                assertThat(gradient.getDouble(i, c)).isCloseTo(numeric, within(1e-6));
            }
        }
        // DL4J's own cross-entropy takes the p - t shortcut, which is wrong for these labels.
        INDArray shortcut =
                new LossMCXENT()
                        .computeGradient(targets, logits.dup(), new ActivationSoftmax(), null);
        assertThat(shortcut.sub(gradient).amaxNumber().doubleValue()).isGreaterThan(0.1);
    }

    @Test
    void maskedExamplesContributeNothing() {
        INDArray logits = matrix(new float[] {0.3f, -1.2f, 2.0f, 0.5f, 0.1f, -0.4f}, CLASSES);
        INDArray targets = matrix(new float[] {1f, 0f, 0f, 0f, 1f, 0f}, CLASSES);
        INDArray mask = Nd4j.create(new double[] {1, 0}, new long[] {2, 1});

        INDArray scores = loss.computeScoreArray(targets, logits, new ActivationSoftmax(), mask);
        INDArray gradient = loss.computeGradient(targets, logits, new ActivationSoftmax(), mask);

        assertThat(scores.getDouble(0, 0)).isGreaterThan(0);
        assertThat(scores.getDouble(1, 0)).isZero();
        assertThat(gradient.getRow(1).amaxNumber().doubleValue()).isZero();
    }

    @Test
    void refusesAnOutputThatIsNotSoftmax() {
        INDArray x = matrix(new float[] {0f, 1f, 2f}, CLASSES);
        assertThatThrownBy(() -> loss.computeScore(x, x, new ActivationIdentity(), null, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("softmax");
    }
}
