package dev.certops.deploy;

import dev.certops.config.Endpoint;
import dev.certops.scan.ProbeException;
import dev.certops.scan.ServedChain;
import dev.certops.scan.TlsProbe;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Proves what endpoints serve: handshakes each endpoint until its leaf's SHA-256 equals the
 * expected one on {@value #CONFIRMATIONS} handshakes in a row, or the deadline passes. After a
 * reload an old worker may still serve the old certificate for a moment (and keep accepting until
 * the master has signalled it), so one matching handshake is not proof.
 */
public final class ServedCheck {
    static final int CONFIRMATIONS = 3;
    private final TlsProbe probe;
    private final Clock clock;

    public ServedCheck(TlsProbe probe, Clock clock) {
        this.probe = probe;
        this.clock = clock;
    }

    /** Empty when every endpoint served {@code sha256} before the deadline, else what was seen where. */
    public Optional<String> awaitServed(List<Endpoint> endpoints, String sha256, Duration deadline, Duration interval) {
        Instant end = clock.instant().plus(deadline);
        for (Endpoint e : endpoints) {
            String last;
            int inARow = 0;
            while (true) {
                last = servedBy(e, sha256);
                inARow = last == null ? inARow + 1 : 0;
                if (inARow >= CONFIRMATIONS) break;
                if (last == null) continue;
                if (!clock.instant().isBefore(end)) {
                    return Optional.of(e + " still " + last + " after " + deadline.toSeconds() + " s (expected SHA-256 " + shortFp(sha256) + ")");
                }
                pause(interval);
            }
        }
        return Optional.empty();
    }

    /** null when the endpoint serves {@code sha256}; else what it does instead. */
    private String servedBy(Endpoint e, String sha256) {
        try {
            ServedChain served = probe.fetch(e);
            String fp = DeployBundle.sha256Hex(served.leaf());
            return fp.equals(sha256) ? null : "serves SHA-256 " + shortFp(fp) + " (serial " + served.leaf().getSerialNumber().toString(16) + ")";
        } catch (ProbeException ex) {
            return "unreachable: " + ex.getMessage();
        }
    }

    static String shortFp(String hex) { return hex.length() > 16 ? hex.substring(0, 16) + "…" : hex; }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while verifying", ex);
        }
    }
}
