package dev.kassa.api.health;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Redis is ready when it answers {@code PING}. The connection is opened on the first check and kept;
 * a failed connect is retried at the next check, so the API starts even while Redis is down.
 */
public final class RedisCheck implements ComponentCheck, AutoCloseable {

    private final RedisClient client;
    private StatefulRedisConnection<String, String> connection;

    public RedisCheck(RedisClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    public String name() {
        return "redis";
    }

    /** Without Redis the API still serves: requests run without the replay cache (see RedisIdempotencyGuard). */
    @Override
    public boolean essential() {
        return false;
    }

    @Override
    public void check(Duration timeout) throws Exception {
        String answer = connection().async().ping().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!"PONG".equals(answer)) {
            throw new IllegalStateException("unexpected answer to PING: " + answer);
        }
    }

    /** The kept connection; the client's URI and options bound the connect time (see KassaApi). */
    private synchronized StatefulRedisConnection<String, String> connection() {
        if (connection == null || !connection.isOpen()) {
            connection = client.connect();
        }
        return connection;
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            connection.close();
        }
    }
}
