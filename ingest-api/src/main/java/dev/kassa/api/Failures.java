package dev.kassa.api;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** What failed, out of the wrappers a future puts around it. */
public final class Failures {

    private Failures() {
    }

    /**
     * The throwable a {@link CompletionException} or an {@link ExecutionException} wraps (however deep
     * they are nested), else {@code failure} itself.
     */
    public static Throwable cause(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
