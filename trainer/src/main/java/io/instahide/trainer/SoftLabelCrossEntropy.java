package io.instahide.trainer;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The soft-label cross-entropy of the scheme (spec 1.5), {@code Σ_c -t_c · log_softmax(z)_c} per
 * sample, as a DL4J loss for a softmax output layer.
 *
 * <p>DL4J's own {@code LossMCXENT} takes the softmax shortcut {@code p - t} for the gradient, which
 * is right only when every target row sums to 1. Cross-dataset InstaHide labels sum to the private
 * slots' weight (at least {@code dom}, typically about 0.44), so this loss uses the exact gradient
 * {@code p · Σ_c t_c - t}, and a numerically stable log-softmax for the score.
 */
public final class SoftLabelCrossEntropy implements ILossFunction {

    private static final long serialVersionUID = 1L;

    @Override
    public INDArray computeScoreArray(
            INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        requireSoftmax(activationFn);
        INDArray shifted = preOutput.subColumnVector(preOutput.max(true, 1));
        INDArray logSumExp = Transforms.log(Transforms.exp(shifted, true).sum(true, 1), false);
        INDArray logSoftmax = shifted.subiColumnVector(logSumExp);
        INDArray scores = logSoftmax.muli(labels.castTo(logSoftmax.dataType())).sum(true, 1).negi();
        return mask == null ? scores : scores.muliColumnVector(mask.castTo(scores.dataType()));
    }

    @Override
    public double computeScore(
            INDArray labels,
            INDArray preOutput,
            IActivation activationFn,
            INDArray mask,
            boolean average) {
        double sum =
                computeScoreArray(labels, preOutput, activationFn, mask).sumNumber().doubleValue();
        return average ? sum / preOutput.size(0) : sum;
    }

    @Override
    public INDArray computeGradient(
            INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        requireSoftmax(activationFn);
        INDArray probabilities = activationFn.getActivation(preOutput.dup(), true);
        INDArray targets = labels.castTo(probabilities.dataType());
        INDArray gradient = probabilities.muliColumnVector(targets.sum(true, 1)).subi(targets);
        return mask == null
                ? gradient
                : gradient.muliColumnVector(mask.castTo(gradient.dataType()));
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(
            INDArray labels,
            INDArray preOutput,
            IActivation activationFn,
            INDArray mask,
            boolean average) {
        return new Pair<>(
                computeScore(labels, preOutput, activationFn, mask, average),
                computeGradient(labels, preOutput, activationFn, mask));
    }

    @Override
    public String name() {
        return "SoftLabelCrossEntropy";
    }

    private static void requireSoftmax(IActivation activationFn) {
        if (!(activationFn instanceof ActivationSoftmax)) {
            throw new IllegalArgumentException(
                    "SoftLabelCrossEntropy needs a softmax output layer, got " + activationFn);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SoftLabelCrossEntropy;
    }

    @Override
    public int hashCode() {
        return SoftLabelCrossEntropy.class.hashCode();
    }

    @Override
    public String toString() {
        return name() + "()";
    }
}
