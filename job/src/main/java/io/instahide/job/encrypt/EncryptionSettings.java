package io.instahide.job.encrypt;

import io.instahide.core.ImageShape;
import io.instahide.core.InstaHideParameters;
import io.instahide.core.Normalizer;

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
        boolean keyEscrow)
        implements Serializable {

    public EncryptionSettings {
        privateNormalizer.checkChannels(shape.channels());
        publicNormalizer.checkChannels(shape.channels());
        require(
                encryptionsPerImage >= 1,
                "encryptions-per-image must be >= 1, got %s",
                encryptionsPerImage);
        require(batchSize >= 1, "batch size must be >= 1, got %s", batchSize);
        require(
                !batchLatency.isNegative() && !batchLatency.isZero(),
                "batch latency must be positive, got %s",
                batchLatency);
        require(
                reservoirSize >= parameters.privateSlots(),
                "reservoir size %s must be at least privateSlots=%s",
                reservoirSize,
                parameters.privateSlots());
        require(maxWaiting >= 1, "waiting bound must be >= 1, got %s", maxWaiting);
        require(
                maxPoolSize >= parameters.publicSlots(),
                "pool limit %s must be at least the public slots %s",
                maxPoolSize,
                parameters.publicSlots());
        require(
                shuffleWindowBytes >= 0,
                "shuffle window must be >= 0 bytes, got %s",
                shuffleWindowBytes);
        require(classes >= 0, "classes must be >= 0, got %s", classes);
    }

    private static void require(boolean condition, String message, Object... args) {
        if (!condition) {
            throw new IllegalArgumentException(String.format(message, args));
        }
    }
}
