package io.instahide.core;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static io.instahide.core.ReferenceBatches.assertSameBits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The SIMD kernel against the readable definition of mixing (normalise through the table, multiply,
 * add, flip signs, one slot at a time over the whole image), bit for bit, on images larger than a
 * tile whose channel planes are not multiples of any vector length, for every normaliser.
 */
class MixKernelTest {

    /** 3 × 37 × 53: 5,883 values, two tiles, planes of 1,961 (odd), a tail in every channel. */
    private static final ImageShape SHAPE = new ImageShape(3, 37, 53);

    @Test
    void theBuildsTestsRunTheSimdKernel() {
        assertThat(MixKernels.simdAvailable())
                .as("test JVMs start with --add-modules jdk.incubator.vector (test.jvm.args)")
                .isTrue();
        assertThat(MixKernels.best()).isInstanceOf(VectorMixKernel.class);
        assertThat(MixKernels.best().description()).startsWith("SIMD");
    }

    @Test
    void aForcedKernelIsHonouredAndAnUnknownOneRefused() {
        assertThat(MixKernels.choose("scalar")).isSameAs(MixKernels.scalar());
        assertThat(MixKernels.choose(" SIMD ")).isInstanceOf(VectorMixKernel.class);
        assertThatThrownBy(() -> MixKernels.choose("avx"))
                .hasMessageContaining("-Dinstahide.kernel must be simd or scalar");
    }

    @Test
    void bothKernelsMixBytesAsTheDefinitionDoesForEveryNormaliser() {
        Random random = new Random(5);
        List<Normalizer> normalizers =
                List.of(
                        Normalizer.cifar(),
                        Normalizer.imagenet(),
                        Normalizer.symmetric(),
                        Normalizer.custom(
                                new float[] {0.13f, 0.77f, 0.5f},
                                new float[] {0.031f, 1.7f, 0.29f}));
        for (Normalizer normalizer : normalizers) {
            U8ImageList images = randomImages(normalizer, 4, random);
            OneTimeKeys keys = randomKeys(4, images.size(), random);
            MixSources<U8ImageList> sources = new MixSources<>(images, images, images);
            float[] expected = definition(keys, sources);
            for (MixKernel kernel : List.of(MixKernels.scalar(), new VectorMixKernel())) {
                float[] actual = new float[expected.length];
                new JavaMixer(SHAPE, kernel).mix(keys, sources, true, actual, 0);
                assertSameBits(actual, expected);
            }
        }
    }

    @Test
    void bothKernelsMixNormalisedFloatsAndFlipSignsOfAnyLength() {
        Random random = new Random(6);
        for (int n = 0; n <= 200; n++) {
            float[] x = new float[n + 3];
            float[] start = new float[n + 5];
            for (int j = 0; j < x.length; j++) {
                x[j] = (float) random.nextGaussian();
            }
            for (int j = 0; j < start.length; j++) {
                start[j] = (float) random.nextGaussian();
            }
            long[] words = {0L, random.nextLong(), random.nextLong(), random.nextLong(), -1L};
            float lambda = random.nextFloat();
            float[] expected = start.clone();
            for (int j = 0; j < n; j++) {
                expected[2 + j] = expected[2 + j] + lambda * x[3 + j];
            }
            MaskBits.apply(expected, 2, n, words, 1);
            for (MixKernel kernel : List.of(MixKernels.scalar(), new VectorMixKernel())) {
                float[] actual = start.clone();
                kernel.mixFloats(x, 3, n, lambda, false, actual, 2);
                kernel.flipSigns(actual, 2, n, words, 1);
                assertSameBits(actual, expected);
            }
        }
    }

    /** Slot by slot over the whole image, as the scheme is written (spec section 1). */
    private static float[] definition(OneTimeKeys keys, MixSources<U8ImageList> sources) {
        int dim = SHAPE.size();
        float[] out = new float[keys.count() * dim];
        float[] x = new float[dim];
        for (int b = 0; b < keys.count(); b++) {
            for (int s = 0; s < keys.k(); s++) {
                keys.source(s, sources).copyNormalized(keys.sourceIndex(b, s), x, 0);
                float lambda = keys.lambda(b, s);
                for (int j = 0; j < dim; j++) {
                    out[b * dim + j] = s == 0 ? lambda * x[j] : out[b * dim + j] + lambda * x[j];
                }
            }
            MaskBits.apply(out, b * dim, dim, keys.maskArray(), b * keys.maskWords());
        }
        return out;
    }

    private static U8ImageList randomImages(Normalizer normalizer, int n, Random random) {
        U8ImageList images = new U8ImageList(SHAPE, normalizer, n);
        for (int i = 0; i < n; i++) {
            byte[] chw = new byte[SHAPE.size()];
            random.nextBytes(chw);
            images.add(i, ImageSet.NO_LABEL, chw);
        }
        return images;
    }

    private static OneTimeKeys randomKeys(int k, int images, Random random) {
        OneTimeKeys keys = new OneTimeKeys(k, 2, SHAPE, 3);
        keys.reset(3);
        for (int b = 0; b < 3; b++) {
            keys.setSelf(b, b);
            for (int s = 1; s < k; s++) {
                keys.setPartner(b, s, random.nextInt(images));
            }
            for (int s = 0; s < k; s++) {
                keys.setLambda(b, s, random.nextFloat() * 2 - 0.5f);
            }
            for (int w = 0; w < keys.maskWords(); w++) {
                keys.maskArray()[b * keys.maskWords() + w] = random.nextLong();
            }
        }
        return keys;
    }
}
