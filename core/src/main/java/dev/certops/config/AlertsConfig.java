package dev.certops.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code alerts:} section: the channels alerts go to, in file order. Written either as a list of
 * channels, or as {@code { repeatAfter: 12h, channels: [...] }} to change the default repeat interval
 * (24 h) for every channel that does not set its own.
 */
public record AlertsConfig(List<AlertChannelConfig> channels, Duration repeatAfter) {
    public static final Duration DEFAULT_REPEAT_AFTER = Duration.ofHours(24);
    public static final AlertsConfig NONE = new AlertsConfig(List.of(), DEFAULT_REPEAT_AFTER);

    public AlertsConfig { channels = List.copyOf(channels); }

    public Optional<AlertChannelConfig> channel(String id) {
        return channels.stream().filter(c -> c.id().equals(id)).findFirst();
    }
}
