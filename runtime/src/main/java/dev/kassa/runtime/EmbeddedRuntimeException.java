package dev.kassa.runtime;

/**
 * The embedded runtime, or one of its components, could not start or stop; the message says which
 * component, which directory, port or process, and why.
 */
public final class EmbeddedRuntimeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public EmbeddedRuntimeException(String message) {
        super(message);
    }

    public EmbeddedRuntimeException(String message, Throwable cause) {
        super(message, cause);
    }
}
