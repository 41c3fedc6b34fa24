package dev.certops.cli;

import dev.certops.acme.dns.AcmeDnsAccount;
import dev.certops.acme.dns.DnsRouting;
import dev.certops.acme.dns.DnsTest;
import dev.certops.config.CertopsConfig;
import dev.certops.config.DnsConfig;
import dev.certops.crypto.SecretStore;
import dev.certops.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code certops dns test PROVIDER --name NAME}: the safe way to prove a DNS provider works before an incident. */
@Command(name = "dns", mixinStandardHelpOptions = true, description = "DNS providers for DNS-01.", subcommands = {DnsCommand.Test.class, DnsCommand.Register.class})
final class DnsCommand implements Runnable {
    private final CliContext ctx;

    DnsCommand(CliContext ctx) { this.ctx = ctx; }

    @Override
    public void run() { ctx.out().println("Use: ./certops dns test PROVIDER --name NAME | dns register PROVIDER --name NAME"); }

    @Command(name = "test", mixinStandardHelpOptions = true,
            description = {"Prove a DNS provider works: publish, see on every authoritative server, remove.",
                    "Publishes a random TXT value where the DNS-01 record for NAME goes (following its CNAMEs) through PROVIDER,",
                    "waits until every authoritative server of the zone answers it, removes it, and waits until none does.",
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
                    .run(provider, name.trim().toLowerCase(Locale.ROOT));
            if (json) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("provider", provider);
                out.put("name", report.name());
                out.put("ok", report.ok());
                out.put("steps", report.steps().stream().map(s -> Map.of("step", s.what(), "ok", s.ok(), "millis", s.took().toMillis(),
                        "detail", s.detail())).toList());
                ctx.out().println(Json.indented().writeValueAsString(out));
            } else {
                for (DnsTest.Step s : report.steps()) ctx.out().println("  " + s);
                ctx.out().println(report.summary());
            }
            return report.ok() ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }

    @Command(name = "register", mixinStandardHelpOptions = true,
            description = {"Register an acme-dns account for PROVIDER and print the CNAME records to create.",
                    "Calls POST /register at the provider's url and stores the answer (username, password, subdomain, fulldomain)",
                    "as the secret named by its 'account' key (default acme-dns-PROVIDER), mode 0600, never printed.",
                    "Prints the fulldomain and, for each --name, the _acme-challenge CNAME record to create."})
    static final class Register implements Callable<Integer> {
        private final CliContext ctx;
        @Parameters(paramLabel = "PROVIDER", description = "An acme-dns provider id from the dns: section.") String provider;
        @Option(names = "--name", required = true, paramLabel = "NAME", description = "A name the account is for (repeatable), e.g. www.example.com.")
        List<String> names = new ArrayList<>();
        @Option(names = "--allow-from", paramLabel = "CIDR", description = "Only these networks may update the record (acme-dns allowfrom; repeatable).")
        List<String> allowFrom = new ArrayList<>();
        @Option(names = "--replace", description = "Register a new account even though one is stored (its CNAME records must then be changed).")
        boolean replace;

        Register(CliContext ctx) { this.ctx = ctx; }

        @Override
        public Integer call() throws Exception {
            CertopsConfig cfg = ctx.config();
            DnsConfig dns = cfg.dnsProvider(provider).orElseThrow(() -> new CommandFailedException("no DNS provider '" + provider + "' in " + cfg.file()
                    + " — add one such as { id: " + provider + ", type: acme-dns, url: \"https://auth.example.net\" } under dns:", ExitCodes.USAGE));
            if (!"acme-dns".equals(dns.type())) {
                throw new CommandFailedException("dns provider '" + provider + "' has type " + dns.type() + "; dns register is for type acme-dns", ExitCodes.USAGE);
            }
            if (AcmeDnsAccount.inConfig(dns)) {
                throw new CommandFailedException("dns provider '" + provider + "' has its account written in " + cfg.file()
                        + " (username, password, subdomain, fulldomain); remove those four keys to use a registered account", ExitCodes.USAGE);
            }
            String secret = AcmeDnsAccount.secretName(dns);
            SecretStore secrets = ctx.session().secrets();
            if (secrets.exists(secret) && !replace) {
                throw new CommandFailedException("dns provider '" + provider + "' already has an account (secret " + secret
                        + "); nothing was registered. Use --replace for a new one (its fulldomain changes, so every CNAME to the old one must be changed)",
                        ExitCodes.USAGE);
            }
            AcmeDnsAccount account = AcmeDnsAccount.register(dns, allowFrom);
            secrets.write(secret, account.toSecret());
            ctx.out().printf("Registered an acme-dns account at %s for dns provider '%s'.%n", dns.settings().get("url"), provider);
            ctx.out().printf("Stored its username and password as secret %s in %s (mode 0600, %s).%n", secret, ctx.workspace().secretsDir().resolve(secret),
                    secrets.encrypted() ? "encrypted with the workspace passphrase" : "not encrypted: set CERTOPS_PASSPHRASE to encrypt secrets");
            ctx.out().println("fulldomain: " + account.fulldomain());
            if (!account.allowfrom().isEmpty()) ctx.out().println("allowed to update from: " + String.join(", ", account.allowfrom()));
            ctx.out().println("Create " + (names.size() == 1 ? "this record" : "these records") + " in the zone of each name, once:");
            for (String n : names) ctx.out().println("  " + account.cname(n.trim()));
            ctx.out().println("Then check with ./certops config check and ./certops dns test " + provider + " --name " + names.get(0).trim());
            return ExitCodes.OK;
        }
    }
}
