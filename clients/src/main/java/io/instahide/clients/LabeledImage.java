package io.instahide.clients;

import java.awt.image.BufferedImage;
import java.time.Instant;

/**
 * One image read by a source, or the reason it could not be read.
 *
 * @param label class index, or null when unlabelled
 * @param image the decoded image, or null when {@code problem} says why not
 */
public record LabeledImage(
        String name, Integer label, BufferedImage image, Instant time, String problem) {

    public static LabeledImage of(String name, Integer label, BufferedImage image, Instant time) {
        return new LabeledImage(name, label, image, time, null);
    }

    public static LabeledImage skipped(String name, String problem) {
        return new LabeledImage(name, null, null, null, problem);
    }

    public boolean isSkipped() {
        return problem != null;
    }
}
