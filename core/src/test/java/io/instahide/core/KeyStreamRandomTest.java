package io.instahide.core;

import org.junit.jupiter.api.Test;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class KeyStreamRandomTest {

    @Test
    void outputIsTheAesCtrKeystreamAfterTheErasedKey() throws Exception {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) i;
        }
        Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
        aes.init(
                Cipher.ENCRYPT_MODE,
                new SecretKeySpec(key, "AES"),
                new IvParameterSpec(new byte[16]));
        byte[] expected = aes.doFinal(new byte[32 + 16]);

        KeyStreamRandom random = KeyStreamRandom.withKeyForTesting(key);

        // The first 32 keystream bytes become the next key and are never output.
        ByteBuffer tail = ByteBuffer.wrap(expected, 32, 16).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(random.nextLong()).isEqualTo(tail.getLong());
        assertThat(random.nextLong()).isEqualTo(tail.getLong());
    }

    @Test
    void bulkAndSingleReadsContinueOneStreamAcrossRefills() {
        byte[] key = new byte[32];
        key[0] = 42;
        KeyStreamRandom single = KeyStreamRandom.withKeyForTesting(key);
        KeyStreamRandom bulk = KeyStreamRandom.withKeyForTesting(key);
        int n = 3 * 64 * 1024 / 8 + 5; // crosses two refills

        long[] expected = new long[n];
        for (int i = 0; i < n; i++) {
            expected[i] = single.nextLong();
        }
        long[] actual = new long[n];
        bulk.nextLongs(actual, 0, 7);
        bulk.nextLongs(actual, 7, n - 7);

        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void independentlySeededGeneratorsDiffer() {
        long[] a = new long[4];
        long[] b = new long[4];
        KeyStreamRandom.fromOsEntropy().nextLongs(a, 0, 4);
        KeyStreamRandom.fromOsEntropy().nextLongs(b, 0, 4);

        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void maskBitsAreBalancedOverallAndPerBitPosition() {
        KeyStreamRandom random = KeyStreamRandom.fromOsEntropy();
        long[] words = new long[200_000];
        random.nextLongs(words, 0, words.length);

        long ones = 0;
        long[] perPosition = new long[64];
        for (long word : words) {
            ones += Long.bitCount(word);
            for (int bit = 0; bit < 64; bit++) {
                perPosition[bit] += (word >>> bit) & 1;
            }
        }

        StatBounds.assertProportion("all mask bits", ones, 64L * words.length, 0.5, 0);
        for (int bit = 0; bit < 64; bit++) {
            StatBounds.assertProportion("bit " + bit, perPosition[bit], words.length, 0.5, 0);
        }
    }

    @Test
    void consumedBytesAreErasedFromTheBuffer() throws Exception {
        KeyStreamRandom random = KeyStreamRandom.withKeyForTesting(new byte[32]);
        byte[] out = new byte[1000];
        random.nextBytes(out);

        java.lang.reflect.Field field = KeyStreamRandom.class.getDeclaredField("stream");
        field.setAccessible(true);
        byte[] stream = (byte[]) field.get(random);

        assertThat(Arrays.copyOfRange(stream, 0, 32 + 1000)).containsOnly((byte) 0);
        assertThat(out).isNotEqualTo(new byte[1000]);
    }
}
