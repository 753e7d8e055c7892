package io.instahide.schemas.codec;

/**
 * IEEE 754 half precision (binary16) conversions, as {@code numpy.float16} does them: float to half
 * rounds to nearest, ties to even, overflows to infinity and keeps NaN a NaN; half to float is
 * exact. (Java 17 has no {@code Float.floatToFloat16}.)
 */
public final class HalfFloat {

    /** Bits of the smallest float that rounds to half infinity (65520, halfway past 65504). */
    private static final int OVERFLOW = 0x477ff000;

    /** Bits of 2^-14, the smallest normal half. */
    private static final int SMALLEST_NORMAL = 0x38800000;

    /** 0.5f: adding it to a value below 2^-14 rounds the sum to a multiple of 2^-24. */
    private static final int SUBNORMAL_MAGIC = 0x3f000000;

    private HalfFloat() {}

    /** The half nearest to {@code value} (ties to even), as its 16 bits. */
    public static short fromFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & 0x7fffffff;
        int half;
        if (abs > 0x7f800000) {
            half = 0x7e00 | ((abs >>> 13) & 0x3ff); // NaN stays a (quiet) NaN
        } else if (abs >= OVERFLOW) {
            half = 0x7c00;
        } else if (abs < SMALLEST_NORMAL) {
            float sum = Float.intBitsToFloat(abs) + Float.intBitsToFloat(SUBNORMAL_MAGIC);
            half = Float.floatToRawIntBits(sum) - SUBNORMAL_MAGIC;
        } else {
            int odd = (abs >>> 13) & 1;
            // Rebias the exponent (127 -> 15) and round the 13 dropped mantissa bits to even.
            half = (abs - ((127 - 15) << 23) + 0xfff + odd) >>> 13;
        }
        return (short) (sign | half);
    }

    /** The float equal to the half with bits {@code half}. */
    public static float toFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 127 - 15) << 23) | (mantissa << 13));
    }
}
