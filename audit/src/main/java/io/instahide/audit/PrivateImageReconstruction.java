package io.instahide.audit;

import java.util.Arrays;
import java.util.List;

/**
 * The reconstruction step of Carlini et al. ("Is Private Learning Possible with Instance
 * Encoding?", IEEE S&amp;P 2021), as a least-squares fit by gradient descent (Adam) of the private
 * images to their encryptions. For encryption j with private images x_s and coefficients λ_s, the
 * model is m_j = Σ λ_s x_s; everything else in it (public images) is treated as noise.
 *
 * <ul>
 *   <li>Without a mask (Mixup) the loss is Σ_j ‖e_j − m_j‖².
 *   <li>With the sign mask only |e_j| is known: the public part of a pixel is either |e| − m or
 *       −|e| − m, and the attack takes the smaller, i.e. the loss Σ_j ‖|e_j| − |m_j|‖². It cannot
 *       tell an image from its negative when no public image anchors the sign.
 * </ul>
 */
public final class PrivateImageReconstruction {

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;

    private final int images;
    private final int size;
    private final boolean masked;

    /**
     * @param images how many private images the observations refer to (ids 0..images-1)
     * @param size values per image (C·H·W)
     * @param masked whether the encryptions carry InstaHide's sign mask
     */
    public PrivateImageReconstruction(int images, int size, boolean masked) {
        this.images = images;
        this.size = size;
        this.masked = masked;
    }

    /** Fits the private images to {@code observations}; returns them as [image][value]. */
    public double[][] fit(List<Observation> observations, int iterations, double learningRate) {
        double[][] x = initialGuess(observations);
        double[][] gradient = new double[images][size];
        double[][] m1 = new double[images][size];
        double[][] m2 = new double[images][size];
        double[] model = new double[size];
        for (int step = 1; step <= iterations; step++) {
            for (double[] g : gradient) {
                Arrays.fill(g, 0);
            }
            for (Observation o : observations) {
                model(o, x, model);
                for (int p = 0; p < size; p++) {
                    double e = o.pixels()[p];
                    double residual =
                            masked
                                    ? (Math.abs(model[p]) - Math.abs(e)) * Math.signum(model[p])
                                    : model[p] - e;
                    for (int s = 0; s < o.privateIds().length; s++) {
                        gradient[o.privateIds()[s]][p] += 2 * o.lambdas()[s] * residual;
                    }
                }
            }
            double correction1 = 1 - Math.pow(BETA1, step);
            double correction2 = 1 - Math.pow(BETA2, step);
            for (int i = 0; i < images; i++) {
                for (int p = 0; p < size; p++) {
                    double g = gradient[i][p] / observations.size();
                    m1[i][p] = BETA1 * m1[i][p] + (1 - BETA1) * g;
                    m2[i][p] = BETA2 * m2[i][p] + (1 - BETA2) * g * g;
                    x[i][p] -=
                            learningRate
                                    * (m1[i][p] / correction1)
                                    / (Math.sqrt(m2[i][p] / correction2) + EPSILON);
                }
            }
        }
        return x;
    }

    /** The loss the fit minimises, for progress reports and tests. */
    public double loss(List<Observation> observations, double[][] x) {
        double[] model = new double[size];
        double sum = 0;
        for (Observation o : observations) {
            model(o, x, model);
            for (int p = 0; p < size; p++) {
                double e = o.pixels()[p];
                double d = masked ? Math.abs(model[p]) - Math.abs(e) : model[p] - e;
                sum += d * d;
            }
        }
        return sum / observations.size();
    }

    private void model(Observation o, double[][] x, double[] model) {
        Arrays.fill(model, 0);
        for (int s = 0; s < o.privateIds().length; s++) {
            double lambda = o.lambdas()[s];
            double[] image = x[o.privateIds()[s]];
            for (int p = 0; p < size; p++) {
                model[p] += lambda * image[p];
            }
        }
    }

    /**
     * Start: each image is the λ-weighted mean of (the absolute values of) the encryptions it is
     * in, divided by the mean weight — the image plus averaged-out partners.
     */
    private double[][] initialGuess(List<Observation> observations) {
        double[][] x = new double[images][size];
        double[] weight = new double[images];
        for (Observation o : observations) {
            for (int s = 0; s < o.privateIds().length; s++) {
                int id = o.privateIds()[s];
                double lambda = o.lambdas()[s];
                weight[id] += lambda * lambda;
                for (int p = 0; p < size; p++) {
                    double e = o.pixels()[p];
                    x[id][p] += lambda * (masked ? Math.abs(e) : e);
                }
            }
        }
        for (int i = 0; i < images; i++) {
            if (weight[i] > 0) {
                for (int p = 0; p < size; p++) {
                    x[i][p] /= weight[i];
                }
            }
        }
        return x;
    }
}
