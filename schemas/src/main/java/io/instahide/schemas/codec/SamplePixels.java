package io.instahide.schemas.codec;

import io.instahide.schemas.EncryptedSample;
import io.instahide.schemas.PixelFormat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The {@code pixels} field of an {@link EncryptedSample}: C·H·W values, CHW order, little-endian,
 * in the format its {@code scheme.pixelFormat} names (float32, or IEEE half for half the bytes).
 * The one place writers encode and readers decode them.
 */
public final class SamplePixels {

    private SamplePixels() {}

    /** Bytes of one value in {@code format}. */
    public static int bytesPerValue(PixelFormat format) {
        return format == PixelFormat.FLOAT16 ? 2 : Float.BYTES;
    }

    /** {@code count} values from {@code values[offset..]}, encoded in {@code format}. */
    public static ByteBuffer encode(float[] values, int offset, int count, PixelFormat format) {
        ByteBuffer bytes =
                ByteBuffer.allocate(count * bytesPerValue(format)).order(ByteOrder.LITTLE_ENDIAN);
        if (format == PixelFormat.FLOAT16) {
            for (int i = 0; i < count; i++) {
                bytes.putShort(i * 2, HalfFloat.fromFloat(values[offset + i]));
            }
        } else {
            bytes.asFloatBuffer().put(values, offset, count);
        }
        return bytes;
    }

    /**
     * Why the sample's pixel bytes do not hold exactly C·H·W values of its format (a reader skips
     * such a record), or null when they do.
     */
    public static String lengthProblem(EncryptedSample sample) {
        long expected =
                (long) sample.getChannels()
                        * sample.getHeight()
                        * sample.getWidth()
                        * bytesPerValue(sample.getScheme().getPixelFormat());
        int actual = sample.getPixels().remaining();
        return actual == expected
                ? null
                : String.format(
                        "%d pixel bytes for shape %dx%dx%d in %s",
                        actual,
                        sample.getChannels(),
                        sample.getHeight(),
                        sample.getWidth(),
                        sample.getScheme().getPixelFormat());
    }

    /** The sample's values as floats (exact for both formats), one per pixel byte group. */
    public static float[] decode(EncryptedSample sample) {
        ByteBuffer bytes = sample.getPixels().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (sample.getScheme().getPixelFormat() == PixelFormat.FLOAT16) {
            float[] values = new float[bytes.remaining() / 2];
            for (int i = 0; i < values.length; i++) {
                values[i] = HalfFloat.toFloat(bytes.getShort(bytes.position() + i * 2));
            }
            return values;
        }
        float[] values = new float[bytes.remaining() / Float.BYTES];
        bytes.asFloatBuffer().get(values);
        return values;
    }
}
