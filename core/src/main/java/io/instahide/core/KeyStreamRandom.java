package io.instahide.core;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A cryptographically secure generator for key material: the AES-256-CTR keystream under a key from
 * the operating system's entropy ({@link SecureRandom}), with fast key erasure (each refill
 * produces the next key first and overwrites the old one, and bytes are zeroed once handed out), so
 * a memory snapshot reveals neither past outputs nor past keys. AES-NI makes this several GB/s,
 * which mask bits in bulk need (spec section 3: one bit per pixel, not one call per pixel).
 *
 * <p>Not thread-safe and not serializable: create one per operator instance, in {@code open}.
 */
public final class KeyStreamRandom implements KeyMaterialSource {

    private static final int KEY_BYTES = 32;
    private static final int BLOCK_BYTES = 64 * 1024;
    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final IvParameterSpec ZERO_COUNTER = new IvParameterSpec(new byte[16]);

    private final Cipher cipher;
    private final byte[] zeros = new byte[KEY_BYTES + BLOCK_BYTES];
    private final byte[] stream = new byte[KEY_BYTES + BLOCK_BYTES];
    private final byte[] key = new byte[KEY_BYTES];
    private int position;

    private KeyStreamRandom(byte[] seedKey) {
        try {
            this.cipher = Cipher.getInstance("AES/CTR/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JVM offers no AES/CTR cipher", e);
        }
        System.arraycopy(seedKey, 0, key, 0, KEY_BYTES);
        Arrays.fill(seedKey, (byte) 0);
        refill();
    }

    /** A generator keyed from the operating system's entropy source. */
    public static KeyStreamRandom fromOsEntropy() {
        byte[] seed = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(seed);
        return new KeyStreamRandom(seed);
    }

    /**
     * A generator with a caller-chosen key: reproducible, hence insecure. For known-answer tests of
     * this class only; never used by the pipeline.
     */
    static KeyStreamRandom withKeyForTesting(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("AES-256 key must be 32 bytes");
        }
        return new KeyStreamRandom(key.clone());
    }

    private void refill() {
        try {
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), ZERO_COUNTER);
            cipher.doFinal(zeros, 0, zeros.length, stream, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR keystream failed", e);
        }
        System.arraycopy(stream, 0, key, 0, KEY_BYTES);
        Arrays.fill(stream, 0, KEY_BYTES, (byte) 0);
        position = KEY_BYTES;
    }

    @Override
    public long nextLong() {
        if (position + Long.BYTES > stream.length) {
            refill();
        }
        long value = (long) LONGS.get(stream, position);
        LONGS.set(stream, position, 0L);
        position += Long.BYTES;
        return value;
    }

    @Override
    public void nextLongs(long[] dst, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end) {
            if (position + Long.BYTES > stream.length) {
                refill();
            }
            int available = (stream.length - position) / Long.BYTES;
            int take = Math.min(available, end - i);
            int start = position;
            for (int j = 0; j < take; j++) {
                dst[i + j] = (long) LONGS.get(stream, start + j * Long.BYTES);
            }
            Arrays.fill(stream, start, start + take * Long.BYTES, (byte) 0);
            position += take * Long.BYTES;
            i += take;
        }
    }

    @Override
    public void nextBytes(byte[] bytes) {
        int i = 0;
        while (i < bytes.length) {
            if (position == stream.length) {
                refill();
            }
            int take = Math.min(stream.length - position, bytes.length - i);
            System.arraycopy(stream, position, bytes, i, take);
            Arrays.fill(stream, position, position + take, (byte) 0);
            position += take;
            i += take;
        }
    }
}
