package io.instahide.schemas.codec;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The id by which the key escrow names a private image: the first 8 bytes of the SHA-256 of its
 * raw-images record value (the Avro single-object encoding of the {@code ImageRecord}). The job
 * computes it only when key escrow is on; an export tool recomputes it from the raw topic to find
 * the ground-truth image. Equal records get equal ids, which is right: they are the same image.
 */
public final class ImageSourceId {

    private ImageSourceId() {}

    public static long of(byte[] recordValue) {
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(recordValue))
                    .getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    /** As written in {@code EscrowedKey.imageIds}. */
    public static String format(long id) {
        return String.format("raw:%016x", id);
    }
}
