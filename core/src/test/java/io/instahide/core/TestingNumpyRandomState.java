package io.instahide.core;

/**
 * A test-only replay of NumPy's legacy {@code RandomState}: MT19937 seeded with {@code
 * init_genrand}, 53-bit doubles from two 32-bit outputs, and the Marsaglia polar Gaussian that
 * caches its second value. Reproduces the reference's coefficient draws exactly. Insecure by design
 * (a 32-bit seed was how the InstaHide challenge was broken): never used outside tests.
 */
final class TestingNumpyRandomState {

    private static final int N = 624;
    private static final int M = 397;

    private final int[] mt = new int[N];
    private int index;
    private boolean hasGauss;
    private double gauss;

    TestingNumpyRandomState(long seed) {
        mt[0] = (int) seed;
        for (int i = 1; i < N; i++) {
            mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        }
        index = N;
    }

    /** An independent copy of the current state. */
    TestingNumpyRandomState copy() {
        TestingNumpyRandomState copy = new TestingNumpyRandomState(0);
        System.arraycopy(mt, 0, copy.mt, 0, N);
        copy.index = index;
        copy.hasGauss = hasGauss;
        copy.gauss = gauss;
        return copy;
    }

    long nextUint32() {
        if (index >= N) {
            twist();
        }
        int y = mt[index++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xFFFFFFFFL;
    }

    private void twist() {
        for (int i = 0; i < N; i++) {
            int y = (mt[i] & 0x80000000) | (mt[(i + 1) % N] & 0x7fffffff);
            mt[i] = mt[(i + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
        }
        index = 0;
    }

    double nextDouble() {
        long a = nextUint32() >>> 5;
        long b = nextUint32() >>> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    double nextGaussian() {
        if (hasGauss) {
            hasGauss = false;
            return gauss;
        }
        double x1;
        double x2;
        double r2;
        do {
            x1 = 2.0 * nextDouble() - 1.0;
            x2 = 2.0 * nextDouble() - 1.0;
            r2 = x1 * x1 + x2 * x2;
        } while (r2 >= 1.0 || r2 == 0.0);
        double f = Math.sqrt(-2.0 * Math.log(r2) / r2);
        gauss = f * x1;
        hasGauss = true;
        return f * x2;
    }
}
