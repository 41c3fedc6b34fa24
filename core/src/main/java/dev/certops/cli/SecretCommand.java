package dev.certops.cli;

import dev.certops.crypto.SecretStore;
import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code certops secret set NAME | list}: the values certops.yaml names as {@code secret:NAME} (API
 * tokens, webhook URLs, passwords), stored as files in {@code secrets/} with mode 0600 — encrypted
 * when {@code CERTOPS_PASSPHRASE} is set. A value is read from the terminal without echo, or from
 * standard input; it is never printed.
 */
@Command(name = "secret", mixinStandardHelpOptions = true,
        description = "Values certops.yaml refers to as secret:NAME, kept in secrets/ (mode 0600; encrypted when CERTOPS_PASSPHRASE is set).",
        subcommands = {SecretCommand.SetSecret.class, SecretCommand.ListSecrets.class})
final class SecretCommand implements Runnable {
    private final CliContext ctx;

    SecretCommand(CliContext ctx) { this.ctx = ctx; }

    @Override
    public void run() { ctx.out().println("Use: ./certops secret set NAME   (the value from the terminal, without echo, or from standard input) | secret list"); }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = {"Store a secret's value: typed without echo at a terminal, else read from standard input.",
                    "One trailing newline is removed, e.g. printf %%s \"$TOKEN\" | ./certops secret set dns-token"})
    static final class SetSecret implements Callable<Integer> {
        private final CliContext ctx;
        @Parameters(paramLabel = "NAME", description = "The name certops.yaml uses after secret: (letters, digits, '.', '_', '-').") String name;

        SetSecret(CliContext ctx) { this.ctx = ctx; }

        @Override
        public Integer call() throws Exception {
            SecretStore secrets = ctx.session().secrets();
            if (!ctx.workspace().exists()) {
                throw new CommandFailedException("there is no workspace at " + ctx.workspace().root() + " — create it with ./certops init", ExitCodes.CONFIG);
            }
            byte[] value = read();
            try {
                if (value.length == 0) throw new CommandFailedException("no value given for " + name + "; nothing was stored", ExitCodes.USAGE);
                boolean replaced = secrets.exists(name);
                secrets.write(name, value);
                ctx.out().printf("%s secret %s in %s (mode 0600, %s).%n", replaced ? "Replaced" : "Stored", name, ctx.workspace().secretsDir().resolve(name),
                        secrets.encrypted() ? "encrypted with the workspace passphrase" : "not encrypted: set CERTOPS_PASSPHRASE to encrypt secrets");
                return ExitCodes.OK;
            } catch (IllegalArgumentException e) {
                throw new CommandFailedException(e.getMessage(), ExitCodes.USAGE);
            } finally {
                Arrays.fill(value, (byte) 0);
            }
        }

        private byte[] read() throws IOException {
            Console console = System.console();
            if (console != null && ctx.in() == System.in) {
                char[] typed = console.readPassword("Value for %s (not shown): ", name);
                if (typed == null) return new byte[0];
                ByteBuffer b = StandardCharsets.UTF_8.encode(CharBuffer.wrap(typed));
                Arrays.fill(typed, '\0');
                byte[] out = Arrays.copyOf(b.array(), b.limit());
                Arrays.fill(b.array(), (byte) 0);
                return out;
            }
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            ctx.in().transferTo(buf);
            byte[] all = buf.toByteArray();
            int n = all.length;
            if (n > 0 && all[n - 1] == '\n') n--;
            if (n > 0 && all[n - 1] == '\r') n--;
            byte[] out = Arrays.copyOf(all, n);
            Arrays.fill(all, (byte) 0);
            return out;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The names of the stored secrets (never their values).")
    static final class ListSecrets implements Callable<Integer> {
        private final CliContext ctx;

        ListSecrets(CliContext ctx) { this.ctx = ctx; }

        @Override
        public Integer call() throws Exception {
            var names = ctx.session().secrets().list();
            if (names.isEmpty()) ctx.out().println("No secrets in " + ctx.workspace().secretsDir() + ". Store one with ./certops secret set NAME.");
            names.forEach(ctx.out()::println);
            return ExitCodes.OK;
        }
    }
}
