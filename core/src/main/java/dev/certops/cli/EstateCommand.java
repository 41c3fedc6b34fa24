package dev.certops.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.certops.estate.Attention;
import dev.certops.estate.CertificateView;
import dev.certops.estate.EndpointView;
import dev.certops.estate.EstateService;
import dev.certops.estate.EstateSnapshot;
import dev.certops.estate.ImpactQuery;
import dev.certops.estate.PrometheusTextfile;
import dev.certops.json.Json;
import dev.certops.scan.TlsProbe;
import dev.certops.startup.StartupTrace;
import dev.certops.words.TextTable;
import dev.certops.words.Words;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code certops estate scan | affected | discover | retire}. */
@Command(name = "estate", mixinStandardHelpOptions = true, description = "See every certificate: what is served, what is on disk, what needs attention.")
final class EstateCommand implements Runnable {
    /**
     * The subcommands, in the order the help lists them. Added by {@link CommandDispatch} rather than by the annotation,
     * so that {@code estate scan} builds scan's model alone (the four took ~35 ms of a scan's start).
     */
    static final List<Class<?>> SUBCOMMANDS = List.of(Scan.class, Affected.class, EstateDiscoverCommand.class, EstateRetireCommand.class);
    /** Each subcommand by its {@code @Command} name (CommandDispatchTest checks it against the annotations). */
    static final Map<String, Class<?>> BY_NAME = Map.of("scan", Scan.class, "affected", Affected.class,
            "discover", EstateDiscoverCommand.class, "retire", EstateRetireCommand.class);

    @Spec CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    @Command(name = "scan", mixinStandardHelpOptions = true,
            description = {"Scan every endpoint and deployed copy and judge what is served as a TLS client would.",
                    "Status, worst wins: ok < warning < critical < emergency < unreachable < diverged < rejected < expired < revoked.",
                    "Exit 0 all ok, 1 any warning, 2 anything worse."})
    static final class Scan implements Callable<Integer> {
        private final CliContext ctx;
        @Option(names = "--json", description = "JSON output for machines.") boolean json;
        @Option(names = "--prom", paramLabel = "FILE", description = "Also write a Prometheus textfile (node_exporter textfile collector), atomically.") Path prom;
        @Option(names = "--timeout", paramLabel = "MS", defaultValue = "5000",
                description = "Per endpoint: TLS handshake deadline in milliseconds (connect: at most 3000). Default: ${DEFAULT-VALUE}.") int timeoutMs;

        Scan(CliContext ctx) { this.ctx = ctx; }

        @Override
        public Integer call() throws Exception {
            var cfg = ctx.config();   // Java's trust store, when the verdicts need it, is read ahead by the scan (EstateService)
            if (cfg.certificates().isEmpty() && cfg.endpoints().isEmpty()) {
                ctx.out().println("Nothing to scan: add certificates (with endpoints:) or endpoints: to " + cfg.file());
                return ExitCodes.OK;
            }
            EstateSnapshot s = service(ctx, timeoutMs).scan();
            if (prom != null) PrometheusTextfile.write(s, prom);
            try (StartupTrace.Phase p = StartupTrace.phase("scan: results printed")) {
                if (json) ctx.out().println(Json.indented().writeValueAsString(toJson(s.certificates(), s)));
                else print(s, s.certificates(), ctx.out());
                ctx.out().flush();
            }
            return s.exitCode();
        }
    }

    @Command(name = "affected", mixinStandardHelpOptions = true,
            description = {"Which certificates an incident touches: issued by a CA (or configured for one), with listed serials, matching names, or expiring soon.",
                    "Exit 0 when none is affected; 1 when some are (the query matched, even if each is ok today: plan their",
                    "renewal); 2 when an affected certificate needs a person now (critical, expired, unreachable, diverged)."})
    static final class Affected implements Callable<Integer> {
        private final CliContext ctx;
        @ArgGroup(exclusive = true, multiplicity = "1") Which which;
        @Option(names = "--json", description = "JSON output for machines.") boolean json;
        @Option(names = "--timeout", paramLabel = "MS", defaultValue = "5000",
                description = "Per endpoint: TLS handshake deadline in milliseconds (connect: at most 3000). Default: ${DEFAULT-VALUE}.") int timeoutMs;

        static final class Which {
            @Option(names = "--ca", paramLabel = "ID", description = "Issued by this CA: the issuer of what is served or live on disk (configured id or issuer name).") String ca;
            @Option(names = "--configured-ca", paramLabel = "ID", description = "Configured for this CA (first in the certificate's cas:), whoever issued what it serves.") String configuredCa;
            @Option(names = "--serials", paramLabel = "FILE", description = "A file of serials (hex, one per line), e.g. a CA's revocation list.") Path serials;
            @Option(names = "--names", paramLabel = "PATTERN", description = "Names matching a pattern, e.g. '*.example.com'.") String names;
            @Option(names = "--days-left", paramLabel = "N", description = "At most N days left.") Long daysLeft;
        }

        Affected(CliContext ctx) { this.ctx = ctx; }

        @Override
        public Integer call() throws Exception {
            EstateSnapshot s = service(ctx, timeoutMs).scan();
            List<CertificateView> hit;
            if (which.ca != null) hit = ImpactQuery.byCa(s, which.ca);
            else if (which.configuredCa != null) hit = ImpactQuery.byConfiguredCa(s, ctx.config(), which.configuredCa);
            else if (which.serials != null) hit = ImpactQuery.bySerials(s, serials(which.serials));
            else if (which.names != null) hit = ImpactQuery.byNames(s, which.names);
            else hit = ImpactQuery.byDaysLeft(s, which.daysLeft);
            if (json) {
                ctx.out().println(Json.indented().writeValueAsString(toJson(hit, s)));
            } else if (hit.isEmpty()) {
                ctx.out().println("No certificate is affected.");
            } else {
                ctx.out().println(Words.count(hit.size(), "certificate") + " affected:");
                print(s, hit, ctx.out());
                ctx.out().println("Next: ./certops budget plan " + String.join(" ", hit.stream().map(CertificateView::id).toList())
                        + "   (then: ./certops runbook run mass-revocation)");
            }
            if (hit.isEmpty()) return ExitCodes.OK;
            boolean actNow = hit.stream().anyMatch(c -> c.attention() == Attention.ACTION);
            return actNow ? ExitCodes.FAILED : ExitCodes.WARNING;
        }

        private static Set<String> serials(Path file) throws CommandFailedException {
            try {
                return ImpactQuery.readSerials(file);
            } catch (IOException | IllegalArgumentException e) {
                throw new CommandFailedException(e.getMessage(), ExitCodes.USAGE);
            }
        }
    }

    static EstateService service(CliContext ctx, int timeoutMs) throws CommandFailedException {
        if (timeoutMs < 1) throw new CommandFailedException("--timeout must be a positive number of milliseconds (got " + timeoutMs + ")", ExitCodes.USAGE);
        var probe = new TlsProbe(Duration.ofMillis(Math.min(3000, timeoutMs)), Duration.ofMillis(timeoutMs), TlsProbe.Mode.CHAIN_ONLY);
        return new EstateService(ctx.session(), probe, EstateService.DEFAULT_PARALLELISM);
    }

    static void print(EstateSnapshot s, List<CertificateView> certs, PrintWriter out) {
        Map<Instant, String> minutes = new HashMap<>(); // most rows share a few moments: each is formatted once
        TextTable t = new TextTable().column("CERTIFICATE", 40).column("STATUS").right("DAYS LEFT").column("CA", 24).column("SINCE")
                .column("HOSTS", 32).column("ATTENTION", 100);
        for (CertificateView c : certs) {
            t.row(c.id(), c.statusLabel(), c.daysLeft().map(String::valueOf).orElse("-"), c.ca(), since(c.since(), minutes),
                    Words.list(c.hosts()), reason(c.reason(), c.findings().size()));
        }
        if (certs == s.certificates()) {
            for (EndpointView e : s.extraEndpoints()) {
                t.row(e.label(), e.status().label(), e.daysLeft().map(String::valueOf).orElse("-"), e.ca(), since(s.sinceOf(e.label()), minutes),
                        "(watched)", reason(e.reason(), e.findings().size()));
            }
        }
        out.print(t);
        out.printf("Scanned in %d ms: %s%n", s.took().toMillis(), s.summary());
    }

    private static String reason(String reason, int findings) {
        return reason.isEmpty() ? "" : reason + (findings > 1 ? " (+" + (findings - 1) + " more)" : "");
    }

    private static String since(Optional<Instant> at, Map<Instant, String> minutes) {
        return at.map(i -> minutes.computeIfAbsent(i, Words::minute)).orElse("-");
    }

    static Map<String, Object> toJson(List<CertificateView> certs, EstateSnapshot s) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("scannedAt", Words.iso(s.at()));
        root.put("exitCode", s.exitCode());
        root.put("tookMs", s.took().toMillis());
        root.put("summary", s.summary());
        List<Object> list = new ArrayList<>();
        ObjectMapper om = Json.indented();
        for (CertificateView c : certs) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = new LinkedHashMap<>(om.convertValue(c, Map.class));
            m.put("attention", c.attention().name().toLowerCase(Locale.ROOT));
            m.put("reason", c.reason());
            m.put("diverged", c.diverged());
            list.add(m);
        }
        root.put("certificates", list);
        if (certs == s.certificates()) {
            List<Object> extra = new ArrayList<>();
            for (EndpointView e : s.extraEndpoints()) extra.add(om.convertValue(e, Map.class));
            root.put("endpoints", extra);
        }
        return root;
    }
}
