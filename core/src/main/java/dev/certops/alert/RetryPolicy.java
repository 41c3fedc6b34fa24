package dev.certops.alert;

import java.time.Duration;

/**
 * Bounded retries with exponential back-off: attempt n (from 1) waits {@code firstDelay * 2^(n-1)},
 * at most {@code maxDelay}, before attempt n+1; {@code timeout} bounds each attempt.
 */
public record RetryPolicy(int maxAttempts, Duration firstDelay, Duration maxDelay, Duration timeout) {
    /** 3 attempts, 1 s then 2 s apart, 10 s each: a dead receiver costs a renew run about half a minute at most. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(10));

    public RetryPolicy {
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1");
    }

    public Duration delayAfter(int attempt) {
        Duration d = firstDelay.multipliedBy(1L << Math.min(20, attempt - 1));
        return d.compareTo(maxDelay) > 0 ? maxDelay : d;
    }

    /** Waits between attempts; tests pass one that records instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        Sleeper REAL = d -> Thread.sleep(d.toMillis());

        void sleep(Duration d) throws InterruptedException;
    }

    /** One attempt; throws DeliveryException (retryable or not). */
    @FunctionalInterface
    interface Attempt {
        void run() throws DeliveryException;
    }

    /** Runs attempts until one succeeds, one fails for good, or the attempts run out; returns the attempts made. */
    int run(Sleeper sleeper, Attempt attempt) throws DeliveryException {
        for (int n = 1; ; n++) {
            try {
                attempt.run();
                return n;
            } catch (DeliveryException e) {
                if (!e.retryable() || n >= maxAttempts) throw e.afterAttempts(n);
                try {
                    sleeper.sleep(delayAfter(n));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e.afterAttempts(n);
                }
            }
        }
    }
}
