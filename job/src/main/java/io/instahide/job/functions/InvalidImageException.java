package io.instahide.job.functions;

import io.instahide.schemas.DeadLetter;
import io.instahide.schemas.DeadLetterReason;

import java.nio.ByteBuffer;
import java.time.Instant;

/** An image that cannot enter the pipeline, with the dead-letter reason. A data problem. */
public final class InvalidImageException extends Exception {

    private final DeadLetterReason reason;

    public InvalidImageException(DeadLetterReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public DeadLetterReason reason() {
        return reason;
    }

    /**
     * The dead letter of an image that decoded as Avro but is invalid. The Kafka partition and
     * offset are not known past the deserializer, so they are -1; {@code payload} is the record
     * re-encoded.
     */
    public DeadLetter toDeadLetter(String topic, byte[] payload, String messagePrefix) {
        return DeadLetter.newBuilder()
                .setSourceTopic(topic)
                .setPartition(-1)
                .setOffset(-1L)
                .setPayload(ByteBuffer.wrap(payload))
                .setReason(reason)
                .setMessage(messagePrefix + getMessage())
                .setTime(Instant.now())
                .build();
    }
}
