package dev.kassa.api.health;

import dev.kassa.api.Failures;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Runs every component check in parallel, each bounded by the readiness timeout, so {@code /ready}
 * answers within about one timeout even when every dependency hangs. The checks run on a small
 * bounded pool; when probes pile up beyond it, the excess reports "busy" instead of queueing forever.
 */
public final class ComponentReadiness implements Readiness, AutoCloseable {

    private static final int QUEUE_MAX = 64;

    private final List<ComponentCheck> checks;
    private final Duration timeout;
    private final Set<String> optional;
    private final ThreadPoolExecutor executor;

    public ComponentReadiness(List<ComponentCheck> checks, Duration timeout) {
        this.checks = List.copyOf(checks);
        this.optional = this.checks.stream().filter(check -> !check.essential()).map(ComponentCheck::name)
                .collect(Collectors.toUnmodifiableSet());
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.executor = new ThreadPoolExecutor(this.checks.size(), this.checks.size(), 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE_MAX), runnable -> {
                    Thread thread = new Thread(runnable, "kassa-api-readiness");
                    thread.setDaemon(true);
                    return thread;
                });
        this.executor.allowCoreThreadTimeOut(true);
    }

    @Override
    public ReadinessReport check() {
        Map<String, CompletableFuture<String>> running = new LinkedHashMap<>();
        for (ComponentCheck check : checks) {
            running.put(check.name(), start(check));
        }
        Map<String, String> failures = new LinkedHashMap<>();
        running.forEach((name, result) -> failures.put(name, outcome(result)));
        return new ReadinessReport(failures, optional);
    }

    private CompletableFuture<String> start(ComponentCheck check) {
        try {
            return CompletableFuture.supplyAsync(() -> run(check), executor);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return CompletableFuture.completedFuture("busy: too many readiness checks at once");
        }
    }

    private String run(ComponentCheck check) {
        try {
            check.check(timeout);
            return null;
        } catch (Exception e) {
            return describe(e);
        }
    }

    private String outcome(CompletableFuture<String> result) {
        try {
            // The checks bound themselves; this extra margin only guards against one that does not.
            return result.get(timeout.toMillis() * 2 + 100, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return "no answer within " + timeout;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (ExecutionException e) {
            return describe(e.getCause());
        }
    }

    private static String describe(Throwable e) {
        Throwable cause = Failures.cause(e);
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return message.length() <= 200 ? message : message.substring(0, 200) + "…";
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
