package dev.certops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.certops.config.CaConfig;
import dev.certops.config.CertificateConfig;
import dev.certops.config.CertopsConfig;
import dev.certops.crypto.TrustAnchors;
import dev.certops.estate.EstateService;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryStore;
import dev.certops.history.NewEvent;
import dev.certops.json.Json;
import dev.certops.ratelimit.BudgetReport;
import dev.certops.ratelimit.BudgetService;
import dev.certops.ratelimit.CertificateRequest;
import dev.certops.ratelimit.IssuanceImport;
import dev.certops.ratelimit.Plan;
import dev.certops.scan.TlsProbe;
import dev.certops.words.Causes;
import dev.certops.words.Words;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import javax.net.ssl.HttpsURLConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code certops budget [--ca ID] [--json]} and {@code certops budget plan ...}. */
@Command(name = "budget", mixinStandardHelpOptions = true,
        description = "What the CAs will still allow: per account, registered domain and exact name set.",
        subcommands = {BudgetCommand.PlanCommand.class, BudgetCommand.ImportCommand.class})
final class BudgetCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Option(names = "--ca", paramLabel = "ID", description = "Only this CA.") String ca;
    @Option(names = "--staging", description = "The CA's staging endpoint instead of production.") boolean staging;
    @Option(names = "--json", description = "JSON output for machines.") boolean json;

    BudgetCommand(CliContext ctx) { this.ctx = ctx; }

    @Override
    public Integer call() throws Exception {
        CertopsConfig cfg = ctx.config();
        List<CaConfig> cas = ca == null ? cfg.cas() : List.of(cfg.ca(ca).orElseThrow(() ->
                new CommandFailedException("no CA '" + ca + "' in certops.yaml — known: " + ids(cfg), ExitCodes.USAGE)));
        if (cas.isEmpty()) {
            ctx.out().println("No CAs configured: add them under cas: in certops.yaml to see their budget.");
            return ExitCodes.OK;
        }
        BudgetService budget = ctx.session().budget();
        // every bucket the managed certificates draw from, so one with no history yet shows at full capacity
        Map<String, String> accounts = accounts(ctx.history());
        List<CertificateRequest> applicable = new ArrayList<>();
        for (var cert : cfg.certificates()) {
            for (CaConfig c : cfg.casFor(cert)) {
                applicable.add(new CertificateRequest(cert.id(), c.id(), staging, accounts.getOrDefault(c.id() + "|" + staging, ""), cert.names(), Optional.empty()));
            }
        }
        for (CaConfig c : cas) {
            var b = budget.now(c.id(), staging, applicable);
            ctx.out().print(json ? BudgetReport.json(b) + "\n" : BudgetReport.text(b));
            if (!json) down(c).ifPresent(why -> ctx.out().println("  CA " + c.id() + " does not answer now (" + why
                    + "): its budget cannot be used until it is back — ./certops runbook run primary-ca-outage issues from the next CA"));
        }
        return ExitCodes.OK;
    }

    /** Why the CA's directory does not answer (one GET, 3 s at most), or empty when it does. */
    private Optional<String> down(CaConfig c) {
        URI dir = staging ? c.staging().orElse(c.directory()) : c.directory();
        try {
            var conn = (HttpURLConnection) dir.toURL().openConnection();
            if (conn instanceof HttpsURLConnection https) {
                https.setSSLSocketFactory(TrustAnchors.sslContext(c.trust().map(t -> ctx.workspace().resolve(t))).getSocketFactory());
            }
            conn.setConnectTimeout(3000);
            conn.setReadTimeout(3000);
            int code = conn.getResponseCode();
            conn.disconnect();
            return code >= 500 || code == 429 ? Optional.of("HTTP " + code) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.of(Causes.of(e));
        }
    }

    private static String ids(CertopsConfig cfg) {
        return String.join(", ", cfg.cas().stream().map(CaConfig::id).toList());
    }

    @Command(name = "plan", mixinStandardHelpOptions = true,
            description = "Plan renewals inside the budget: what goes now, what waits and until when (safety line 80%%).")
    static final class PlanCommand implements Callable<Integer> {
        private final CliContext ctx;
        @Parameters(paramLabel = "CERT_ID", arity = "0..*", description = "Certificates to plan, in priority order.") List<String> certs = new ArrayList<>();
        @Option(names = "--all", description = "Every managed certificate, soonest expiry first when known.") boolean all;
        @Option(names = "--affected-by", paramLabel = "FILE", description = "A file of serials (one per line, hex), e.g. a CA's revocation list.") Path affectedBy;
        @Option(names = "--override", description = "Lift the safety line (never past the CA's own capacity).") boolean override;
        @Option(names = "--staging", description = "Plan against the CAs' staging endpoints.") boolean staging;
        @Option(names = "--json", description = "JSON output for machines.") boolean json;

        PlanCommand(CliContext ctx) { this.ctx = ctx; }

        @Override
        public Integer call() throws Exception {
            CertopsConfig cfg = ctx.config();
            Set<String> ids = new LinkedHashSet<>(certs);
            if (all) cfg.certificates().forEach(c -> ids.add(c.id()));
            if (affectedBy != null) ids.addAll(certificatesBySerial(ctx.history(), serials(affectedBy)));
            if (ids.isEmpty()) throw new CommandFailedException("name the certificates: CERT_ID..., --all or --affected-by FILE", ExitCodes.USAGE);
            Map<String, String> accounts = accounts(ctx.history());
            List<CertificateRequest> requests = new ArrayList<>();
            for (String id : ids) {
                CertificateConfig c = ctx.certificate(id);
                List<CaConfig> cas = cfg.casFor(c);
                if (cas.isEmpty()) throw new CommandFailedException("certificate '" + id + "' has no CA: add one under cas:", ExitCodes.CONFIG);
                String caId = cas.get(0).id();
                requests.add(new CertificateRequest(id, caId, staging, accounts.getOrDefault(caId + "|" + staging, ""), c.names(), Optional.empty()));
            }
            Plan plan = ctx.session().budget().plan(requests, override);
            ctx.out().print(json ? BudgetReport.json(plan) + "\n" : BudgetReport.text(plan));
            return plan.later().isEmpty() ? ExitCodes.OK : ExitCodes.WARNING;
        }

        private static List<String> serials(Path file) throws Exception {
            if (!Files.isReadable(file)) throw new CommandFailedException(file + " cannot be read: give a file of serials, one per line", ExitCodes.USAGE);
            List<String> out = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                String s = line.strip().replace(":", "").toLowerCase(Locale.ROOT);
                if (s.isEmpty() || s.startsWith("#")) continue;
                if (!s.matches("[0-9a-f]+")) throw new CommandFailedException(file + ": '" + line.strip() + "' is not a hex serial", ExitCodes.USAGE);
                out.add(s.replaceFirst("^0+(?=.)", ""));
            }
            return out;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Tell the budget about issuances made by other tools (certbot elsewhere) for the same accounts or domains.",
                    "FILE is CSV: names,ca,time[,account] — names separated by spaces or ';', time ISO-8601; or --scan to import what the estate serves."})
    static final class ImportCommand implements Callable<Integer> {
        private final CliContext ctx;
        @Parameters(paramLabel = "FILE", arity = "0..1", description = "The CSV file.") Path file;
        @Option(names = "--scan", description = "Import the certificates the estate scan finds served or on disk, attributed to --ca.") boolean scan;
        @Option(names = "--ca", paramLabel = "ID", description = "With --scan: the CA they came from.") String ca;

        ImportCommand(CliContext ctx) { this.ctx = ctx; }

        @Override
        public Integer call() throws Exception {
            List<NewEvent> events = new ArrayList<>();
            if (file != null) {
                try (var r = Files.newBufferedReader(file)) {
                    events.addAll(IssuanceImport.fromCsv(r, file.toString()));
                } catch (IOException e) {
                    throw new CommandFailedException(file + ": " + e.getMessage() + " — nothing was imported", ExitCodes.USAGE);
                } catch (IllegalArgumentException e) {
                    throw new CommandFailedException(e.getMessage() + " — nothing was imported", ExitCodes.USAGE);
                }
            } else if (scan) {
                if (ca == null || ctx.config().ca(ca).isEmpty()) throw new CommandFailedException("--scan needs --ca ID, a CA from certops.yaml", ExitCodes.USAGE);
                var snapshot = new EstateService(ctx.session()).scan();
                Set<String> seen = new HashSet<>();
                for (var c : snapshot.certificates()) {
                    for (var e : c.endpoints()) {
                        if (e.served().isEmpty()) continue;
                        var served = e.served().get();
                        if (seen.add(served.serial())) {
                            var chain = new TlsProbe(Duration.ofSeconds(3), Duration.ofSeconds(5)).fetch(e.endpoint());
                            events.add(IssuanceImport.fromCertificate(chain.leaf(), ca, "estate scan of " + e.endpoint()));
                        }
                    }
                }
            } else {
                throw new CommandFailedException("give a CSV FILE or --scan --ca ID", ExitCodes.USAGE);
            }
            ctx.history().appendAll(events);
            ctx.out().println("Imported " + Words.count(events.size(), "issuance") + " into the budget. See them with ./certops budget");
            return ExitCodes.OK;
        }
    }

    /** Which certificate ids certops issued with these serials (from history). */
    static Set<String> certificatesBySerial(HistoryStore history, List<String> serials) throws Exception {
        ObjectMapper om = Json.mapper();
        Set<String> wanted = new HashSet<>(serials);
        Set<String> out = new LinkedHashSet<>();
        history.forEach(EventQuery.all().kind(EventKinds.ACME_CERT_ISSUED), e -> {
            try {
                JsonNode d = om.readTree(e.details());
                String serial = d.path("serial").asText("").toLowerCase(Locale.ROOT).replaceFirst("^0+(?=.)", "");
                if (wanted.contains(serial)) out.add(e.subject());
            } catch (Exception ignored) {
                // an unreadable event is reported by `audit verify`, not here
            }
        });
        return out;
    }

    /** The newest ACME account URL per CA and endpoint, "ca|staging" → URL. */
    static Map<String, String> accounts(HistoryStore history) throws Exception {
        ObjectMapper om = Json.mapper();
        Map<String, String> out = new HashMap<>();
        history.forEach(EventQuery.all().kind(EventKinds.ACME_ACCOUNT_CREATED), e -> {
            try {
                JsonNode d = om.readTree(e.details());
                out.put(d.path("ca").asText() + "|" + d.path("staging").asBoolean(), d.path("account").asText());
            } catch (Exception ignored) {
                // an unreadable event is reported by `audit verify`, not here
            }
        });
        return out;
    }
}
