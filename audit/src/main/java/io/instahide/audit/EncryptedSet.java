package io.instahide.audit;

import io.instahide.core.EncodedBatch;
import io.instahide.core.InstaHideEncoder;
import io.instahide.core.InstaHideParameters;
import io.instahide.core.JavaMixer;
import io.instahide.core.KeyEscrow;
import io.instahide.core.KeyStreamRandom;
import io.instahide.core.MixSources;

import java.util.ArrayList;
import java.util.List;

/**
 * Encryptions of an audit's private images made by the product's own encoder (secure keys, T
 * encryptions of every image, private partners drawn from the same images as the challenge did),
 * with the ground truth its key escrow reveals.
 *
 * @param parameters the scheme
 * @param encryptionsPerImage T
 * @param encryptions what an attacker sees, C·H·W floats each
 * @param owners the image each encryption encrypts (slot 0)
 * @param privateIds the private images each encryption mixes, slot by slot
 * @param privateLambdas their coefficients (the soft label reveals them)
 */
public record EncryptedSet(
        InstaHideParameters parameters,
        int encryptionsPerImage,
        List<float[]> encryptions,
        int[] owners,
        int[][] privateIds,
        double[][] privateLambdas) {

    /** Encrypts every private image of {@code images} T times. */
    public static EncryptedSet encrypt(
            AuditImages images, InstaHideParameters parameters, int encryptionsPerImage) {
        int n = images.privates().size();
        int total = n * encryptionsPerImage;
        int kPriv = parameters.privateSlots();
        int[][] privateIds = new int[total][];
        double[][] privateLambdas = new double[total][];
        KeyEscrow escrow =
                key -> {
                    int[] ids = new int[kPriv];
                    double[] lambdas = new double[kPriv];
                    for (int s = 0; s < kPriv; s++) {
                        ids[s] = Math.toIntExact(key.imageIds()[s]);
                        lambdas[s] = key.lambdas()[s];
                    }
                    privateIds[key.sample()] = ids;
                    privateLambdas[key.sample()] = lambdas;
                };
        EncodedBatch out = new EncodedBatch(images.shape(), 0);
        try (var encoder =
                new InstaHideEncoder<>(
                        parameters,
                        images.shape(),
                        0,
                        new JavaMixer(images.shape()),
                        KeyStreamRandom.fromOsEntropy())) {
            encoder.encode(
                    new MixSources<>(images.privates(), images.privates(), images.pool()),
                    encryptionsPerImage,
                    out,
                    escrow);
        }
        List<float[]> encryptions = new ArrayList<>(total);
        int[] owners = new int[total];
        for (int j = 0; j < total; j++) {
            encryptions.add(out.image(j));
            owners[j] = privateIds[j][0];
        }
        return new EncryptedSet(
                parameters, encryptionsPerImage, encryptions, owners, privateIds, privateLambdas);
    }

    public int size() {
        return encryptions.size();
    }
}
