package dev.certops.renew;

import dev.certops.config.CertopsConfig;
import dev.certops.history.HistoryException;
import dev.certops.history.HistoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether routine renewal is alive — what {@code certops status} prints and the console's status bar
 * shows (one computation for both faces): the managed certificates, what history says about renew runs,
 * and the dead man's switch ({@link Staleness}).
 *
 * @param managed   how many certificates certops.yaml manages
 * @param history   the renew runs and failing certificates
 * @param staleAfter how long without a successful run before the switch trips
 * @param now       when this was read
 * @param warning   the dead man's switch's warning, when it trips
 */
public record RenewStatus(int managed, RenewHistory history, Duration staleAfter, Instant now, Optional<String> warning) {

    /** Reads the renew events of {@code history} and judges them against the configuration's {@code staleAfter}. */
    public static RenewStatus read(CertopsConfig config, HistoryStore history, Instant now) throws HistoryException {
        RenewHistory h = RenewHistory.read(history);
        int managed = config.certificates().size();
        Duration staleAfter = config.renew().staleAfter();
        return new RenewStatus(managed, h, staleAfter, now, Staleness.check(managed, h.lastSuccess(), staleAfter, now));
    }

    /** The dead man's switch has tripped: certificates are managed and no renew run succeeded for staleAfter (or ever). */
    public boolean stale() { return warning.isPresent(); }

    /** Stale, or some certificate's renewals are failing. */
    public boolean needsAttention() { return stale() || !history.failing().isEmpty(); }

    /** How long since the last successful renew run; empty when there never was one. */
    public Optional<Duration> sinceLastSuccess() { return history.lastSuccess().map(t -> Duration.between(t, now)); }

    /**
     * One line for a status bar, or empty when all is well: the dead man's switch's headline
     * ({@link Staleness#headline}) and how many certificates are failing, e.g. "Renewals have not succeeded
     * for 3 d — run ./certops status / check the timer: ./certops schedule status · 2 certificates failing".
     */
    public Optional<String> headline() {
        return line(Staleness.headline(managed, history.lastSuccess(), staleAfter, now));
    }

    /** {@link #headline} for the console: the same facts without a command to type ("Renewals have never succeeded · 1 certificate failing"). */
    public Optional<String> situation() {
        return line(Staleness.situation(managed, history.lastSuccess(), staleAfter, now));
    }

    private Optional<String> line(Optional<String> stale) {
        if (!needsAttention()) return Optional.empty();
        StringBuilder b = new StringBuilder(stale.orElse(""));
        int failing = history.failing().size();
        if (failing > 0) {
            b.append(b.isEmpty() ? "" : " · ").append(failing).append(failing == 1 ? " certificate" : " certificates")
                    .append(" failing");
        }
        return Optional.of(b.toString());
    }
}
