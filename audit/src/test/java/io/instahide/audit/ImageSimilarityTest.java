package io.instahide.audit;

import org.junit.jupiter.api.Test;

import java.util.function.IntBinaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * SSIM against scikit-image 0.19.3 (Debian python3-skimage), computed on the same formula-made
 * images with {@code structural_similarity(a, b, gaussian_weights=True, sigma=1.5,
 * use_sample_covariance=False, data_range=...)} ({@code channel_axis=-1} for colour).
 */
class ImageSimilarityTest {

    private static final double SKIMAGE = 1e-12;

    @Test
    void greyImagesMatchScikitImage() {
        double[] a = grey(16, 16, (x, y) -> (x * 13 + y * 7) % 256);
        double[] b = grey(16, 16, (x, y) -> (x * 11 + y * 5 + (x * y) % 17) % 256);
        double[] c =
                grey(
                        16,
                        16,
                        (x, y) ->
                                Math.min(
                                        255,
                                        Math.max(
                                                0,
                                                (x * 13 + y * 7) % 256
                                                        + ((x + 2 * y) % 9) * 3
                                                        - 12)));
        double[] inverse = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            inverse[i] = 255 - a[i];
        }
        assertThat(ImageSimilarity.ssim(a, b, 1, 16, 16, 255))
                .isCloseTo(0.9297218956266108, within(SKIMAGE));
        assertThat(ImageSimilarity.ssim(a, c, 1, 16, 16, 255))
                .isCloseTo(0.9454245303956428, within(SKIMAGE));
        assertThat(ImageSimilarity.ssim(a, inverse, 1, 16, 16, 255))
                .isCloseTo(-0.7809116918339191, within(SKIMAGE));
    }

    @Test
    void colourImagesAverageTheChannelsAsScikitImageDoes() {
        int h = 12;
        int w = 14;
        double[] a = new double[3 * h * w];
        double[] b = new double[3 * h * w];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    a[(c * h + y) * w + x] = ((x * 3 + y * 5 + c * 40) % 256) / 255.0;
                    b[(c * h + y) * w + x] =
                            ((x * 5 + y * 3 + c * 17 + (x * y) % 7 * 9) % 256) / 255.0;
                }
            }
        }
        assertThat(ImageSimilarity.ssim(a, b, 3, h, w, 1.0))
                .isCloseTo(0.2368986281096276, within(SKIMAGE));
    }

    @Test
    void anImageIsFullySimilarToItselfAndSsimIsSymmetric() {
        double[] a = grey(20, 11, (x, y) -> (x * x + 3 * y) % 256);
        double[] b = grey(20, 11, (x, y) -> (7 * x + y * y) % 256);
        assertThat(ImageSimilarity.ssim(a, a, 1, 20, 11, 255)).isCloseTo(1.0, within(1e-12));
        assertThat(ImageSimilarity.ssim(a, b, 1, 20, 11, 255))
                .isEqualTo(ImageSimilarity.ssim(b, a, 1, 20, 11, 255))
                .isLessThan(1.0);
    }

    @Test
    void l2IsTheEuclideanDistance() {
        assertThat(ImageSimilarity.l2(new double[] {0, 0, 0}, new double[] {3, 4, 0}))
                .isEqualTo(5.0);
        assertThat(ImageSimilarity.l2(new double[] {1, 2}, new double[] {1, 2})).isZero();
    }

    @Test
    void wrongSizesAreRejectedWithTheShape() {
        assertThatThrownBy(() -> ImageSimilarity.ssim(new double[9], new double[9], 1, 3, 3, 1))
                .hasMessageContaining("at least 11×11");
        assertThatThrownBy(() -> ImageSimilarity.ssim(new double[10], new double[9], 1, 3, 3, 1))
                .hasMessageContaining("1×3×3 = 9 values");
        assertThatThrownBy(() -> ImageSimilarity.l2(new double[2], new double[3]))
                .hasMessageContaining("2 vs 3");
    }

    /** A height×width grey image from a formula of (x, y), row-major. */
    private static double[] grey(int height, int width, IntBinaryOperator pixel) {
        double[] image = new double[height * width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image[y * width + x] = pixel.applyAsInt(x, y);
            }
        }
        return image;
    }
}
