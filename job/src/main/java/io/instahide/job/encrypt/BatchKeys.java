package io.instahide.job.encrypt;

import io.instahide.core.KeyEscrow;
import io.instahide.schemas.EscrowedKey;

/**
 * What the encryption operator does with the one-time keys of a micro-batch: in production nothing
 * ({@link #DISCARDED}: the encoder wipes them), in a research audit keep each one until its sample
 * is written and hand it out as the escrow topic's record ({@link #escrowed}).
 */
interface BatchKeys {

    /** Keys are never kept: the encoder's {@link KeyEscrow#NONE}. */
    BatchKeys DISCARDED =
            new BatchKeys() {
                @Override
                public KeyEscrow collect(int samples) {
                    return KeyEscrow.NONE;
                }

                @Override
                public EscrowedKey release(int sample, String sampleId, PublicPool pool) {
                    return null;
                }
            };

    /** The encoder's hook for a batch of {@code samples} encryptions. */
    KeyEscrow collect(int samples);

    /**
     * The escrow record of encryption {@code sample} of the last batch, written as {@code
     * sampleId}, or null when keys are not kept; the key is forgotten once released.
     */
    EscrowedKey release(int sample, String sampleId, PublicPool pool);

    /** Every key kept and released as an {@link EscrowedKey} (research audits only). */
    static BatchKeys escrowed(int privateSlots) {
        EscrowedKeyWriter writer = new EscrowedKeyWriter(privateSlots);
        return new BatchKeys() {
            private KeyEscrow.Key[] keys = new KeyEscrow.Key[0];

            @Override
            public KeyEscrow collect(int samples) {
                if (keys.length < samples) {
                    keys = new KeyEscrow.Key[samples];
                }
                return key -> keys[key.sample()] = key;
            }

            @Override
            public EscrowedKey release(int sample, String sampleId, PublicPool pool) {
                EscrowedKey record = writer.write(keys[sample], sampleId, pool);
                keys[sample] = null;
                return record;
            }
        };
    }
}
