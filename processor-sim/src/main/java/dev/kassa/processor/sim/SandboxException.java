package dev.kassa.processor.sim;

import java.util.Objects;

/**
 * A request the sandbox refuses, with its HTTP status, its stable machine-readable {@code code} and a
 * message naming the field at fault. Thrown anywhere, written as {@code {"error": {...}}} in one place
 * ({@link SandboxServer}); a refused request has changed nothing.
 */
final class SandboxException extends RuntimeException {

    private final int status;
    private final String code;

    SandboxException(int status, String code, String message) {
        super(Objects.requireNonNull(message, "message"));
        this.status = status;
        this.code = Objects.requireNonNull(code, "code");
    }

    static SandboxException badRequest(String code, String message) {
        return new SandboxException(400, code, message);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }
}
