package io.instahide.clients.image;

import io.instahide.schemas.DeadLetterReason;

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
}
