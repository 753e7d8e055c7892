package io.instahide.core.image;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ImageFittingLayoutTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void interleavedPixelsLandInTheirChannelsPlane(int channels) {
        int plane = 5 * 7;
        byte[] hwc = new byte[plane * channels];
        new Random(channels).nextBytes(hwc);

        byte[] chw = ImageFitting.hwcToChw(hwc, channels);

        for (int p = 0; p < plane; p++) {
            for (int c = 0; c < channels; c++) {
                assertThat(chw[c * plane + p])
                        .as("channel %d, pixel %d", c, p)
                        .isEqualTo(hwc[p * channels + c]);
            }
        }
        assertThat(ImageFitting.chwToHwc(chw, channels)).isEqualTo(hwc);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void theResultIsANewArray(int channels) {
        byte[] hwc = new byte[4 * channels];

        byte[] chw = ImageFitting.hwcToChw(hwc, channels);
        chw[0] = 9;

        assertThat(hwc[0]).isZero();
    }
}
