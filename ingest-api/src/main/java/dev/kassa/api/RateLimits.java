package dev.kassa.api;

import dev.kassa.model.Bounds;

/**
 * How much one client may ask of the API (docs/api.md, Rate limits). Each rate is a token bucket:
 * {@code burst} requests at once, refilled at {@code perSecond}.
 *
 * @param merchantPerSecond        requests a second of one merchant's key, sustained; 1–1,000,000, default 500
 * @param merchantBurst            requests of one merchant's key at once; 1–10,000,000, default 1,000
 * @param addressPerSecond         requests a second from one client address (the TCP peer), sustained, on
 *                                 {@code /v1} and {@code /admin}; 1–1,000,000, default 1,000
 * @param addressBurst             requests from one client address at once; 1–10,000,000, default 2,000
 * @param authFailuresPerMinute    failed authentications a minute from one client address, sustained; more are
 *                                 refused before any key is looked up; 1–100,000, default 60
 * @param authFailuresBurst        failed authentications from one client address at once; 1–100,000, default 20
 * @param merchantInFlightMax      requests of one merchant executing at once (each may wait for its outcome);
 *                                 1–100,000, default 1,000
 */
public record RateLimits(long merchantPerSecond, long merchantBurst, long addressPerSecond, long addressBurst,
                         long authFailuresPerMinute, long authFailuresBurst, int merchantInFlightMax) {

    public static final long MERCHANT_PER_SECOND_DEFAULT = 500;
    public static final long MERCHANT_BURST_DEFAULT = 1_000;
    public static final long ADDRESS_PER_SECOND_DEFAULT = 1_000;
    public static final long ADDRESS_BURST_DEFAULT = 2_000;
    public static final long AUTH_FAILURES_PER_MINUTE_DEFAULT = 60;
    public static final long AUTH_FAILURES_BURST_DEFAULT = 20;
    public static final int MERCHANT_IN_FLIGHT_MAX_DEFAULT = 1_000;

    /** The limits of a gateway whose settings name none. */
    public static final RateLimits DEFAULTS = new RateLimits(MERCHANT_PER_SECOND_DEFAULT, MERCHANT_BURST_DEFAULT,
            ADDRESS_PER_SECOND_DEFAULT, ADDRESS_BURST_DEFAULT, AUTH_FAILURES_PER_MINUTE_DEFAULT,
            AUTH_FAILURES_BURST_DEFAULT, MERCHANT_IN_FLIGHT_MAX_DEFAULT);

    public RateLimits {
        Bounds.requireWithin("merchantPerSecond", merchantPerSecond, 1, 1_000_000);
        Bounds.requireWithin("merchantBurst", merchantBurst, 1, 10_000_000);
        Bounds.requireWithin("addressPerSecond", addressPerSecond, 1, 1_000_000);
        Bounds.requireWithin("addressBurst", addressBurst, 1, 10_000_000);
        Bounds.requireWithin("authFailuresPerMinute", authFailuresPerMinute, 1, 100_000);
        Bounds.requireWithin("authFailuresBurst", authFailuresBurst, 1, 100_000);
        Bounds.requireWithin("merchantInFlightMax", merchantInFlightMax, 1, 100_000);
    }
}
