package io.instahide.job.functions;

/**
 * A validated change to the public pool: CHW bytes of the stream's shape under {@code id}, or the
 * removal of {@code id} when {@code pixels} is null. A Flink POJO.
 */
public final class PoolImage {

    public String id;
    public byte[] pixels;

    public PoolImage() {}

    public PoolImage(String id, byte[] pixels) {
        this.id = id;
        this.pixels = pixels;
    }

    public boolean isRemoval() {
        return pixels == null;
    }
}
