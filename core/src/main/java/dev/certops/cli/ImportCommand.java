package dev.certops.cli;

import dev.certops.acme.CertificateVersions;
import dev.certops.config.CertificateConfig;
import dev.certops.config.CertopsConfig;
import dev.certops.config.ConfigException;
import dev.certops.config.ConfigLoader;
import dev.certops.config.Durations;
import dev.certops.config.HostConfig;
import dev.certops.config.Passphrases;
import dev.certops.crypto.CertificateInfo;
import dev.certops.crypto.CryptoException;
import dev.certops.crypto.PemReader;
import dev.certops.deploy.ExecResult;
import dev.certops.deploy.HostChannel;
import dev.certops.imports.AcmeShLineages;
import dev.certops.imports.CertbotLineages;
import dev.certops.imports.ImportEntries;
import dev.certops.imports.ImportedVersion;
import dev.certops.imports.Lineage;
import dev.certops.imports.SourceTree;
import dev.certops.imports.VersionImport;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code certops import certbot | acme.sh | pem}: bring certificates other tools manage (or a vendor sold) into certops. */
@Command(name = "import", mixinStandardHelpOptions = true, description = "Bring in certificates that certbot or acme.sh manage, or that were bought elsewhere.",
        subcommands = {ImportCommand.Certbot.class, ImportCommand.AcmeSh.class, ImportCommand.Pem.class})
final class ImportCommand implements Runnable {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    @Spec CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    @Command(name = "certbot", mixinStandardHelpOptions = true,
            description = {"Bring in what certbot manages: its renewal/*.conf and archive/, locally or on a host over its SSH session.",
                    "Each lineage becomes a certificates: entry in certops.yaml and each archived version a stored version with its key.",
                    "--dry-run shows both first."})
    static final class Certbot implements Callable<Integer> {
        private final CliContext ctx;
        @ArgGroup(exclusive = false) Where where;
        @Option(names = "--dry-run", description = "Print the certops.yaml entries and the versions that would be stored; change nothing.") boolean dryRun;

        static final class Where {
            @Option(names = "--host", paramLabel = "HOST", description = "A host from hosts: whose certbot folder (/etc/letsencrypt, or --dir) is read over SSH.") String host;
            @Option(names = "--dir", paramLabel = "DIR", description = {"The tool's folder: on the --host when one is given (a relative folder is under the SSH user's home there), else on this machine.",
                    "Default: certbot's /etc/letsencrypt, acme.sh's ~/.acme.sh."}) String dir;
        }

        Certbot(CliContext ctx) { this.ctx = ctx; }

        @Override
        public Integer call() throws Exception {
            CertopsConfig config = ctx.config();
            Optional<HostConfig> host = host(config, where);
            String dir = where != null && where.dir != null ? where.dir : "/etc/letsencrypt";
            return bringIn(ctx, config, read(ctx, config, host, dir, CertbotLineages::read), "certbot", dryRun);
        }
    }

    @Command(name = "acme.sh", mixinStandardHelpOptions = true,
            description = {"Bring in what acme.sh manages: its certificate folders, locally or on a host over its SSH session.",
                    "Each folder (DOMAIN/ or DOMAIN_ecc/ with DOMAIN.conf, fullchain.cer, DOMAIN.key) becomes a certificates: entry and a",
                    "stored version. --dry-run shows both first."})
    static final class AcmeSh implements Callable<Integer> {
        private final CliContext ctx;
        @ArgGroup(exclusive = false) Certbot.Where where;
        @Option(names = "--dry-run", description = "Print the certops.yaml entries and the versions that would be stored; change nothing.") boolean dryRun;

        AcmeSh(CliContext ctx) { this.ctx = ctx; }

        @Override
        public Integer call() throws Exception {
            CertopsConfig config = ctx.config();
            Optional<HostConfig> host = host(config, where);
            String dir = where != null && where.dir != null ? where.dir : host.isPresent() ? ".acme.sh" : System.getProperty("user.home") + "/.acme.sh";
            return bringIn(ctx, config, read(ctx, config, host, dir, AcmeShLineages::read), "acme.sh", dryRun);
        }
    }

    /** The configured host of {@code --host}, or empty for this machine. */
    private static Optional<HostConfig> host(CertopsConfig config, Certbot.Where where) throws CommandFailedException {
        if (where == null || where.host == null) return Optional.empty();
        return Optional.of(config.host(where.host).orElseThrow(() -> new CommandFailedException("'" + where.host + "' is not a host in "
                + config.file() + " — known: " + String.join(", ", config.hosts().stream().map(HostConfig::id).toList()), ExitCodes.USAGE)));
    }

    /** How a tool's folder is read into lineages. */
    @FunctionalInterface
    interface LineageReader {
        List<Lineage> read(SourceTree tree, String dir, CertopsConfig config, Optional<HostConfig> host) throws IOException, CryptoException;
    }

    /** Reads a tool's folder on this machine, or on the host over its deploy channel (closed afterwards). */
    private static List<Lineage> read(CliContext ctx, CertopsConfig config, Optional<HostConfig> host, String dir, LineageReader reader) throws Exception {
        try {
            if (host.isEmpty()) return reader.read(SourceTree.local(), dir, config, host);
            HostChannel ch = ctx.session().connectors().open(host.get());
            try {
                return reader.read(SourceTree.over(ch), onHost(ch, dir), config, host);
            } finally {
                ch.close();
            }
        } catch (IOException | CryptoException e) {
            throw new CommandFailedException(e.getMessage() + " — nothing was imported", ExitCodes.FAILED);
        }
    }

    /** A relative folder on a host is under the SSH user's home there (acme.sh's default, .acme.sh), as in ssh and scp. */
    private static String onHost(HostChannel ch, String dir) throws Exception {
        if (dir.startsWith("/")) return dir;
        ExecResult home = ch.exec(List.of("printenv", "HOME"), Duration.ofSeconds(15));
        String h = home.stdout().strip();
        if (!home.ok() || !h.startsWith("/")) {
            throw new CommandFailedException("cannot find the home folder of the SSH user on host " + ch.hostId() + " to read " + dir + " in ("
                    + home.output() + ") — give the folder as an absolute path with --dir; nothing was imported", ExitCodes.FAILED);
        }
        return (h.endsWith("/") ? h : h + "/") + (dir.startsWith("~/") ? dir.substring(2) : dir);
    }

    /** Adds the entries (new ids only) to certops.yaml, validated first, then stores every version; or, dry, prints both. */
    static int bringIn(CliContext ctx, CertopsConfig config, List<Lineage> lineages, String source, boolean dryRun) throws Exception {
        List<Lineage> fresh = new ArrayList<>();
        for (Lineage l : lineages) {
            Optional<CertificateConfig> existing = config.certificate(l.id());
            if (existing.isEmpty()) {
                fresh.add(l);
            } else if (!new HashSet<>(existing.get().names()).equals(new HashSet<>(l.names()))) {
                throw new CommandFailedException("certops.yaml already has a certificate '" + l.id() + "' with other names (" + String.join(", ", existing.get().names())
                        + ") than " + l.source() + " (" + String.join(", ", l.names()) + ") — rename one of them; nothing was imported", ExitCodes.FAILED);
            }
        }
        String entries = ImportEntries.yaml(fresh, config);
        String current = Files.exists(config.file()) ? Files.readString(config.file(), StandardCharsets.UTF_8) : "";
        String merged = fresh.isEmpty() ? current : ImportEntries.merge(current, entries);
        CertopsConfig after;
        try {
            after = ConfigLoader.parse(config.file(), merged);
        } catch (ConfigException e) {
            ctx.out().println("certificates:\n" + entries);
            throw new CommandFailedException("the entries above would make " + config.file().getFileName() + " invalid: " + e.getMessage()
                    + " — nothing was imported; fix what it names (or merge the entries by hand) and run the import again", ExitCodes.FAILED);
        }
        if (dryRun) {
            ctx.out().println(fresh.isEmpty() ? "# every lineage is already in " + config.file().getFileName() : "# would be added to " + config.file() + ":\ncertificates:\n" + entries);
            ctx.out().println("# versions that would be stored:");
            for (Lineage l : lineages) {
                for (ImportedVersion v : l.versions()) {
                    CertificateInfo i = CertificateInfo.from(v.leaf());
                    ctx.out().printf("#   %s  serial %s  issued %s  expires %s  from %s%n", l.id(), i.serial(), DAY.format(i.notBefore()), DAY.format(i.notAfter()), v.from());
                }
            }
            return ExitCodes.OK;
        }
        if (!fresh.isEmpty()) {
            Path tmp = config.file().resolveSibling(config.file().getFileName() + ".import.tmp");
            Files.writeString(tmp, merged, StandardCharsets.UTF_8);
            Files.move(tmp, config.file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        VersionImport store = new VersionImport(new CertificateVersions(ctx.session().workspace(), ctx.session().secrets()), ctx.history());
        for (Lineage l : lineages) {
            String ca = ImportEntries.caId(after, l.caDirectory()).orElse(source);
            VersionImport.Outcome o = store.store(l.id(), l.versions(), ca, source);
            ctx.out().printf("%s: %s — %d version(s) stored%s%n", l.id(), fresh.contains(l) ? "added to " + config.file().getFileName() : "already configured",
                    o.stored().size(), o.skippedSerials().isEmpty() ? "" : ", " + o.skippedSerials().size() + " already there");
            for (String note : l.notes()) ctx.out().println("  to do: " + note);
        }
        ctx.out().println("Next: ./certops config check, then ./certops estate scan");
        return ExitCodes.OK;
    }

    @Command(name = "pem", mixinStandardHelpOptions = true,
            description = {"Store a certificate bought elsewhere (a commercial CA) as a version of a configured certificate.",
                    "It is deployed, scanned and alerted on like the others. certops cannot renew it: renew it with the vendor before it is due."})
    static final class Pem implements Callable<Integer> {
        private final CliContext ctx;
        @Option(names = "--cert", required = true, paramLabel = "ID", description = "The certificate id in certops.yaml.") String id;
        @Parameters(index = "0", paramLabel = "FULLCHAIN", description = "The certificate and its intermediates, PEM.") Path fullchain;
        @Parameters(index = "1", paramLabel = "KEY", description = "Its private key, PEM: plain, or encrypted with its own passphrase (asked at a terminal, or --key-passphrase-file).") Path key;
        @Option(names = "--key-passphrase-file", paramLabel = "FILE",
                description = "A file (mode 0600) holding the passphrase KEY is encrypted with; without it the passphrase is asked at a terminal.") Path keyPassphraseFile;

        Pem(CliContext ctx) { this.ctx = ctx; }

        @Override
        public Integer call() throws Exception {
            String keyPem = text(key);
            boolean encryptedKey = PemReader.isEncryptedKey(keyPem);
            Optional<char[]> passphrase = encryptedKey ? Optional.of(keyPassphrase()) : Optional.empty();
            ImportedVersion v;
            try {
                v = ImportedVersion.read(text(fullchain), fullchain.toString(), keyPem, key.toString(), passphrase);
            } catch (CryptoException e) {
                String from = keyPassphraseFile != null ? " (read from " + keyPassphraseFile + ")" : "";
                throw new CommandFailedException(e.getMessage() + from + " — nothing was stored", ExitCodes.FAILED);
            } finally {
                passphrase.ifPresent(p -> Arrays.fill(p, '\0'));
            }
            CertificateInfo info = CertificateInfo.from(v.leaf());
            CertopsConfig config = ctx.config();
            if (config.certificate(id).isEmpty()) {
                throw new CommandFailedException(config.unknownCertificate(id) + "\nTo bring this certificate in, add to certificates: in " + config.file()
                        + "\n  - id: " + id + "\n    names: [" + String.join(", ", info.names()) + "]\nthen run this import again — nothing was stored", ExitCodes.USAGE);
            }
            CertificateConfig c = config.certificate(id).get();
            List<String> uncovered = c.names().stream().filter(n -> !info.covers(n)).toList();
            if (!uncovered.isEmpty()) {
                throw new CommandFailedException(fullchain + " does not cover " + String.join(", ", uncovered) + " (it names " + String.join(", ", info.names())
                        + "), which certificate '" + id + "' must serve — nothing was stored", ExitCodes.FAILED);
            }
            var o = new VersionImport(new CertificateVersions(ctx.session().workspace(), ctx.session().secrets()), ctx.history())
                    .store(id, List.of(v), CertificateVersions.MANUAL_CA, "pem");
            if (o.stored().isEmpty()) {
                ctx.out().println(id + ": serial " + info.serial() + " is already stored — nothing changed");
                return ExitCodes.OK;
            }
            Duration warn = config.thresholds().warning();
            ctx.out().printf("%s: version %d stored (serial %s, issued by %s, expires %s)%n", id, o.stored().get(0).number(), info.serial(),
                    info.issuerCn().isEmpty() ? info.issuerDn() : info.issuerCn(), DAY.format(info.notAfter()));
            if (encryptedKey) {
                ctx.out().println(ctx.session().secrets().encrypted()
                        ? "Its key (encrypted with its own passphrase in " + key + ") is stored encrypted with the workspace passphrase, mode 0600."
                        : "Its key was encrypted with its own passphrase in " + key + "; it is stored decrypted, mode 0600 — set CERTOPS_PASSPHRASE"
                                + " (or CERTOPS_PASSPHRASE_FILE) to keep keys encrypted at rest in this workspace.");
            }
            ctx.out().printf("Renewal is manual: certops cannot renew a certificate from this vendor. Renew it with them before %s (%s before expiry),"
                    + " then import the new one the same way.%nNext: ./certops deploy %s%n", DAY.format(info.notAfter().minus(warn)), Durations.format(warn), id);
            return ExitCodes.OK;
        }

        /** KEY's own passphrase: from --key-passphrase-file, else typed at a terminal (not echoed); never from the command line. */
        private char[] keyPassphrase() throws CommandFailedException {
            if (keyPassphraseFile != null) {
                try {
                    return Passphrases.readFile(keyPassphraseFile, "--key-passphrase-file " + keyPassphraseFile, "the passphrase " + key + " is encrypted with", "");
                } catch (Passphrases.PassphraseException e) {
                    throw new CommandFailedException(e.getMessage() + " — nothing was stored", ExitCodes.USAGE);
                }
            }
            Console console = System.console();
            if (console != null && ctx.in() == System.in) {
                char[] typed = console.readPassword("Passphrase of %s (not shown): ", key);
                if (typed != null && typed.length > 0) return typed;
            }
            throw new CommandFailedException(key + " " + PemReader.ENCRYPTED + ": run this at a terminal to be asked for it, or give"
                    + " --key-passphrase-file FILE (a file only you can read, holding the passphrase) — nothing was stored", ExitCodes.USAGE);
        }

        private static String text(Path p) throws CommandFailedException {
            try {
                return Files.readString(p, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new CommandFailedException("cannot read " + p + ": " + e.getMessage() + " — nothing was stored", ExitCodes.USAGE);
            }
        }
    }
}
