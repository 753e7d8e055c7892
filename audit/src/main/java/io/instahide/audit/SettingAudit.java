package io.instahide.audit;

import io.instahide.core.InstaHideParameters;

/**
 * What the known attacks recover under one setting, for the privacy–utility sweep: InstaHide
 * settings are encrypted by the real job and attacked on its shuffled {@code encrypted-samples}
 * topic, as a trainer reads it; unmasked settings (Mixup, the insecure reference, which the job
 * does not offer) by the product's encoder.
 *
 * @param clustering the realistic attack: cluster the encryptions (at most T per group) by the
 *     correlation of their absolute values, fit one image per cluster
 * @param oracle the upper bound: told which private images each encryption mixes
 * @param throughJob whether the encryptions came from the job's output (else from the encoder)
 */
public record SettingAudit(Leakage clustering, Leakage oracle, boolean throughJob) {

    /** Encrypts {@code images} T times under {@code scheme} and runs both attacks. */
    public static SettingAudit measure(
            AuditedJob job,
            AuditImages images,
            InstaHideParameters scheme,
            int t,
            Reconstruction.Fit fit)
            throws Exception {
        boolean throughJob = scheme.masked();
        EncryptedSet set =
                throughJob
                        ? job.run(images, scheme, t, true).set()
                        : EncryptedSet.encrypt(images, scheme, t);
        boolean signAmbiguous = scheme.masked();
        return new SettingAudit(
                Leakage.score(images, Reconstruction.clustered(set, fit), signAmbiguous),
                Leakage.score(
                        images,
                        Reconstruction.oracle(set, images.privates().size(), fit),
                        signAmbiguous),
                throughJob);
    }
}
