package io.instahide.core;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD loops through the Vector API ({@code jdk.incubator.vector}, loaded only when the JVM runs
 * with {@code --add-modules jdk.incubator.vector}). Pixel bytes are normalised by the formula
 * itself, lane-wise ({@code ((u8 / divisor) - offset) / scale}: IEEE division and subtraction, so
 * the table's bits), instead of a table lookup per pixel, which no SIMD unit does well; the mask
 * turns L mask bits into L sign bits with one variable shift. Tails shorter than a vector take the
 * scalar loops. Floats already normalised take the scalar loop, which the JIT vectorises as well.
 */
final class VectorMixKernel implements MixKernel {

    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> INTS =
            VectorSpecies.of(int.class, FLOATS.vectorShape());
    private static final VectorSpecies<Byte> BYTES =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(FLOATS.length() * Byte.SIZE));
    private static final int LANES = FLOATS.length();

    /** Lane i shifts mask bit i to the sign bit: 31 - i. */
    private static final IntVector SIGN_SHIFTS =
            IntVector.zero(INTS).addIndex(-1).add(Float.SIZE - 1);

    private final ScalarMixKernel scalar = ScalarMixKernel.INSTANCE;

    VectorMixKernel() {
        if (Long.SIZE % LANES != 0) {
            throw new IllegalStateException(LANES + " float lanes do not divide a mask word");
        }
    }

    @Override
    public void mixBytes(
            byte[] px,
            int pxOff,
            int n,
            float[] table,
            Normalizer.Formula formula,
            float lambda,
            boolean first,
            float[] acc,
            int accOff) {
        float divisor = formula.divisor();
        float offset = formula.offset();
        float scale = formula.scale();
        int bound = FLOATS.loopBound(n);
        for (int j = 0; j < bound; j += LANES) {
            FloatVector x =
                    ((IntVector)
                                    ByteVector.fromArray(BYTES, px, pxOff + j)
                                            .convertShape(VectorOperators.B2I, INTS, 0))
                            .and(0xFF)
                            .convert(VectorOperators.I2F, 0)
                            .reinterpretAsFloats()
                            .div(divisor)
                            .sub(offset)
                            .div(scale)
                            .mul(lambda);
            if (!first) {
                x = FloatVector.fromArray(FLOATS, acc, accOff + j).add(x);
            }
            x.intoArray(acc, accOff + j);
        }
        scalar.mixBytes(
                px, pxOff + bound, n - bound, table, formula, lambda, first, acc, accOff + bound);
    }

    @Override
    public void mixFloats(
            float[] x, int xOff, int n, float lambda, boolean first, float[] acc, int accOff) {
        scalar.mixFloats(x, xOff, n, lambda, first, acc, accOff);
    }

    @Override
    public void flipSigns(float[] acc, int accOff, int n, long[] words, int wordOff) {
        int bound = FLOATS.loopBound(n);
        for (int j = 0; j < bound; j += LANES) {
            int bits = (int) (words[wordOff + (j >>> 6)] >>> (j & 63));
            IntVector signs =
                    IntVector.broadcast(INTS, bits)
                            .lanewise(VectorOperators.LSHL, SIGN_SHIFTS)
                            .and(Integer.MIN_VALUE);
            FloatVector.fromArray(FLOATS, acc, accOff + j)
                    .reinterpretAsInts()
                    .lanewise(VectorOperators.XOR, signs)
                    .reinterpretAsFloats()
                    .intoArray(acc, accOff + j);
        }
        MaskBits.apply(acc, accOff, bound, n, words, wordOff);
    }

    @Override
    public String description() {
        return "SIMD (Vector API), " + LANES + " float lanes";
    }
}
