package dev.parley.bench.common;

/**
 * Thrown by a phase that cannot measure what it is for against this build (the server does not
 * implement a message the phase needs yet): reported as not measured, not as a failure.
 */
public final class NotMeasured extends RuntimeException {

    public NotMeasured(String message) {
        super(message);
    }
}
