package io.instahide.schemas.codec;

import io.instahide.schemas.DeadLetterReason;

/** Bytes that are not a valid record of the expected type; carries the dead-letter reason. */
public final class RecordDecodeException extends Exception {

    private final DeadLetterReason reason;

    public RecordDecodeException(DeadLetterReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public DeadLetterReason reason() {
        return reason;
    }
}
