package dev.certops.acme.dns;

import dev.certops.config.DnsConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.io.File;

/**
 * Runs a user's script: {@code command present FQDN VALUE} and {@code command cleanup FQDN VALUE},
 * as an argument vector (no shell), with the same in {@code CERTOPS_DNS_ACTION}, {@code CERTOPS_DNS_NAME},
 * {@code CERTOPS_DNS_VALUE} and {@code CERTOPS_DNS_PROVIDER}; stdin is empty, stdout is discarded. Exit 0
 * means done; otherwise the script's stderr is reported. The contract is in docs/dns.md.
 */
final class ExecProvider implements DnsProvider, PropagationSettings {
    private static final int STDERR_LIMIT = 2000;

    private final String id;
    private final Path command;
    private final Duration timeout;
    private final PropagationSettings timing;

    private ExecProvider(String id, Path command, Duration timeout, PropagationSettings timing) {
        this.id = id;
        this.command = command;
        this.timeout = timeout;
        this.timing = timing;
    }

    static ExecProvider create(DnsConfig cfg) throws DnsProviderException {
        ProviderSettings s = ProviderSettings.of(cfg, Set.of("command", "timeout"));
        String raw = s.required("command", "/usr/local/bin/dns-hook");
        Path command = Path.of(raw).toAbsolutePath().normalize();
        if (!Files.isRegularFile(command) || !Files.isExecutable(command)) {
            throw s.error("key 'command' names " + command + ", which is not an executable file;"
                    + " give the path of a script and make it executable (chmod +x)");
        }
        return new ExecProvider(cfg.id(), command, s.duration("timeout", ProviderSettings.DEFAULT_EXEC_TIMEOUT), s.propagation());
    }

    @Override public String id() { return id; }

    @Override public void present(String fqdn, String value) throws DnsProviderException { run("present", fqdn, value); }

    @Override public void cleanUp(String fqdn, String value) throws DnsProviderException { run("cleanup", fqdn, value); }

    @Override public Duration propagationTimeout() { return timing.propagationTimeout(); }

    @Override public Duration pollInterval() { return timing.pollInterval(); }

    @Override public int nameserverPort() { return timing.nameserverPort(); }

    private void run(String action, String fqdn, String value) throws DnsProviderException {
        String what = command + " " + action + " " + fqdn;
        Path stderr = null;
        try {
            stderr = Files.createTempFile("certops-dns-exec", ".err");
            ProcessBuilder pb = new ProcessBuilder(List.of(command.toString(), action, fqdn, value));
            pb.environment().putAll(Map.of("CERTOPS_DNS_ACTION", action, "CERTOPS_DNS_NAME", fqdn, "CERTOPS_DNS_VALUE", value,
                    "CERTOPS_DNS_PROVIDER", id));
            Process p = pb
                    .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(stderr.toFile())
                    .start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new DnsProviderException("exec: " + what + " did not finish within " + ProviderSettings.format(timeout)
                        + " and was stopped; make the script faster or raise 'timeout' of dns provider '" + id + "'");
            }
            if (p.exitValue() != 0) {
                throw new DnsProviderException("exec: " + what + " failed with exit code " + p.exitValue()
                        + (stderrText(stderr).isEmpty() ? " and wrote nothing to stderr" : ": " + stderrText(stderr)));
            }
        } catch (IOException e) {
            throw new DnsProviderException("exec: cannot run " + what + " (" + e.getMessage() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DnsProviderException("exec: interrupted while running " + what, e);
        } finally {
            if (stderr != null) {
                try {
                    Files.deleteIfExists(stderr);
                } catch (IOException ignored) {
                    // a leftover empty temp file is harmless
                }
            }
        }
    }

    private static String stderrText(Path file) throws IOException {
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
        return text.length() <= STDERR_LIMIT ? text : "..." + text.substring(text.length() - STDERR_LIMIT);
    }

    private static File nullDevice() {
        return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    @Override public String toString() { return "exec[id=" + id + ", command=" + command + "]"; }
}
