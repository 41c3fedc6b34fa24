package dev.certops.cli;

import dev.certops.config.HistoryConfig;
import dev.certops.history.HistoryDatabase;
import dev.certops.history.HistoryMigration;
import dev.certops.history.HistoryStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code certops history migrate --to URL|FILE [--from URL|FILE]}: copies a history with its chain intact. */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Copy a history into another database with the chain intact (same seq and hashes), then verify it.",
            "Local → team: certops history migrate --to jdbc:postgresql://db.internal:5432/certops",
            "Team → offline copy for auditors: certops history migrate --from jdbc:postgresql://... --to audit.db",
            "Signatures (team mode) are copied with their events and checked against the source after the copy.",
            "A target holding a different chain is refused, naming the first differing event; nothing is merged.",
            "The PostgreSQL password comes from $CERTOPS_PG_PASSWORD, or from certops.yaml when the URL is the configured one."})
final class HistoryMigrateCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Option(names = "--to", required = true, paramLabel = "URL|FILE", description = "Target: a jdbc:postgresql:// URL or a SQLite file.")
    String to;
    @Option(names = "--from", paramLabel = "URL|FILE", description = "Source (default: this workspace's local history.db).")
    String from;
    @Option(names = "--user", paramLabel = "USER", description = "PostgreSQL user (default: history.user in certops.yaml, else certops).")
    String user;
    @Option(names = "--ssl", paramLabel = "MODE", description = "require (default), verify-full or disable (loopback only).")
    String ssl;

    HistoryMigrateCommand(CliContext ctx) { this.ctx = ctx; }

    @Override
    public Integer call() throws Exception {
        HistoryDatabase source = from == null ? new HistoryDatabase.Sqlite(ctx.workspace().historyFile()) : resolve(from);
        HistoryDatabase target = resolve(to);
        if (source instanceof HistoryDatabase.Sqlite s && !Files.isRegularFile(s.file())) {
            throw new CommandFailedException("there is no history at " + s.file() + " to copy; give --from", ExitCodes.USAGE);
        }
        HistoryMigration.Result r = HistoryMigration.copy(source, target, ctx.actor(), ctx.clock());
        ctx.out().printf("Copied %d events from %s to %s; the target holds %d events, verified, head %s.%n",
                r.copied(), source.where(), target.where(), r.total(), r.head().isEmpty() ? "(empty)" : r.head().substring(0, 16));
        if (r.signatures() > 0) {
            ctx.out().printf("%d signatures copied with their events, each as in the source%s%n", r.signatures(),
                    r.signaturesNotMatching() == 0 ? " and each matching its event's hash."
                            : "; " + r.signaturesNotMatching() + " do not match their event's hash (in the source either): "
                            + "./certops audit verify names them.");
        }
        return ExitCodes.OK;
    }

    private HistoryDatabase resolve(String spec) throws Exception {
        if (!spec.startsWith("jdbc:")) {
            return new HistoryDatabase.Sqlite(Path.of(spec));
        }
        Optional<HistoryConfig> configured = ctx.workspace().exists() ? ctx.config().history() : Optional.empty();
        if (configured.isPresent() && configured.get().url().equals(spec) && user == null) {
            return HistoryStores.database(ctx.workspace(), ctx.env());
        }
        String password = ctx.env().get(HistoryConfig.ENV_PASSWORD);
        if (password == null || password.isEmpty()) {
            throw new CommandFailedException("the password for " + spec + " is missing: set $" + HistoryConfig.ENV_PASSWORD,
                    ExitCodes.USAGE);
        }
        String u = user != null ? user : configured.map(HistoryConfig::user).orElse("certops");
        String mode = ssl != null ? ssl : configured.map(HistoryConfig::ssl).orElse("require");
        try {
            return new HistoryDatabase.Postgres(spec, u, password, mode);
        } catch (IllegalArgumentException e) {
            throw new CommandFailedException(e.getMessage(), ExitCodes.USAGE);
        }
    }
}
