package dev.certops.renew;

import java.time.Instant;

/** An ACME Renewal Information suggested window (RFC 9773): renew at some moment in [start, end). */
public record AriWindow(Instant start, Instant end) {
    public AriWindow {
        if (end.isBefore(start)) throw new IllegalArgumentException("ARI window ends (" + end + ") before it starts (" + start + ")");
    }
}
