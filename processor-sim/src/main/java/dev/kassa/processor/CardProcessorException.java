package dev.kassa.processor;

/**
 * A read from a card processor (a charge, a list, a settlement report) that got no usable answer: the
 * processor was unreachable, answered 5xx or refused the request. Reads change nothing and can be retried.
 */
public final class CardProcessorException extends RuntimeException {

    private final int status;

    public CardProcessorException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status the processor answered, or 0 when there was no answer. */
    public int status() {
        return status;
    }
}
