package org.mirage4j.tcpip.direct;

/**
 * A token bucket: at most {@code burst} events at once, refilled at one token per {@code intervalNanos}. Time goes in
 * as a value; thread-safe.
 */
final class RateLimiter {

    private final int burst;
    private final long intervalNanos;
    private double tokens;
    private long last;
    private boolean started;

    RateLimiter(int burst, long intervalNanos) {
        if (burst < 1 || intervalNanos < 1) throw new IllegalArgumentException("A rate limit needs a burst and an interval of at least 1.");
        this.burst = burst;
        this.intervalNanos = intervalNanos;
        this.tokens = burst;
    }

    /** Takes a token if there is one at {@code now}. */
    synchronized boolean tryAcquire(long now) {
        if (!started) {
            started = true;
            last = now;
        }
        if (now > last) {
            tokens = Math.min(burst, tokens + (double) (now - last) / intervalNanos);
            last = now;
        }
        if (tokens < 1) return false;
        tokens -= 1;
        return true;
    }
}
