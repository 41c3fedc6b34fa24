package dev.certops.cli;

import dev.certops.config.Endpoint;
import dev.certops.discover.DiscoveredCertificate;
import dev.certops.discover.Discovery;
import dev.certops.discover.DiscoveryReport;
import dev.certops.discover.Proposal;
import dev.certops.discover.Targets;
import dev.certops.estate.Attention;
import dev.certops.estate.Status;
import dev.certops.json.Json;
import dev.certops.scan.TlsProbe;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code certops estate discover TARGETS}: what is served on addresses, ranges and names, and whether certops.yaml manages it. */
@Command(name = "discover", mixinStandardHelpOptions = true,
        description = {"Find the certificates served on addresses, CIDR ranges and host names, and say which certops.yaml does not manage.",
                "They are grouped by certificate, each judged as estate scan judges what it serves (expiry, trust, names asked, revocation).",
                "--propose writes ready entries for them to review and merge; nothing is added by itself.",
                "Exit 0 all managed and ok, 1 unmanaged certificates or a warning, 2 any critical, emergency, rejected, expired or revoked."})
final class EstateDiscoverCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Parameters(arity = "1..*", paramLabel = "TARGET", description = "Addresses (10.0.0.5), IPv4 CIDR ranges (10.0.0.0/24, at most a /16) or host names.")
    List<String> targets;
    @Option(names = "--ports", split = ",", paramLabel = "PORT", defaultValue = "443",
            description = "Ports to try on every target (e.g. 443,8443,993). Default: ${DEFAULT-VALUE}.") List<Integer> ports;
    @Option(names = "--sni", paramLabel = "NAME", description = "A name to send as SNI (repeatable); without any, host names are sent and addresses get the server's default certificate.")
    List<String> sni = new ArrayList<>();
    @Option(names = "--sni-from", paramLabel = "FILE", description = "A file of SNI names, one per line ('#' comments).") Path sniFrom;
    @Option(names = "--json", description = "JSON output for machines.") boolean json;
    @Option(names = "--propose", paramLabel = "FILE", description = "Write certops.yaml entries for the unmanaged certificates to FILE (commented YAML to review and merge).")
    Path propose;
    @Option(names = "--timeout", paramLabel = "MS", defaultValue = "3000",
            description = "Per endpoint: connect and TLS handshake deadline in milliseconds. Default: ${DEFAULT-VALUE}.") int timeoutMs;

    EstateDiscoverCommand(CliContext ctx) { this.ctx = ctx; }

    @Override
    public Integer call() throws Exception {
        if (timeoutMs < 1) throw new CommandFailedException("--timeout must be a positive number of milliseconds (got " + timeoutMs + ")", ExitCodes.USAGE);
        List<Endpoint> endpoints;
        try {
            endpoints = Targets.endpoints(targets, ports, names());
        } catch (IllegalArgumentException e) {
            throw new CommandFailedException(e.getMessage(), ExitCodes.USAGE);
        }
        var config = ctx.config();
        if (propose != null && propose.toAbsolutePath().normalize().equals(config.file().toAbsolutePath().normalize())) {
            throw new CommandFailedException("--propose must name a new file to review, not " + config.file() + " itself: nothing is added to it silently", ExitCodes.USAGE);
        }
        Duration t = Duration.ofMillis(timeoutMs);
        DiscoveryReport r = new Discovery(new TlsProbe(t, t, TlsProbe.Mode.CHAIN_ONLY), ctx.clock(), ctx.history()).run(endpoints, config);
        Discovery.record(ctx.history(), r);
        if (propose != null) {
            try {
                Files.writeString(propose, Proposal.yaml(r, config), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new CommandFailedException("cannot write the proposal to " + propose + ": " + e.getMessage(), ExitCodes.FAILED);
            }
        }
        if (json) ctx.out().println(Json.indented().writeValueAsString(toJson(r)));
        else print(r, ctx.out());
        if (propose != null && !json) {
            ctx.out().println(r.unmanaged().size() + " proposed entr" + (r.unmanaged().size() == 1 ? "y" : "ies") + " written to " + propose
                    + " — review, merge into certificates: in " + config.file().getFileName() + ", then run ./certops config check");
        } else if (!r.unmanaged().isEmpty() && !json) {
            ctx.out().println("Next: add --propose FILE to get certops.yaml entries for the " + r.unmanaged().size() + " unmanaged certificate(s)");
        }
        return exitCode(r);
    }

    private List<String> names() throws CommandFailedException {
        List<String> out = new ArrayList<>(sni);
        if (sniFrom != null) {
            try {
                for (String line : Files.readAllLines(sniFrom, StandardCharsets.UTF_8)) {
                    String n = line.strip();
                    if (!n.isEmpty() && !n.startsWith("#")) out.add(n);
                }
            } catch (IOException e) {
                throw new CommandFailedException("cannot read --sni-from " + sniFrom + ": " + e.getMessage(), ExitCodes.USAGE);
            }
        }
        return out;
    }

    static int exitCode(DiscoveryReport r) {
        Status worst = r.certificates().stream().map(DiscoveredCertificate::status).reduce(Status.OK, Status::worse);
        if (worst.attention() == Attention.ACTION) return ExitCodes.FAILED;
        return worst == Status.WARNING || !r.unmanaged().isEmpty() ? ExitCodes.WARNING : ExitCodes.OK;
    }

    private static void print(DiscoveryReport r, PrintWriter out) {
        out.printf("Discovered %d certificate(s) (%d not managed by certops.yaml) on %d of %d endpoint(s) in %d ms%s%n", r.certificates().size(),
                r.unmanaged().size(), r.answered(), r.probed(), r.took().toMillis(), r.failed().isEmpty() ? "" : "; no TLS from " + r.failed().size()
                        + " (" + failures(r) + ")");
        if (r.certificates().isEmpty()) return;
        String row = "%-32s %-10s %9s  %-24s %-12s %s%n";
        out.printf(row, "NAMES", "STATUS", "DAYS LEFT", "ISSUER", "MANAGED BY", "SERVED AT");
        for (DiscoveredCertificate c : r.certificates()) {
            List<String> names = c.leaf().names();
            String n = names.isEmpty() ? c.leaf().subjectCn() : names.get(0) + (names.size() > 1 ? " (+" + (names.size() - 1) + ")" : "");
            String issuer = c.leaf().issuerCn().isEmpty() ? c.leaf().issuerDn() : c.leaf().issuerCn();
            out.printf(row, n, c.status().label(), c.daysLeft(), issuer, c.managedBy().orElse("- (unmanaged)"), where(c.servedAt()));
        }
        for (DiscoveredCertificate c : r.certificates()) {
            if (c.verdict() != Status.OK) out.println("  " + c.status().label() + ": " + c.reason());
        }
    }

    private static String where(List<Endpoint> eps) {
        String first = eps.get(0).toString();
        return eps.size() == 1 ? first : first + " (+" + (eps.size() - 1) + " more)";
    }

    private static String failures(DiscoveryReport r) {
        Map<String, Integer> by = new TreeMap<>();
        r.failed().values().forEach(v -> by.merge(v, 1, Integer::sum));
        return String.join(", ", by.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).toList());
    }

    private static Map<String, Object> toJson(DiscoveryReport r) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("discoveredAt", r.at().toString());
        root.put("tookMs", r.took().toMillis());
        root.put("probed", r.probed());
        root.put("answered", r.answered());
        root.put("exitCode", exitCode(r));
        List<Object> certs = new ArrayList<>();
        for (DiscoveredCertificate c : r.certificates()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("names", c.leaf().names());
            m.put("issuer", c.leaf().issuerDn());
            m.put("serial", c.leaf().serial());
            m.put("fingerprint", c.leaf().fingerprint().hex());
            m.put("notAfter", c.leaf().notAfter().toString());
            m.put("daysLeft", c.daysLeft());
            m.put("status", c.status().label());
            m.put("verdict", c.verdict().label());
            m.put("findings", c.findings().stream().map(f -> Map.of("code", f.code(), "status", f.status().label(), "message", f.message())).toList());
            m.put("managedBy", c.managedBy().orElse(null));
            m.put("servedAt", c.servedAt().stream().map(e -> Map.of("host", e.host(), "port", e.port(), "sni", e.sni())).toList());
            certs.add(m);
        }
        root.put("certificates", certs);
        Map<String, String> failed = new LinkedHashMap<>();
        r.failed().forEach((e, why) -> failed.put(e.host() + ":" + e.port(), why));
        root.put("unanswered", failed);
        return root;
    }
}
