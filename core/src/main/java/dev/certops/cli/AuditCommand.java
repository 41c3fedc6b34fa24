package dev.certops.cli;

import dev.certops.history.AuditExport;
import dev.certops.history.AuditResult;
import dev.certops.history.EventQuery;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code certops audit verify | export}. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Verify and export the tamper-evident history.",
        subcommands = {AuditCommand.Verify.class, AuditCommand.Export.class})
final class AuditCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Walk the hash chain: exit 0 when intact, 2 naming the first event that was changed, deleted or reordered.")
    static final class Verify implements Callable<Integer> {
        private final CliContext ctx;

        Verify(CliContext ctx) { this.ctx = ctx; }

        @Override
        public Integer call() throws Exception {
            AuditResult r = ctx.history().verify();
            if (r.ok()) {
                ctx.out().printf("OK: %d events, the chain is intact.%n", r.checked());
                return signatures();
            }
            ctx.out().printf("BROKEN: %s (first broken event: %d; %d events checked before it).%n",
                    r.problem().orElse("the chain does not verify"), r.firstBroken().orElse(-1L), r.checked());
            ctx.out().println("The history was altered outside certops. Keep this file as evidence; export what is intact with `certops audit export`.");
            return ExitCodes.FAILED;
        }

        /** Every signature against the allowed signers in force at its moment (team mode). */
        private int signatures() throws Exception {
            if (!(ctx.history() instanceof dev.certops.history.JdbcHistoryStore store)) return ExitCodes.OK;
            dev.certops.team.SignatureAudit.Result s = dev.certops.team.SignatureAudit.verify(store);
            if (s.signed() == 0 && s.ok()) return ExitCodes.OK;
            if (s.ok()) {
                ctx.out().printf("OK: %d signatures, each by a key allowed at its moment.%n", s.signed());
                return ExitCodes.OK;
            }
            ctx.out().printf("SIGNATURES: %d of %d events do not hold:%n", s.problems().size(), s.checked());
            s.problems().forEach(p -> ctx.out().println("  " + p));
            ctx.out().println("Who signed what cannot be trusted for these events. Keep the database as evidence; compare with the team's records.");
            return ExitCodes.FAILED;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true, description = "Export events for an audit (CSV or JSON, with their hashes).")
    static final class Export implements Callable<Integer> {
        enum Format { csv, json }

        private final CliContext ctx;
        @Option(names = "--format", required = true, description = "csv or json.") Format format;
        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the export.") Path out;
        @Option(names = "--since", paramLabel = "WHEN", description = "Only events since WHEN (24h, 7d, a date, an instant).") String since;

        Export(CliContext ctx) { this.ctx = ctx; }

        @Override
        public Integer call() throws Exception {
            EventQuery q = since == null ? EventQuery.all() : EventQuery.all().since(TimeArg.parse(since, ctx.clock()));
            Path abs = out.toAbsolutePath();
            Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                // in a team, each change also names who approved it (the second person of a two-person gate)
                AuditExport.Approvers approvers = ctx.session().team().teamMode() ? new dev.certops.team.ApprovalTrail() : null;
                if (format == Format.csv) AuditExport.writeCsv(ctx.history(), q, w, approvers);
                else AuditExport.writeJson(ctx.history(), q, w, approvers);
            }
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            ctx.out().printf("Wrote %s (%s).%n", abs, format);
            return ExitCodes.OK;
        }
    }
}
