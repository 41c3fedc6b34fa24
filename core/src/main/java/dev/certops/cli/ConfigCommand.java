package dev.certops.cli;

import dev.certops.acme.CaDirectoryCheck;
import dev.certops.acme.dns.DnsRouting;
import dev.certops.config.CertificateConfig;
import dev.certops.config.CertopsConfig;
import dev.certops.config.ChallengeConfig;
import dev.certops.root.ConfigChecks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code certops config check}. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Work with certops.yaml.",
        subcommands = ConfigCommand.Check.class)
final class ConfigCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Validate the workspace's certops.yaml: exit 0 when valid, 78 with file, line and key when not.",
                    "Then check what it points at: CA trust files, SSH identity and known_hosts files, secret: references",
                    "(exit 78 when one cannot be used; a host whose key is not trusted yet is a note).",
                    "Then ask each CA's ACME directory (and staging directory) once: ok, untrusted TLS (add trust:), not an ACME",
                    "directory (exit 78 for these two), or unreachable (a note: the network may come back). --offline skips that."})
    static final class Check implements Callable<Integer> {
        private final CliContext ctx;

        @Option(names = "--offline", description = "Do not contact the CAs (only the file and what it points at on this machine are checked).")
        boolean offline;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "5",
                description = "How long each CA may take to connect and to answer (default: ${DEFAULT-VALUE} s).")
        int timeoutSeconds;

        Check(CliContext ctx) { this.ctx = ctx; }

        @Override
        public Integer call() throws Exception {
            CertopsConfig c = ctx.config();
            ctx.out().printf("%s is valid: %d CA(s), %d DNS provider(s), %d host(s), %d certificate(s), %d extra endpoint(s).%n",
                    c.file(), c.cas().size(), c.dns().size(), c.hosts().size(), c.certificates().size(), c.endpoints().size());
            List<ConfigChecks.Problem> problems = new ArrayList<>(ConfigChecks.check(c, ctx.workspace(), ctx.session().secrets()));
            problems.addAll(dnsChains(c));
            if (!offline) problems.addAll(caDirectories(c));
            long blocking = problems.stream().filter(ConfigChecks.Problem::blocking).count();
            for (ConfigChecks.Problem p : problems) ctx.out().println((p.blocking() ? "  ✘ " : "  note: ") + p);
            if (blocking > 0) {
                throw new CommandFailedException(blocking + " thing(s) certops.yaml points at cannot be used (listed above); "
                        + "fix them before an incident needs them, then run ./certops config check again", ExitCodes.CONFIG);
            }
            if (problems.isEmpty()) ctx.out().println("Everything it points at is there: trust files, SSH identities and known hosts, secrets.");
            return ExitCodes.OK;
        }

        /** Prints each CA directory's answer; untrusted TLS and a URL that is no ACME directory block. */
        private List<ConfigChecks.Problem> caDirectories(CertopsConfig c) {
            if (timeoutSeconds < 1) throw new CommandFailedException("--timeout: give a whole number of seconds, 1 or more", ExitCodes.USAGE);
            List<ConfigChecks.Problem> out = new ArrayList<>();
            for (CaDirectoryCheck.Result r : CaDirectoryCheck.check(c.cas(), ctx.workspace(), Duration.ofSeconds(timeoutSeconds))) {
                if (r.configProblem()) {
                    out.add(new ConfigChecks.Problem("CA " + r.ca() + " (" + r.directory() + ")", r.detail(), "fix this CA's entry in certops.yaml", true));
                } else {
                    ctx.out().println("  CA " + r);
                }
            }
            return out;
        }

        /**
         * Prints where each dns-01 name's TXT record will be written (its CNAME chain and the provider
         * that owns the end); a loop or an over-long chain is a problem that blocks.
         */
        private List<ConfigChecks.Problem> dnsChains(CertopsConfig c) throws Exception {
            List<ConfigChecks.Problem> out = new ArrayList<>();
            for (CertificateConfig cert : c.certificates()) {
                if (cert.challenge().flatMap(ChallengeConfig::dns).isEmpty()) continue;
                DnsRouting routing = DnsRouting.of(c, cert.challenge().get().dns().get(), ctx.session().secrets(), ctx.session().clock());
                for (String name : cert.names()) {
                    DnsRouting.Plan plan = routing.plan(name);
                    if (plan.broken()) {
                        out.add(new ConfigChecks.Problem("certificates[" + cert.id() + "] " + name, plan.line(), "fix the CNAME records before a renewal needs them", true));
                    } else {
                        ctx.out().println("  dns-01 " + cert.id() + " " + name + ": " + plan.line());
                    }
                }
            }
            return out;
        }
    }
}
