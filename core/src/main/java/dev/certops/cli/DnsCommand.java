package dev.certops.cli;

import dev.certops.acme.dns.DnsRouting;
import dev.certops.acme.dns.DnsTest;
import dev.certops.config.CertopsConfig;
import dev.certops.config.DnsConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code certops dns test PROVIDER --name NAME}: the safe way to prove a DNS provider works before an incident. */
@Command(name = "dns", mixinStandardHelpOptions = true, description = "DNS providers for DNS-01.", subcommands = DnsCommand.Test.class)
final class DnsCommand implements Runnable {
    private final CliContext ctx;

    DnsCommand(CliContext ctx) { this.ctx = ctx; }

    @Override
    public void run() { ctx.out().println("Use: ./certops dns test PROVIDER --name NAME"); }

    @Command(name = "test", mixinStandardHelpOptions = true,
            description = {"Publish a random TXT value where the DNS-01 record for NAME goes (following its CNAMEs) through PROVIDER,",
                    "wait until every authoritative server of the zone answers it, remove it, and wait until none does.",
                    "Each step is printed with its duration. Exit 0 when every step worked, 2 when one failed."})
    static final class Test implements Callable<Integer> {
        private final CliContext ctx;
        @Parameters(paramLabel = "PROVIDER", description = "A provider id from the dns: section.") String provider;
        @Option(names = "--name", required = true, paramLabel = "NAME", description = "A name a certificate would cover, e.g. www.example.com.") String name;
        @Option(names = "--json", description = "Print the report as JSON.") boolean json;

        Test(CliContext ctx) { this.ctx = ctx; }

        @Override
        public Integer call() throws Exception {
            CertopsConfig cfg = ctx.config();
            if (cfg.dnsProvider(provider).isEmpty()) {
                throw new CommandFailedException("no DNS provider '" + provider + "' in " + cfg.file() + " — known: "
                        + (cfg.dns().isEmpty() ? "(none: add one under dns:)" : String.join(", ", cfg.dns().stream().map(DnsConfig::id).toList())),
                        ExitCodes.USAGE);
            }
            DnsTest.Report report = new DnsTest(DnsRouting.of(cfg, provider, ctx.session().secrets(), ctx.clock()), ctx.clock())
                    .run(provider, name.trim().toLowerCase(java.util.Locale.ROOT));
            if (json) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("provider", provider);
                out.put("name", report.name());
                out.put("ok", report.ok());
                out.put("steps", report.steps().stream().map(s -> Map.of("step", s.what(), "ok", s.ok(), "millis", s.took().toMillis(),
                        "detail", s.detail())).toList());
                ctx.out().println(Json.mapper().writeValueAsString(out));
            } else {
                for (DnsTest.Step s : report.steps()) ctx.out().println("  " + s);
                ctx.out().println(report.summary());
            }
            return report.ok() ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }
}
