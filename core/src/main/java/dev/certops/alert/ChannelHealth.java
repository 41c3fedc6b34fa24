package dev.certops.alert;

import java.time.Instant;
import java.util.Optional;

/**
 * How a channel's deliveries went, from history: the last success and the last failure with its
 * reason. {@link #broken()} when the newest delivery attempt failed — what {@code certops status} shows.
 */
public record ChannelHealth(String channel, String type, Optional<Instant> lastDelivered, Optional<Instant> lastFailed,
                            String lastError, String lastHint) {
    public boolean broken() {
        return lastFailed.isPresent() && (lastDelivered.isEmpty() || lastFailed.get().isAfter(lastDelivered.get()));
    }
}
