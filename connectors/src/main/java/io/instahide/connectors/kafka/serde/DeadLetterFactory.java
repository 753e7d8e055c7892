package io.instahide.connectors.kafka.serde;

import io.instahide.schemas.DeadLetter;
import io.instahide.schemas.DeadLetterReason;

import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * The one place dead letters are built: with the record's provenance (topic, partition, offset) and
 * its bytes as received, so that the payload can be inspected and re-published as it is.
 */
public final class DeadLetterFactory {

    private DeadLetterFactory() {}

    /** A dead letter for a record received from Kafka. */
    public static DeadLetter of(Received<?> origin, DeadLetterReason reason, String message) {
        return of(origin.topic, origin.partition, origin.offset, origin.bytes, reason, message);
    }

    /**
     * A dead letter for a payload without a Kafka position (an image that waited in the operator,
     * re-encoded for re-publishing): partition and offset are -1.
     */
    public static DeadLetter unpositioned(
            String topic, byte[] payload, DeadLetterReason reason, String message) {
        return of(topic, -1, -1L, payload, reason, message);
    }

    private static DeadLetter of(
            String topic,
            int partition,
            long offset,
            byte[] payload,
            DeadLetterReason reason,
            String message) {
        return DeadLetter.newBuilder()
                .setSourceTopic(topic)
                .setPartition(partition)
                .setOffset(offset)
                .setPayload(payload == null ? null : ByteBuffer.wrap(payload))
                .setReason(reason)
                .setMessage(message)
                .setTime(Instant.now())
                .build();
    }
}
