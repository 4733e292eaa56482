package dev.kassa.app.cli;

import dev.kassa.api.RateLimits;
import picocli.CommandLine.Option;

/** The API's rate limits (docs/api.md, Rate limits); each flag defaults to its environment variable. */
public final class RateLimitOptions {

    @Option(names = "--rate-limit-merchant",
            defaultValue = "${env:KASSA_RATE_LIMIT_MERCHANT:-" + RateLimits.MERCHANT_PER_SECOND_DEFAULT + "}",
            description = "Requests a second of one merchant key, sustained (env KASSA_RATE_LIMIT_MERCHANT, "
                    + "default ${DEFAULT-VALUE}).")
    long merchantPerSecond;

    @Option(names = "--rate-limit-merchant-burst",
            defaultValue = "${env:KASSA_RATE_LIMIT_MERCHANT_BURST:-" + RateLimits.MERCHANT_BURST_DEFAULT + "}",
            description = "Requests of one merchant key at once (env KASSA_RATE_LIMIT_MERCHANT_BURST, "
                    + "default ${DEFAULT-VALUE}).")
    long merchantBurst;

    @Option(names = "--rate-limit-address",
            defaultValue = "${env:KASSA_RATE_LIMIT_ADDRESS:-" + RateLimits.ADDRESS_PER_SECOND_DEFAULT + "}",
            description = "Requests a second from one client address, sustained (env KASSA_RATE_LIMIT_ADDRESS, "
                    + "default ${DEFAULT-VALUE}).")
    long addressPerSecond;

    @Option(names = "--rate-limit-address-burst",
            defaultValue = "${env:KASSA_RATE_LIMIT_ADDRESS_BURST:-" + RateLimits.ADDRESS_BURST_DEFAULT + "}",
            description = "Requests from one client address at once (env KASSA_RATE_LIMIT_ADDRESS_BURST, "
                    + "default ${DEFAULT-VALUE}).")
    long addressBurst;

    @Option(names = "--rate-limit-auth-failures",
            defaultValue = "${env:KASSA_RATE_LIMIT_AUTH_FAILURES:-" + RateLimits.AUTH_FAILURES_PER_MINUTE_DEFAULT + "}",
            description = "Failed authentications a minute from one client address, sustained; more are refused "
                    + "unlooked-up (env KASSA_RATE_LIMIT_AUTH_FAILURES, default ${DEFAULT-VALUE}).")
    long authFailuresPerMinute;

    @Option(names = "--rate-limit-auth-failures-burst",
            defaultValue = "${env:KASSA_RATE_LIMIT_AUTH_FAILURES_BURST:-" + RateLimits.AUTH_FAILURES_BURST_DEFAULT + "}",
            description = "Failed authentications from one client address at once "
                    + "(env KASSA_RATE_LIMIT_AUTH_FAILURES_BURST, default ${DEFAULT-VALUE}).")
    long authFailuresBurst;

    @Option(names = "--rate-limit-in-flight",
            defaultValue = "${env:KASSA_RATE_LIMIT_IN_FLIGHT:-" + RateLimits.MERCHANT_IN_FLIGHT_MAX_DEFAULT + "}",
            description = "Requests of one merchant key executing at once (env KASSA_RATE_LIMIT_IN_FLIGHT, "
                    + "default ${DEFAULT-VALUE}).")
    int merchantInFlightMax;

    RateLimits toLimits() {
        return new RateLimits(merchantPerSecond, merchantBurst, addressPerSecond, addressBurst, authFailuresPerMinute,
                authFailuresBurst, merchantInFlightMax);
    }
}
