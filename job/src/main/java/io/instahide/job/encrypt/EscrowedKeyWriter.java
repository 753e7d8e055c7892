package io.instahide.job.encrypt;

import io.instahide.core.KeyEscrow;
import io.instahide.schemas.EscrowedKey;
import io.instahide.schemas.codec.ImageSourceId;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns an encryption's escrowed key into the key-escrow topic's record: private slots named by
 * their {@link ImageSourceId}, public slots by their pool id (research audits only).
 */
final class EscrowedKeyWriter {

    private final int privateSlots;

    EscrowedKeyWriter(int privateSlots) {
        this.privateSlots = privateSlots;
    }

    EscrowedKey write(KeyEscrow.Key key, String sampleId, PublicPool pool) {
        int k = key.imageIds().length;
        List<String> ids = new ArrayList<>(k);
        List<Float> lambdas = new ArrayList<>(k);
        for (int s = 0; s < k; s++) {
            long id = key.imageIds()[s];
            ids.add(s < privateSlots ? ImageSourceId.format(id) : "public:" + pool.idOf(id));
            lambdas.add(key.lambdas()[s]);
        }
        ByteBuffer mask = null;
        if (key.maskBits().length > 0) {
            mask =
                    ByteBuffer.allocate(key.maskBits().length * Long.BYTES)
                            .order(ByteOrder.LITTLE_ENDIAN);
            mask.asLongBuffer().put(key.maskBits());
        }
        return EscrowedKey.newBuilder()
                .setSampleId(sampleId)
                .setImageIds(ids)
                .setLambdas(lambdas)
                .setPrivateSlots(privateSlots)
                .setMask(mask)
                .build();
    }
}
