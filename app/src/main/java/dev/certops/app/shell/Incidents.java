package dev.certops.app.shell;

import dev.certops.acme.CaHealth;
import dev.certops.app.estate.EstateViewModel;
import dev.certops.estate.CertificateView;
import dev.certops.estate.Status;
import dev.certops.words.Words;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The conditions the incident banner and the status bar rank, most urgent first: certificates clients
 * refuse (revoked, expired, rejected), then the primary CA down, then certificates about to expire
 * (emergency, critical), diverged or unreachable endpoints, another CA failing, and last renewals that
 * stopped succeeding. Plain Java: tested without a screen.
 */
public final class Incidents {
    /** What the banner's button does. */
    public enum Action { SHOW_ESTATE, OPEN_CA_OUTAGE_RUNBOOK, SHOW_RENEWALS }

    /**
     * One condition.
     *
     * @param text        what is wrong, in one sentence
     * @param action      the button that handles it
     * @param button      the button's words
     * @param certificate the certificate it is about (the runbook's parameter, the estate row), or empty
     * @param severe      red (a person is needed now) rather than amber
     */
    public record Incident(String text, Action action, String button, Optional<String> certificate, boolean severe, String brief) { }

    private static final Set<Status> EXPIRING = EnumSet.of(Status.EXPIRED, Status.EMERGENCY, Status.CRITICAL, Status.WARNING);

    private Incidents() { }

    /** The ranked conditions; {@code worstFirst} is the estate in its worst-first order. */
    public static List<Incident> rank(List<CertificateView> worstFirst, List<CaHealth.Entry> cas, String renewWarning) {
        List<Incident> out = new ArrayList<>();
        certificates(worstFirst, out, Status.REVOKED, Status.EXPIRED, Status.REJECTED);
        for (CaHealth.Entry ca : cas) {
            if (ca.primary() && ca.failing()) {
                // the certificate that needs a new one soonest: expired or expiring, fewest days left
                String due = worstFirst.stream().filter(c -> EXPIRING.contains(c.status()))
                        .min(Comparator.comparing((CertificateView c) -> c.daysLeft().orElse(Long.MAX_VALUE)))
                        .map(CertificateView::id).orElse("");
                if (due.isEmpty()) { // nothing needs a new certificate now: amber, and no runbook pushed
                    out.add(new Incident("The " + primaryCa(ca.ca()) + " is " + ca.state().label() + ca.failingSince().map(t -> " since " + Words.clock(t)).orElse("")
                            + ": " + brief(ca.detail()) + ". No certificate is due; renewals fail over to the next CA.", Action.SHOW_ESTATE, "Show the CAs",
                            Optional.empty(), false, primaryCa(ca.ca()) + " " + ca.state().label()));
                    continue;
                }
                out.add(new Incident("The " + primaryCa(ca.ca()) + " is " + ca.state().label() + ca.failingSince().map(t -> " since " + Words.clock(t)).orElse("")
                        + ": " + brief(ca.detail()) + ". Renewals from it fail: the primary-ca-outage runbook issues from the secondary.",
                        Action.OPEN_CA_OUTAGE_RUNBOOK, "Open the primary-ca-outage runbook" + (due.isEmpty() ? "" : " for " + due),
                        due.isEmpty() ? Optional.empty() : Optional.of(due), true, primaryCa(ca.ca()) + " " + ca.state().label()));
            }
        }
        certificates(worstFirst, out, Status.EMERGENCY, Status.CRITICAL, Status.DIVERGED, Status.UNREACHABLE);
        for (CaHealth.Entry ca : cas) {
            if (!ca.primary() && ca.failing()) {
                out.add(new Incident("CA " + ca.ca() + " is " + ca.state().label() + ": " + brief(ca.detail()) + " — failover to it would fail.",
                        Action.SHOW_ESTATE, "Show the CAs", Optional.empty(), false, "CA " + ca.ca() + " " + ca.state().label()));
            }
        }
        if (renewWarning != null && !renewWarning.isBlank()) {
            out.add(new Incident(renewWarning + ".", Action.SHOW_RENEWALS, "Show renewals in History", Optional.empty(), false, renewWarning));
        }
        return out;
    }

    /** The CA's answer without its hint in brackets (the CA strip keeps the whole sentence). */
    private static String brief(String detail) {
        int at = detail.indexOf(" (");
        return at > 0 ? detail.substring(0, at) : detail;
    }

    /** One incident per status present, in the order given: "api expires in 5 days (emergency)", "2 certificates rejected: self, old". */
    private static void certificates(List<CertificateView> rows, List<Incident> out, Status... statuses) {
        for (Status s : statuses) {
            List<CertificateView> these = rows.stream().filter(c -> c.status() == s).toList();
            if (these.isEmpty()) continue;
            CertificateView first = these.get(0);
            String why = EstateViewModel.attention(first);
            String what = these.size() == 1 ? first.id() + " is " + s.label() + ": " + why
                    : Words.count(these.size(), "certificate") + " " + s.label() + " (" + Words.list(these.stream().map(CertificateView::id).toList())
                    + "); " + first.id() + ": " + why;
            boolean severe = s.compareTo(Status.CRITICAL) >= 0;
            out.add(new Incident(what, Action.SHOW_ESTATE, "Show " + (these.size() == 1 ? first.id() : "them") + " on the Estate",
                    Optional.of(first.id()), severe, (these.size() == 1 ? first.id() : Words.count(these.size(), "certificate")) + " " + s.label()));
        }
    }

    /** "primary CA letsencrypt", or just "primary CA" when the CA's id is itself "primary" (never "primary CA primary"). */
    static String primaryCa(String id) {
        return id.equalsIgnoreCase("primary") ? "primary CA" : "primary CA " + id;
    }
}
