package dev.certops.runbook.action;

import dev.certops.acme.CertificateVersions;
import dev.certops.config.CertificateConfig;
import dev.certops.config.CertopsConfig;
import dev.certops.config.HostConfig;
import dev.certops.crypto.CertificateInfo;
import dev.certops.estate.CaNames;
import dev.certops.history.HistoryException;
import dev.certops.runbook.ActionPreview;
import dev.certops.runbook.RunbookAction;
import dev.certops.runbook.RunbookException;
import dev.certops.runbook.StepContext;
import dev.certops.runbook.StepOutcome;
import dev.certops.scan.TlsProbe;
import dev.certops.services.CoreServices;
import dev.certops.words.Words;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code select-certificates: { ca: ID, configured-ca: ID, serials: [..], names: [..], days-left: 30, only: [ids], set: NAME }}:
 * the affected certificates, soonest expiry first, published as {@code set.NAME} (default
 * {@code set.selected}). Criteria combine with AND. {@code ca} means <em>issued by</em>: the CA of
 * what the endpoints serve (the serial or issuer certops recorded at issuance, {@link CaNames}), or
 * of the newest stored version when nothing can be read — never the configuration, which after a
 * failover says something else. {@code configured-ca} is the configuration (first in {@code cas:}). What is served is read from the certificates'
 * endpoints (a live TLS probe) until the estate service's impact queries replace it. In a drill only
 * certificates whose waves name drill hosts alone are selected.
 */
final class SelectCertificatesAction implements RunbookAction {
    private final CoreServices session;
    private final TlsProbe probe;
    private final Clock clock;

    SelectCertificatesAction(CoreServices session, TlsProbe probe, Clock clock) {
        this.session = session;
        this.probe = probe;
        this.clock = clock;
    }

    @Override public String type() { return "select-certificates"; }

    @Override
    public ActionPreview preview(StepContext ctx) throws RunbookException {
        List<String> lines = new ArrayList<>();
        ctx.arg("ca").filter(s -> !s.isBlank()).ifPresent(c -> lines.add("issued by CA " + c + " (the issuer of what is served, else of the newest stored version)"));
        ctx.arg("configured-ca").filter(s -> !s.isBlank()).ifPresent(c -> lines.add("configured for CA " + c + " (first in its cas:)"));
        if (!ctx.listArg("serials").isEmpty()) lines.add("serving one of " + Words.count(ctx.listArg("serials").size(), "serial"));
        if (!ctx.listArg("names").isEmpty()) lines.add("covering " + String.join(", ", ctx.listArg("names")));
        ctx.arg("days-left").filter(s -> !s.isBlank()).ifPresent(d -> lines.add("expiring within " + d + " days"));
        if (!ctx.listArg("only").isEmpty()) lines.add("among " + String.join(", ", ctx.listArg("only")));
        if (ctx.drill()) lines.add("drill: only certificates deployed to drill hosts alone");
        if (lines.isEmpty()) lines.add("every managed certificate");
        return new ActionPreview("Select the affected certificates (read-only: TLS probes of their endpoints)", lines, false);
    }

    @Override
    public StepOutcome execute(StepContext ctx) throws RunbookException {
        CertopsConfig cfg = Lookup.config(session);
        Optional<String> ca = ctx.arg("ca").filter(s -> !s.isBlank());
        Optional<String> configuredCa = ctx.arg("configured-ca").filter(s -> !s.isBlank());
        CertificateVersions versions = new CertificateVersions(session.workspace(), session.secrets());
        CaNames caNames;
        try {
            caNames = ca.isPresent() ? CaNames.learn(cfg, session.history(), versions) : null;
        } catch (HistoryException e) {
            throw new RunbookException("the history cannot be read to tell which CA issued what: " + e.getMessage(), e);
        }
        Set<String> serials = ctx.listArg("serials").stream().map(Served::normalize).collect(Collectors.toSet());
        List<String> names = ctx.listArg("names");
        List<String> only = ctx.listArg("only");
        for (String id : only) Lookup.certificate(cfg, id);
        Optional<Long> days = ctx.arg("days-left").filter(s -> !s.isBlank()).map(Long::parseLong);
        Map<String, Long> expiry = new LinkedHashMap<>();
        List<String> selected = new ArrayList<>();
        int looked = 0;
        for (CertificateConfig c : cfg.certificates()) {
            looked++;
            if (ctx.drill() && !drillOnly(cfg, c)) continue;
            if (!only.isEmpty() && !only.contains(c.id())) continue;
            if (configuredCa.isPresent() && (cfg.casFor(c).isEmpty() || !cfg.casFor(c).get(0).id().equals(configuredCa.get()))) continue;
            if (!names.isEmpty() && c.names().stream().noneMatch(names::contains)) continue;
            List<Served> served = Served.probeAll(probe, c);
            if (ca.isPresent() && !issuedBy(ca.get(), c, served, caNames, versions)) continue;
            long soonest = served.stream().flatMap(s -> s.daysLeft(clock).stream()).min(Long::compare).orElse(Long.MAX_VALUE);
            if (!serials.isEmpty() && served.stream().noneMatch(s -> s.serial().map(serials::contains).orElse(false))) continue;
            if (days.isPresent() && soonest > days.get()) continue;
            selected.add(c.id());
            expiry.put(c.id(), soonest);
            ctx.progress(looked / (double) Math.max(1, cfg.certificates().size()),
                    "selected " + c.id() + " (looked at " + looked + " of " + Words.count(cfg.certificates().size(), "certificate") + ")");
        }
        selected.sort(Comparator.comparing((String id) -> expiry.get(id)).thenComparing(id -> id));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("set." + ctx.arg("set").filter(s -> !s.isBlank()).orElse("selected"), selected);
        Map<String, Object> left = new LinkedHashMap<>();
        for (String id : selected) left.put(id, expiry.get(id) == Long.MAX_VALUE ? "unknown" : expiry.get(id));
        out.put("daysLeft", left);
        if (selected.isEmpty() && ctx.arg("require").map(Boolean::parseBoolean).orElse(false)) {
            return new StepOutcome.Failed("no certificate matches" + (ctx.drill() ? " among those deployed only to hosts tagged drill: true" : ""),
                    ctx.drill() ? "tag a dedicated drill target host with 'drill: true' and give it a certificate in certops.yaml"
                                : "check the criteria (CA, serials, names) against `certops estate`", out);
        }
        return new StepOutcome.Succeeded(selected.isEmpty() ? "no certificate selected" : Words.count(selected.size(), "certificate") + " selected, soonest expiry first: " + Lookup.join(selected), out);
    }

    /** Whether what {@code c}'s endpoints serve was issued by {@code ca} (the newest stored version's CA when nothing could be read). */
    private static boolean issuedBy(String ca, CertificateConfig c, List<Served> served, CaNames caNames, CertificateVersions versions) {
        List<String> issuers = served.stream().flatMap(s -> s.leaf().stream()).map(l -> caNames.of(CertificateInfo.from(l))).toList();
        if (!issuers.isEmpty()) return issuers.stream().anyMatch(ca::equalsIgnoreCase);
        try {
            return versions.latest(c.id()).map(v -> v.ca().equalsIgnoreCase(ca)).orElse(false);
        } catch (IOException e) {
            return false;
        }
    }

    static boolean drillOnly(CertopsConfig cfg, CertificateConfig c) {
        return !c.hosts().isEmpty() && c.hosts().stream().allMatch(h -> cfg.host(h).map(HostConfig::drill).orElse(false));
    }
}
