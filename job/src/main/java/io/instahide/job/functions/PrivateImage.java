package io.instahide.job.functions;

/**
 * A validated private image inside the job: CHW bytes of the stream's shape and its label. Carries
 * no device id or capture time: nothing downstream of validation can leak them. A Flink POJO.
 */
public final class PrivateImage {

    /** Channel-major (CHW) unsigned bytes, exactly the configured shape. */
    public byte[] pixels;

    /** Class index in [0, classes), or -1 for unlabelled streams. */
    public int label;

    /**
     * The image's id, assigned once at validation (partners are never the image itself): with key
     * escrow on, the {@link io.instahide.schemas.codec.ImageSourceId} of the bytes received;
     * otherwise a random number. Says nothing about the device or capture time.
     */
    public long id;

    public PrivateImage() {}

    public PrivateImage(byte[] pixels, int label, long id) {
        this.pixels = pixels;
        this.label = label;
        this.id = id;
    }
}
