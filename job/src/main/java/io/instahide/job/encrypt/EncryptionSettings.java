package io.instahide.job.encrypt;

import io.instahide.core.ImageShape;
import io.instahide.core.InstaHideParameters;
import io.instahide.core.Normalizer;
import io.instahide.schemas.PixelFormat;

import java.io.Serializable;
import java.time.Duration;

/**
 * What the encryption operator needs to know: scheme, shape, normalisers (private and public images
 * may use different statistics, as in the reference), labels, and the streaming knobs.
 *
 * @param shuffleWindowBytes bound of the output {@link ShuffleWindow} in bytes; 0 turns the shuffle
 *     off (audits only)
 * @param keyEscrow emit every encryption's key on {@link EncryptOperator#KEY_ESCROW} (research
 *     audits only: whoever reads it can undo the encryptions)
 * @param pixelFormat how the output samples hold their values ({@code output.pixel-format})
 */
public record EncryptionSettings(
        InstaHideParameters parameters,
        ImageShape shape,
        Normalizer privateNormalizer,
        Normalizer publicNormalizer,
        int classes,
        int encryptionsPerImage,
        int batchSize,
        Duration batchLatency,
        int reservoirSize,
        int maxWaiting,
        int maxPoolSize,
        long shuffleWindowBytes,
        MixingEngine engine,
        boolean keyEscrow,
        PixelFormat pixelFormat)
        implements Serializable {

    /**
     * The one check of the streaming knobs' bounds, for the job's options and for tools that build
     * settings directly; each message names the option that sets the value (README table).
     */
    public EncryptionSettings {
        channels("normalizer.private", privateNormalizer, shape);
        channels("normalizer.public", publicNormalizer, shape);
        atLeast("labels.classes", classes, 0);
        atLeast("instahide.encryptions-per-image", encryptionsPerImage, 1);
        atLeast("encrypt.batch-size", batchSize, 1);
        require(
                !batchLatency.isNegative() && !batchLatency.isZero(),
                "encrypt.batch-latency must be positive, got %s",
                batchLatency);
        atLeast("encrypt.reservoir-size", reservoirSize, parameters.privateSlots());
        atLeast("encrypt.max-waiting", maxWaiting, 1);
        atLeast("encrypt.max-pool-size", maxPoolSize, Math.max(1, parameters.publicSlots()));
        require(
                shuffleWindowBytes >= 0,
                "encrypt.shuffle-window must be at least 0 bytes, got %s",
                shuffleWindowBytes);
    }

    private static void channels(String option, Normalizer normalizer, ImageShape shape) {
        try {
            normalizer.checkChannels(shape.channels());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid " + option + ": " + e.getMessage(), e);
        }
    }

    private static void atLeast(String option, long value, long min) {
        require(value >= min, "%s must be at least %s, got %s", option, min, value);
    }

    private static void require(boolean condition, String message, Object... args) {
        if (!condition) {
            throw new IllegalArgumentException(String.format(message, args));
        }
    }
}
