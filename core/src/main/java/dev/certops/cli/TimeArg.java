package dev.certops.cli;

import dev.certops.config.Durations;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Parses {@code --since} style values: a duration back from now ("24h", "7d"), a date or an ISO instant. */
final class TimeArg {
    private TimeArg() { }

    static Instant parse(String value, Clock clock) {
        var d = Durations.parse(value);
        if (d.isPresent()) return clock.instant().minus(d.get());
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e2) {
                throw new CommandFailedException("'" + value + "' is not a time — allowed: a duration back from now (24h, 7d), "
                        + "a date (2026-11-01) or an instant (2026-11-01T10:00:00Z)", ExitCodes.USAGE);
            }
        }
    }
}
