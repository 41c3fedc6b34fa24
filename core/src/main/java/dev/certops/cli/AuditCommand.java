package dev.certops.cli;

import dev.certops.history.AnchoredAudit;
import dev.certops.history.Anchors;
import dev.certops.history.AuditExport;
import dev.certops.history.AuditResult;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryDatabase;
import dev.certops.history.HistoryEvent;
import dev.certops.history.HistoryStore;
import dev.certops.history.JdbcHistoryStore;
import dev.certops.team.ApprovalTrail;
import dev.certops.team.SignatureAudit;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code certops audit verify | export}. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Verify and export the tamper-evident history.",
        subcommands = {AuditCommand.Verify.class, AuditCommand.Export.class, AuditCommand.Anchor.class})
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
            Optional<Anchors> anchors = localAnchors();
            if (anchors.isPresent() && ctx.session().historyDatabase() instanceof HistoryDatabase.Sqlite
                    && !Files.exists(ctx.workspace().historyFile())) {
                ctx.out().println("BROKEN: " + AnchoredAudit.missingDatabase(ctx.workspace().historyFile(), anchors.get()) + ".");
                return ExitCodes.FAILED;
            }
            HistoryStore history = ctx.history();
            AuditResult r = history.verify();
            List<String> findings = anchors.isPresent() ? AnchoredAudit.check(history, anchors.get()) : List.of();
            if (r.ok() && findings.isEmpty()) {
                ctx.out().printf("OK: %d events, the chain is intact%s.%n", r.checked(),
                        anchors.isPresent() ? " and matches its head anchor and signed checkpoints" : "");
                return signatures();
            }
            if (!r.ok()) {
                ctx.out().printf("BROKEN: %s (first broken event: %d; %d events checked before it).%n",
                        r.problem().orElse("the chain does not verify"), r.firstBroken().orElse(-1L), r.checked());
            }
            for (String f : findings) ctx.out().println("BROKEN: " + f + ".");
            ctx.out().println("The history was altered outside certops. Keep this file as evidence; export what is intact with `certops audit export`.");
            return ExitCodes.FAILED;
        }

        /** Every signature against the allowed signers in force at its moment (team mode). */
        private int signatures() throws Exception {
            if (!(ctx.history() instanceof JdbcHistoryStore store)) return ExitCodes.OK;
            SignatureAudit.Result s = SignatureAudit.verify(store);
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

        /** The anchors of the history: beside a local file; in team mode, the ones this console keeps in its workspace. */
        private Optional<Anchors> localAnchors() throws Exception {
            if (ctx.session().historyDatabase() instanceof HistoryDatabase.Sqlite db) return Optional.of(Anchors.beside(db.file()));
            return ctx.history() instanceof JdbcHistoryStore j ? j.anchors() : Optional.empty();
        }
    }

    @Command(name = "anchor", mixinStandardHelpOptions = true,
            description = "Print the chain's head (seq and hash) and the checkpoint key's fingerprint, to keep outside this machine (a ticket, a chat, a printed report).")
    static final class Anchor implements Callable<Integer> {
        private final CliContext ctx;

        Anchor(CliContext ctx) { this.ctx = ctx; }

        @Override
        public Integer call() throws Exception {
            Optional<HistoryEvent> head = ctx.history().head();
            ctx.out().printf("certops history anchor: %s event %d hash %s at %s%n", ctx.workspace().root(),
                    head.map(HistoryEvent::seq).orElse(0L), head.map(HistoryEvent::hash).orElse("(empty)"),
                    head.map(e -> e.time().toString()).orElse("-"));
            Optional<Anchors> anchors = ctx.history() instanceof JdbcHistoryStore j ? j.anchors() : Optional.empty();
            if (anchors.isPresent()) {
                Optional<PublicKey> key = anchors.get().publicKey();
                ctx.out().println("checkpoint key: " + key.map(k -> "SHA-256 " + fingerprint(k))
                        .orElse("none yet (made at the first checkpoint)"));
            }
            ctx.out().println("Keep this line outside this machine; `certops audit verify` proves the history still contains this event with this hash "
                    + "(compare: `certops history` shows each event's seq and hash).");
            return ExitCodes.OK;
        }

        private static String fingerprint(PublicKey k) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(k.getEncoded()));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
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
            Files.deleteIfExists(tmp);
            // owner-only: an export carries the whole record (hosts, names, who did what)
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                // in a team, each change also names who approved it (the second person of a two-person gate)
                AuditExport.Approvers approvers = ctx.session().team().teamMode() ? new ApprovalTrail() : null;
                if (format == Format.csv) AuditExport.writeCsv(ctx.history(), q, w, approvers);
                else AuditExport.writeJson(ctx.history(), q, w, approvers);
            }
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            ctx.out().printf("Wrote %s (%s).%n", abs, format);
            return ExitCodes.OK;
        }
    }
}
