package dev.certops.renew;

import dev.certops.acme.AcmeFailure;
import dev.certops.alert.AlertCondition;
import dev.certops.alert.ConditionKind;
import dev.certops.alert.Severity;
import dev.certops.config.Thresholds;
import dev.certops.crypto.CertificateInfo;
import dev.certops.estate.Status;
import dev.certops.estate.StatusRules;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The alert conditions a renew run observes, with what a woken engineer needs: renewal failed (per
 * certificate: hosts, stage, error class, the CA's message, days left, the runbook to start),
 * expiry (critical / emergency / expired by the thresholds) and divergence left unrepaired.
 * A certificate whose renewal failed gets one condition, not two: the failed renewal carries the
 * expiry's severity (and escalates with it), so a woken engineer is paged once per certificate.
 */
public final class RenewConditions {
    /** The kinds a renew run speaks for: an open one of these, absent now, is resolved for the run's certificates. */
    public static final Set<ConditionKind> KINDS = EnumSet.of(ConditionKind.RENEWAL_FAILED, ConditionKind.EXPIRY, ConditionKind.DIVERGENCE);

    private RenewConditions() { }

    /** The next step for a failing certificate. */
    public static String nextStep(String certificateId) {
        return "./certops runbook run renewal-failing --param certificate=" + certificateId;
    }

    /**
     * @param current per certificate: its current certificate after the run (the new one when renewed)
     */
    public static List<AlertCondition> of(List<RenewalDecision> decisions, List<RenewOutcome> outcomes, Map<String, CertificateInfo> current,
                                          Thresholds thresholds, Instant now) {
        List<AlertCondition> out = new ArrayList<>();
        Map<String, RenewOutcome> byId = new LinkedHashMap<>();
        outcomes.forEach(o -> byId.put(o.certificateId(), o));
        for (RenewalDecision d : decisions) {
            String id = d.certificateId();
            Optional<CertificateInfo> cur = Optional.ofNullable(current.get(id));
            Optional<Status> status = cur.map(c -> StatusRules.of(c.notBefore(), c.notAfter(), thresholds, now));
            String days = cur.map(c -> String.valueOf(Duration.between(now, c.notAfter()).toDays())).orElse("no certificate yet");
            RenewOutcome o = byId.get(id);
            boolean failing = o instanceof RenewOutcome.Failed || o instanceof RenewOutcome.BackedOff;
            if (o instanceof RenewOutcome.Failed f) {
                out.add(failed(id, f.hosts(), f.stage(), f.failureKind(), f.caMessage(), f.reason(), days, status));
                if (d.action() == RenewalAction.REDEPLOY) out.add(divergence(d, days));
            } else if (o instanceof RenewOutcome.BackedOff b) {
                out.add(failed(id, d.hosts(), b.lastStage(), "BackedOff", "", b.lastReason(), days, status));
            }
            if (failing) continue;
            status.flatMap(RenewConditions::expirySeverity).ifPresent(sev -> out.add(new AlertCondition(ConditionKind.EXPIRY, id, sev,
                    id + " is " + sev.name().toLowerCase() + ": " + days + " days left", facts("certificate", id, "notAfter",
                    cur.get().notAfter().toString(), "daysLeft", days, "serial", cur.get().serial()), nextStep(id))));
        }
        return out;
    }

    private static AlertCondition failed(String id, List<String> hosts, String stage, String failureKind, String caMessage, String reason,
                                         String days, Optional<Status> status) {
        Severity sev = status.flatMap(RenewConditions::expirySeverity).orElse(Severity.WARNING);
        return new AlertCondition(ConditionKind.RENEWAL_FAILED, id, sev, "renewal of " + id + " failed at " + stage + " (" + AcmeFailure.inWords(failureKind) + "), "
                + days + " days left", facts("certificate", id, "hosts", String.join(", ", hosts), "stage", stage, "failure", failureKind,
                "caMessage", caMessage, "reason", oneLine(reason), "daysLeft", days), nextStep(id));
    }

    private static AlertCondition divergence(RenewalDecision d, String days) {
        return new AlertCondition(ConditionKind.DIVERGENCE, d.certificateId(), Severity.WARNING, "hosts " + d.hosts() + " do not serve "
                + d.certificateId() + "'s current release and re-deploying failed", facts("certificate", d.certificateId(), "hosts",
                String.join(", ", d.hosts()), "daysLeft", days), "./certops deploy " + d.certificateId() + " --hosts " + String.join(",", d.hosts()));
    }

    static Optional<Severity> expirySeverity(Status s) {
        return switch (s) {
            case CRITICAL -> Optional.of(Severity.CRITICAL);
            case EMERGENCY -> Optional.of(Severity.EMERGENCY);
            case EXPIRED -> Optional.of(Severity.EXPIRED);
            default -> Optional.empty();
        };
    }

    /** The facts, in order; an empty one (no CA message when no CA answered) is left out. */
    private static Map<String, String> facts(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) if (!kv[i + 1].isEmpty()) m.put(kv[i], kv[i + 1]);
        return m;
    }

    /** A multi-line reason (every CA tried and why, then the next step) as one line a pager can show, at most 600 characters. */
    static String oneLine(String reason) {
        String s = String.join(" ", reason.lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
        return s.length() <= 600 ? s : s.substring(0, 599) + "…";
    }
}
