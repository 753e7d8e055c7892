package io.instahide.connectors.kafka.serde;

import io.instahide.schemas.PublicImage;

import java.util.Objects;

/**
 * One change to the public pool, read from the compacted public-images topic: an image to add or
 * replace, or (when {@code image} is null, a Kafka tombstone) the removal of {@code id}. A Flink
 * POJO.
 */
public final class PublicImageUpdate {

    public String id;
    public PublicImage image;

    public PublicImageUpdate() {}

    public PublicImageUpdate(String id, PublicImage image) {
        this.id = id;
        this.image = image;
    }

    public static PublicImageUpdate removal(String id) {
        return new PublicImageUpdate(id, null);
    }

    public boolean isRemoval() {
        return image == null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PublicImageUpdate other
                && Objects.equals(id, other.id)
                && Objects.equals(image, other.image);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, image);
    }

    @Override
    public String toString() {
        return isRemoval() ? "remove " + id : "put " + id;
    }
}
