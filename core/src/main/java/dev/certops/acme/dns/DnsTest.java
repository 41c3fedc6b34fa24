package dev.certops.acme.dns;

import dev.certops.config.Durations;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Proves a DNS provider works before an incident needs it: publishes a random TXT value where a
 * DNS-01 record for {@code NAME} would go (following its CNAMEs), waits until every authoritative
 * server answers it, removes it, and waits until none does. Each step is reported with its duration;
 * the record is removed even when a step fails. Used by {@code certops dns test}, the console's
 * Settings and the quarterly drill's {@code dns-test} step.
 */
public final class DnsTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DnsRouting routing;
    private final Clock clock;

    public DnsTest(DnsRouting routing, Clock clock) {
        this.routing = routing;
        this.clock = clock;
    }

    /** One step: what it did, in words, how long it took, and whether it worked. */
    public record Step(String what, String detail, Duration took, boolean ok) {
        @Override public String toString() {
            return (ok ? "✔ " : "✘ ") + what + " (" + DnsTest.took(took) + ")" + (detail.isEmpty() ? "" : ": " + detail);
        }
    }

    /** The whole test: every step in order; {@link #ok()} when all of them worked. */
    public record Report(String provider, String name, List<Step> steps) {
        public Report {
            steps = List.copyOf(steps);
        }

        public boolean ok() { return !steps.isEmpty() && steps.stream().allMatch(Step::ok); }

        /** "dns provider 'pdns' works for www.example.com: published, seen on 2 servers, removed in 1.2 s" or the failed step. */
        public String summary() {
            Duration total = steps.stream().map(Step::took).reduce(Duration.ZERO, Duration::plus);
            if (ok()) return "dns provider '" + provider + "' works for " + name + " (all " + steps.size() + " steps in " + DnsTest.took(total) + ")";
            Step failed = steps.stream().filter(s -> !s.ok()).findFirst().orElseThrow();
            return "dns provider '" + provider + "' failed for " + name + " at '" + failed.what() + "': " + failed.detail();
        }
    }

    /** Runs the four steps for {@code name} (a certificate name such as www.example.com). */
    public Report run(String provider, String name) {
        List<Step> steps = new ArrayList<>();
        String fqdn = "_acme-challenge." + (name.startsWith("*.") ? name.substring(2) : name);
        byte[] random = new byte[19]; // 43 characters in all, the length of an ACME digest (acme-dns refuses any other)
        RANDOM.nextBytes(random);
        String value = "certops-dns-test-" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Instant start = clock.instant();
        DnsRouting.Route route;
        try {
            route = routing.routeThrough(fqdn, provider);
        } catch (DnsProviderException e) {
            steps.add(new Step("find where the record goes", e.getMessage(), since(start), false));
            return new Report(provider, name, steps);
        }
        String owner = routing.ownerId(route.chain());
        steps.add(new Step("find where the record goes", route.describe() + (owner.equals(provider) ? ""
                : " — note: issuance writes it through dns provider '" + owner + "'"), since(start), true));
        boolean published = false;
        try {
            start = clock.instant();
            route.provider().present(route.target(), value);
            published = true;
            steps.add(new Step("publish TXT " + route.target(), "value " + value, since(start), true));
            start = clock.instant();
            PropagationChecker.Seen seen = route.propagation().awaitTxt(route.target(), value, route.timing());
            steps.add(new Step("see it on every authoritative server", where(seen), since(start), true));
        } catch (DnsProviderException e) {
            steps.add(new Step(published ? "see it on every authoritative server" : "publish TXT " + route.target(), e.getMessage(), since(start), false));
        }
        start = clock.instant();
        try {
            route.provider().cleanUp(route.target(), value);
            if (route.provider() instanceof AcmeDnsProvider) {
                steps.add(new Step("remove it", "acme-dns has no delete: the value is rotated out by the next two updates", since(start), true));
                return new Report(provider, name, steps);
            }
            steps.add(new Step("remove it", "", since(start), true));
            if (published) {
                start = clock.instant();
                PropagationChecker.Seen gone = route.propagation().awaitGone(route.target(), value, route.timing());
                steps.add(new Step("see it gone from every authoritative server", where(gone), since(start), true));
            }
        } catch (DnsProviderException e) {
            steps.add(new Step("remove it", e.getMessage() + " — remove TXT " + route.target() + " = " + value + " by hand", since(start), false));
        }
        return new Report(provider, name, steps);
    }

    private static String where(PropagationChecker.Seen seen) {
        return (seen.zone().isEmpty() ? "" : "zone " + seen.zone() + ": ") + String.join(", ", seen.servers());
    }

    /** "340 ms" below ten seconds, else "1 min 12 s". */
    static String took(Duration d) { return d.toMillis() < 10_000 ? d.toMillis() + " ms" : Durations.human(d); }

    private Duration since(Instant start) { return Duration.between(start, clock.instant()); }
}
