package dev.certops.renew;

import dev.certops.config.Durations;
import dev.certops.config.RenewConfig;
import dev.certops.crypto.CertificateInfo;
import dev.certops.words.Words;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Decides, without side effects beyond the ARI moment store, what is due. The current certificate
 * is the newest one known (latest notBefore, then latest notAfter). Order of reasons: none yet,
 * revoked, names changed, key type changed, expired, ARI window, renewBefore (configured per
 * certificate, else globally, else one third of the lifetime), then diverged hosts (re-deploy).
 */
public final class RenewalPlanner {
    private static final Comparator<CertificateInfo> NEWEST =
            Comparator.comparing(CertificateInfo::notBefore).thenComparing(CertificateInfo::notAfter);
    private final Clock clock;
    private final RenewConfig settings;
    private final AriMoments moments;

    public RenewalPlanner(Clock clock, RenewConfig settings, AriMoments moments) {
        this.clock = clock;
        this.settings = settings;
        this.moments = moments;
    }

    /** Reasons of decisions that refuse to renew a certificate that looks due: the run reports them and exits 1. */
    public static final String NOT_RENEWED = "not renewed: ";

    /**
     * As {@link #decideRaw}, with two guards against burning the CA's budget: a renewBefore not shorter
     * than the certificate's lifetime is refused (every run would order), and a certificate issued less
     * than a tenth of its lifetime ago is never re-ordered (a renewal loop is reported, not fed) — except
     * a revoked one.
     */
    public RenewalDecision decide(RenewalInput in) {
        RenewalDecision d = decideRaw(in);
        if (d.action() != RenewalAction.RENEW || d.current().isEmpty() || in.revoked()) return d;
        CertificateInfo cur = d.current().get();
        Instant now = clock.instant();
        Duration lifetime = cur.lifetime();
        Duration before = renewBefore(in, cur);
        if (before.compareTo(lifetime) >= 0) {
            return new RenewalDecision(d.certificateId(), RenewalAction.NONE, NOT_RENEWED + "renewBefore " + Durations.format(before)
                    + " is not shorter than the certificate's lifetime " + Durations.human(lifetime) + ", so every run would order a new one"
                    + " — set renewBefore below the lifetime in certops.yaml (the default is a third of it)", d.current(), Optional.empty(), List.of());
        }
        Duration age = Duration.between(cur.notBefore(), now);
        if (now.isBefore(cur.notAfter()) && age.compareTo(lifetime.dividedBy(10)) < 0) {
            return new RenewalDecision(d.certificateId(), RenewalAction.NONE, NOT_RENEWED + "renewal loop — serial " + cur.serial()
                    + " was issued " + Durations.human(age) + " ago (less than a tenth of its lifetime) and would be ordered again because "
                    + d.reason() + "; fix the cause (names, key, renewBefore in certops.yaml), or `certops issue " + d.certificateId()
                    + "` by hand", d.current(), Optional.empty(), List.of());
        }
        return d;
    }

    private RenewalDecision decideRaw(RenewalInput in) {
        String id = in.config().id();
        Instant now = clock.instant();
        Optional<CertificateInfo> newest = in.known().stream().max(NEWEST);
        if (newest.isEmpty()) return renew(id, "no certificate issued or served yet", newest, Optional.of(now));
        CertificateInfo cur = newest.get();
        Optional<Instant> expiry = Optional.of(cur.notAfter());
        if (in.revoked()) return renew(id, "certificate " + cur.serial() + " was revoked", newest, Optional.of(now));
        Set<String> wanted = lower(in.config().names());
        Set<String> have = lower(cur.names());
        if (!wanted.equals(have)) {
            return renew(id, "names changed: configured " + Words.list(wanted) + ", certificate has " + Words.list(have), newest, Optional.of(now));
        }
        String haveKey = cur.keyType().map(k -> k.configName()).orElse(cur.keyDescription());
        if (cur.keyType().isEmpty() || cur.keyType().get() != in.config().key()) {
            return renew(id, "key type changed: configured " + in.config().key().configName() + ", certificate has " + haveKey,
                    newest, Optional.of(now));
        }
        if (!now.isBefore(cur.notAfter())) return renew(id, "expired at " + Words.instant(cur.notAfter()), newest, expiry);
        if (in.ari().isPresent()) {
            AriWindow w = in.ari().get();
            Instant at = w.end().isAfter(now) ? moments.momentFor(id, w) : now;
            if (!now.isBefore(at)) {
                return renew(id, "inside the CA's renewal window " + Words.instant(w.start()) + " – " + Words.instant(w.end()) + " (chosen moment " + Words.instant(at) + ")",
                        newest, Optional.of(at));
            }
        }
        Duration before = renewBefore(in, cur);
        Instant dueAt = cur.notAfter().minus(before);
        Duration left = Duration.between(now, cur.notAfter());
        if (!now.isBefore(dueAt)) {
            return renew(id, Words.duration(left) + " left, less than renewBefore " + Durations.format(before), newest, Optional.of(dueAt));
        }
        if (!in.divergedHosts().isEmpty()) {
            return new RenewalDecision(id, RenewalAction.REDEPLOY, Words.named(in.divergedHosts(), "host") + (in.divergedHosts().size() == 1 ? " does" : " do")
                    + " not serve the current release " + cur.serial() + " — re-deploy and verify", newest, Optional.of(now), in.divergedHosts());
        }
        return new RenewalDecision(id, RenewalAction.NONE, "not due: " + Words.duration(left) + " left, due " + Words.instant(dueAt),
                newest, Optional.of(dueAt), List.of());
    }

    private Duration renewBefore(RenewalInput in, CertificateInfo cur) {
        return in.config().renewBefore().or(settings::renewBefore).orElseGet(() -> cur.lifetime().dividedBy(3));
    }

    private static RenewalDecision renew(String id, String reason, Optional<CertificateInfo> cur, Optional<Instant> dueAt) {
        return new RenewalDecision(id, RenewalAction.RENEW, reason, cur, dueAt, List.of());
    }

    private static Set<String> lower(List<String> names) {
        return names.stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toCollection(TreeSet::new));
    }
}
