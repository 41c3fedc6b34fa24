package dev.certops.cli;

import dev.certops.acme.dns.DnsRouting;
import dev.certops.config.CertificateConfig;
import dev.certops.config.CertopsConfig;
import dev.certops.config.ChallengeConfig;
import dev.certops.session.Preflight;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
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
                    "(exit 78 when one cannot be used; a host whose key is not trusted yet is a note)."})
    static final class Check implements Callable<Integer> {
        private final CliContext ctx;

        Check(CliContext ctx) { this.ctx = ctx; }

        @Override
        public Integer call() throws Exception {
            CertopsConfig c = ctx.config();
            ctx.out().printf("%s is valid: %d CA(s), %d DNS provider(s), %d host(s), %d certificate(s), %d extra endpoint(s).%n",
                    c.file(), c.cas().size(), c.dns().size(), c.hosts().size(), c.certificates().size(), c.endpoints().size());
            List<Preflight.Problem> problems = new ArrayList<>(Preflight.check(c, ctx.workspace(), ctx.session().secrets()));
            problems.addAll(dnsChains(c));
            long blocking = problems.stream().filter(Preflight.Problem::blocking).count();
            for (Preflight.Problem p : problems) ctx.out().println((p.blocking() ? "  ✘ " : "  note: ") + p);
            if (blocking > 0) {
                throw new CommandFailedException(blocking + " thing(s) certops.yaml points at cannot be used (listed above); "
                        + "fix them before an incident needs them, then run ./certops config check again", ExitCodes.CONFIG);
            }
            if (problems.isEmpty()) ctx.out().println("Everything it points at is there: trust files, SSH identities and known hosts, secrets.");
            return ExitCodes.OK;
        }

        /**
         * Prints where each dns-01 name's TXT record will be written (its CNAME chain and the provider
         * that owns the end); a loop or an over-long chain is a problem that blocks.
         */
        private List<Preflight.Problem> dnsChains(CertopsConfig c) throws Exception {
            List<Preflight.Problem> out = new ArrayList<>();
            for (CertificateConfig cert : c.certificates()) {
                if (cert.challenge().flatMap(ChallengeConfig::dns).isEmpty()) continue;
                DnsRouting routing = DnsRouting.of(c, cert.challenge().get().dns().get(), ctx.session().secrets(), ctx.session().clock());
                for (String name : cert.names()) {
                    DnsRouting.Plan plan = routing.plan(name);
                    if (plan.broken()) {
                        out.add(new Preflight.Problem("certificates[" + cert.id() + "] " + name, plan.line(), "fix the CNAME records before a renewal needs them", true));
                    } else {
                        ctx.out().println("  dns-01 " + cert.id() + " " + name + ": " + plan.line());
                    }
                }
            }
            return out;
        }
    }
}
