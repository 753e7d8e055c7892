package io.instahide.audit;

/**
 * How close a reconstruction is to the original: SSIM as Wang et al. (2004) define it, with an
 * 11×11 Gaussian window of σ = 1.5, K1 = 0.01, K2 = 0.03, population (co)variances, averaged over
 * the positions where the window fits inside the image and then over channels (the definition of
 * scikit-image's {@code structural_similarity(gaussian_weights=True, sigma=1.5,
 * use_sample_covariance=False)}, which the InstaHide challenge's scoring used); and the L2
 * distance. Images are channel-major (C×H×W) arrays.
 */
public final class ImageSimilarity {

    private static final double SIGMA = 1.5;
    private static final int RADIUS = 5;
    private static final double K1 = 0.01;
    private static final double K2 = 0.03;
    private static final double[] WEIGHTS = gaussian();

    private ImageSimilarity() {}

    /**
     * Mean SSIM of two C×H×W images whose values span {@code dataRange} (255 for bytes, 1 for [0,
     * 1], 2 for [−1, 1]). H and W must be at least 11.
     */
    public static double ssim(
            double[] a, double[] b, int channels, int height, int width, double dataRange) {
        checkShape(a, b, channels, height, width);
        int window = 2 * RADIUS + 1;
        if (height < window || width < window) {
            throw new IllegalArgumentException(
                    "SSIM needs images of at least "
                            + window
                            + "×"
                            + window
                            + ", not "
                            + height
                            + "×"
                            + width);
        }
        double c1 = (K1 * dataRange) * (K1 * dataRange);
        double c2 = (K2 * dataRange) * (K2 * dataRange);
        int plane = height * width;
        double sum = 0;
        for (int c = 0; c < channels; c++) {
            sum += planeSsim(a, b, c * plane, height, width, c1, c2);
        }
        return sum / channels;
    }

    /** Euclidean distance √Σ(a−b)². */
    public static double l2(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(
                    "Images differ in size: " + a.length + " vs " + b.length);
        }
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            sum += d * d;
        }
        return Math.sqrt(sum);
    }

    private static double planeSsim(
            double[] a, double[] b, int offset, int height, int width, double c1, double c2) {
        int rows = height - 2 * RADIUS;
        int cols = width - 2 * RADIUS;
        double[] meanA = filter(a, b, offset, height, width, Product.A);
        double[] meanB = filter(a, b, offset, height, width, Product.B);
        double[] meanAa = filter(a, b, offset, height, width, Product.AA);
        double[] meanBb = filter(a, b, offset, height, width, Product.BB);
        double[] meanAb = filter(a, b, offset, height, width, Product.AB);
        double sum = 0;
        for (int i = 0; i < rows * cols; i++) {
            double ua = meanA[i];
            double ub = meanB[i];
            double va = meanAa[i] - ua * ua;
            double vb = meanBb[i] - ub * ub;
            double cov = meanAb[i] - ua * ub;
            sum +=
                    ((2 * ua * ub + c1) * (2 * cov + c2))
                            / ((ua * ua + ub * ub + c1) * (va + vb + c2));
        }
        return sum / (rows * cols);
    }

    /** What a filtered map averages: a, b, a², b² or ab. */
    private enum Product {
        A,
        B,
        AA,
        BB,
        AB;

        double of(double x, double y) {
            return switch (this) {
                case A -> x;
                case B -> y;
                case AA -> x * x;
                case BB -> y * y;
                case AB -> x * y;
            };
        }
    }

    /**
     * The Gaussian-weighted local mean of {@code product} at every position where the window fits
     * (separable: along rows, then along columns); (H−10)×(W−10) values, row-major.
     */
    private static double[] filter(
            double[] a, double[] b, int offset, int height, int width, Product product) {
        int cols = width - 2 * RADIUS;
        double[] rowsFiltered = new double[height * cols];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < cols; x++) {
                double sum = 0;
                for (int k = 0; k < WEIGHTS.length; k++) {
                    int i = offset + y * width + x + k;
                    sum += WEIGHTS[k] * product.of(a[i], b[i]);
                }
                rowsFiltered[y * cols + x] = sum;
            }
        }
        int rows = height - 2 * RADIUS;
        double[] filtered = new double[rows * cols];
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < cols; x++) {
                double sum = 0;
                for (int k = 0; k < WEIGHTS.length; k++) {
                    sum += WEIGHTS[k] * rowsFiltered[(y + k) * cols + x];
                }
                filtered[y * cols + x] = sum;
            }
        }
        return filtered;
    }

    private static double[] gaussian() {
        double[] weights = new double[2 * RADIUS + 1];
        double total = 0;
        for (int k = -RADIUS; k <= RADIUS; k++) {
            weights[k + RADIUS] = Math.exp(-0.5 * k * k / (SIGMA * SIGMA));
            total += weights[k + RADIUS];
        }
        for (int k = 0; k < weights.length; k++) {
            weights[k] /= total;
        }
        return weights;
    }

    private static void checkShape(double[] a, double[] b, int channels, int height, int width) {
        int size = channels * height * width;
        if (a.length != size || b.length != size) {
            throw new IllegalArgumentException(
                    "Expected two images of "
                            + channels
                            + "×"
                            + height
                            + "×"
                            + width
                            + " = "
                            + size
                            + " values, got "
                            + a.length
                            + " and "
                            + b.length);
        }
    }
}
