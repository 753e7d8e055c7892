package io.instahide.schemas.codec;

import io.instahide.schemas.EncryptedSample;
import io.instahide.schemas.PixelFormat;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SamplePixelsTest {

    private static EncryptedSample sample(ByteBuffer pixels, PixelFormat format) {
        return EncryptedSample.newBuilder()
                .setSampleId("s")
                .setChannels(1)
                .setHeight(2)
                .setWidth(3)
                .setPixels(pixels)
                .setSoftLabel(List.of(1f))
                .setScheme(TestingSchemes.insideK4(format))
                .build();
    }

    private static final float[] VALUES = {0f, -1.5f, 0.1f, 3.14159f, -0.000123f, 2.5f};

    @Test
    void float32RoundTripsExactlyIn4BytesPerValue() {
        ByteBuffer bytes = SamplePixels.encode(VALUES, 0, 6, PixelFormat.FLOAT32);
        assertThat(bytes.remaining()).isEqualTo(24);
        EncryptedSample sample = sample(bytes, PixelFormat.FLOAT32);
        assertThat(SamplePixels.lengthProblem(sample)).isNull();
        assertThat(SamplePixels.decode(sample)).containsExactly(VALUES);
    }

    @Test
    void float16HalvesTheBytesAndDecodesToTheNearestHalves() {
        ByteBuffer bytes = SamplePixels.encode(VALUES, 0, 6, PixelFormat.FLOAT16);
        assertThat(bytes.remaining()).isEqualTo(12);
        EncryptedSample sample = sample(bytes, PixelFormat.FLOAT16);
        assertThat(SamplePixels.lengthProblem(sample)).isNull();
        float[] decoded = SamplePixels.decode(sample);
        for (int i = 0; i < VALUES.length; i++) {
            assertThat(decoded[i])
                    .isEqualTo(HalfFloat.toFloat(HalfFloat.fromFloat(VALUES[i])))
                    .isCloseTo(VALUES[i], org.assertj.core.data.Percentage.withPercentage(0.05));
        }
    }

    @Test
    void bytesThatDoNotFitTheShapeInTheirFormatAreNamed() {
        ByteBuffer float32Bytes = SamplePixels.encode(VALUES, 0, 6, PixelFormat.FLOAT32);
        assertThat(SamplePixels.lengthProblem(sample(float32Bytes, PixelFormat.FLOAT16)))
                .isEqualTo("24 pixel bytes for shape 1x2x3 in FLOAT16");
    }
}
