package dev.certops.cli;

import dev.certops.json.Json;
import dev.certops.lease.Lease;
import dev.certops.lease.Presence;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code certops lease list | break CERT_ID --reason TEXT}: who holds what, and breaking a lease of a console that is gone. */
@Command(name = "lease", mixinStandardHelpOptions = true,
        description = "The leases consoles hold on certificates while they change them, and the consoles connected to this history.",
        subcommands = {LeaseCommand.ListLeases.class, LeaseCommand.Break.class})
final class LeaseCommand implements Runnable {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
    private final CliContext ctx;

    LeaseCommand(CliContext ctx) { this.ctx = ctx; }

    @Override
    public void run() { ctx.out().println("Use: ./certops lease list [--json] | break CERT_ID --reason \"why\""); }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Leases held now (who, what, since when, until when) and the consoles connected.")
    static final class ListLeases implements Callable<Integer> {
        private final CliContext ctx;
        @Option(names = "--json", description = "Machine-readable output.") boolean json;
        ListLeases(CliContext ctx) { this.ctx = ctx; }

        @Override
        public Integer call() throws Exception {
            ctx.config();
            List<Lease> leases = ctx.session().leases().current();
            String me = ctx.session().consoleId();
            List<Presence.ConsoleInfo> consoles = ctx.session().presence().current().stream().filter(c -> !c.console().equals(me)).toList();
            if (json) {
                Map<String, Object> out = new LinkedHashMap<>();
                List<Map<String, Object>> ls = new ArrayList<>();
                for (Lease l : leases) ls.add(row(l));
                out.put("leases", ls);
                List<Map<String, Object>> cs = new ArrayList<>();
                for (Presence.ConsoleInfo c : consoles) {
                    cs.add(Map.of("console", c.console(), "actor", c.actor(), "since", c.since().toString(), "lastSeen", c.lastSeen().toString()));
                }
                out.put("consoles", cs);
                ctx.out().println(Json.indented().writeValueAsString(out));
                return ExitCodes.OK;
            }
            if (leases.isEmpty()) {
                ctx.out().println("No leases: no console is issuing, deploying, rolling back or revoking anything now.");
            } else {
                ctx.out().printf("%-24s %-9s %-22s %-24s %s%n", "CERTIFICATE", "DOING", "WHO", "SINCE", "WHY");
                for (Lease l : leases) {
                    ctx.out().printf("%-24s %-9s %-22s %-24s %s (lapses %s unless renewed)%n", l.subject(), l.operation(), l.actor(),
                            TIME.format(l.since()), l.holder(), TIME.format(l.expires()));
                }
            }
            ctx.out().println(consoles.isEmpty() ? "No other console is connected." : "Other consoles connected:");
            for (Presence.ConsoleInfo c : consoles) {
                ctx.out().printf("  %s (%s) since %s, last seen %s%n", c.actor(), c.console(), TIME.format(c.since()), TIME.format(c.lastSeen()));
            }
            return ExitCodes.OK;
        }

        private static Map<String, Object> row(Lease l) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("certificate", l.subject());
            m.put("operation", l.operation());
            m.put("holder", l.holder());
            m.put("actor", l.actor());
            m.put("console", l.console());
            m.put("since", l.since().toString());
            m.put("expires", l.expires().toString());
            return m;
        }
    }

    @Command(name = "break", mixinStandardHelpOptions = true,
            description = "Break the lease on a certificate whose console is gone (crashed laptop). Be sure it is gone: "
                    + "a live console would go on changing the certificate. The reason is recorded in history.")
    static final class Break implements Callable<Integer> {
        private final CliContext ctx;
        @Parameters(paramLabel = "CERT_ID", description = "The certificate whose lease to break (see ./certops lease list).") String certificate;
        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why, in words; recorded in history.") String reason;
        Break(CliContext ctx) { this.ctx = ctx; }

        @Override
        public Integer call() throws Exception {
            if (reason.isBlank()) {
                throw new CommandFailedException("--reason is empty: say why the lease is broken (it is recorded), e.g. --reason \"alice's laptop crashed mid-deploy\"",
                        ExitCodes.USAGE);
            }
            ctx.config();
            Optional<Lease> broken = ctx.session().leases().breakLease(certificate, reason);
            if (broken.isEmpty()) {
                ctx.out().println("No lease on " + certificate + ": nothing to break. (./certops lease list shows what is held.)");
                return ExitCodes.OK;
            }
            Lease l = broken.get();
            ctx.out().printf("Broke the lease on %s: it was held by %s (%s) for %s since %s — %s.%n", certificate, l.actor(), l.console(),
                    l.operation(), TIME.format(l.since()), l.holder());
            ctx.out().println("Recorded in history with your reason. Check what that console left behind (./certops estate scan, "
                    + "./certops hosts check) before changing " + certificate + " again.");
            return ExitCodes.OK;
        }
    }
}
