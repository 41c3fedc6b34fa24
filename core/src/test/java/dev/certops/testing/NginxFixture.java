package dev.certops.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private nginx (Debian {@code nginx}) with its own prefix: pid, logs and temp paths inside it.
 * Declare server blocks, {@link #start()}, and {@link #reload()} after changing files or blocks.
 * After a reload an old worker may serve the old certificate for a moment: tests poll.
 */
public final class NginxFixture implements AutoCloseable {
    public static final String NGINX = "/usr/sbin/nginx";
    private final Path prefix;
    private final List<String> servers = new ArrayList<>();
    private String rawConfig;
    private int workers = 1;
    private String httpExtra = "";
    private ManagedProcess process;

    private NginxFixture(Path prefix) { this.prefix = prefix; }

    /** A stopped instance in {@code prefix}; add servers, then {@link #start()}. */
    public static NginxFixture in(Path prefix) throws IOException {
        Files.createDirectories(prefix.resolve("logs"));
        Files.createDirectories(prefix.resolve("tmp"));
        return new NginxFixture(prefix.toAbsolutePath());
    }

    /** A TLS server block on 127.0.0.1:port using these files (paths may be symlinks: live/fullchain.pem). */
    public synchronized NginxFixture addServer(String serverName, int port, Path certFile, Path keyFile) {
        return addServer("127.0.0.1", serverName, port, certFile, keyFile);
    }

    /** The same on another loopback address (127.0.0.2, ...): a second "machine" on this one. */
    public synchronized NginxFixture addServer(String listenAddress, String serverName, int port, Path certFile, Path keyFile) {
        servers.add("  server {\n    listen " + listenAddress + ":" + port + " ssl;\n    server_name " + serverName + ";\n"
                + "    ssl_certificate " + certFile.toAbsolutePath() + ";\n    ssl_certificate_key " + keyFile.toAbsolutePath() + ";\n"
                + "    location / { return 200 'ok'; }\n  }\n");
        return this;
    }

    /** A plain HTTP server block serving {@code root} (HTTP-01 webroot tests). */
    public synchronized NginxFixture addHttpServer(int port, Path root) {
        servers.add("  server {\n    listen 127.0.0.1:" + port + ";\n    root " + root.toAbsolutePath() + ";\n  }\n");
        return this;
    }

    /**
     * As {@link #addHttpServer(int, Path)}, with every request it answers written (unbuffered, nginx's
     * {@code combined} format) to {@link #accessLog(int)} — to see which backend a client reached.
     */
    public synchronized NginxFixture addLoggedHttpServer(int port, Path root) {
        servers.add("  server {\n    listen 127.0.0.1:" + port + ";\n    root " + root.toAbsolutePath() + ";\n"
                + "    access_log " + accessLog(port).toAbsolutePath() + " combined;\n  }\n");
        return this;
    }

    /** The access log of the server added with {@link #addLoggedHttpServer} on {@code port}. */
    public Path accessLog(int port) { return prefix.resolve("logs/access-" + port + ".log"); }

    /**
     * Lets nginx serve weak certificates (RSA 1024, SHA-1): {@code ssl_ciphers DEFAULT:@SECLEVEL=0} for
     * every server — clients still judge them by their own security level.
     */
    public synchronized NginxFixture weakCertificatesAllowed() { this.httpExtra = "  ssl_ciphers DEFAULT:@SECLEVEL=0;\n"; return this; }

    /** Worker processes (1 by default; benchmarks use more). */
    public synchronized NginxFixture workers(int n) { this.workers = n; return this; }

    /** Replaces the whole generated configuration (broken-config tests). */
    public synchronized void writeConfig(String raw) throws IOException {
        this.rawConfig = raw;
        Files.writeString(configFile(), raw);
    }

    /**
     * After {@link #start()} with a seed certificate and key (nginx needs readable files to start):
     * rewrites the configuration so the server reads {@code certDir/live/fullchain.pem} and
     * {@code certDir/live/privkey.pem} instead — the release layout a deploy swaps — effective at the next reload.
     */
    public synchronized void serveLiveLinkInsteadOf(Path seedCert, Path seedKey, Path certDir) throws IOException {
        writeConfig(renderConfig().replace(seedCert.toAbsolutePath().toString(), certDir.resolve("live/fullchain.pem").toString())
                .replace(seedKey.toAbsolutePath().toString(), certDir.resolve("live/privkey.pem").toString()));
    }

    public Path prefix() { return prefix; }
    public Path configFile() { return prefix.resolve("nginx.conf"); }

    /** The configuration text generated from the declared servers. */
    public synchronized String renderConfig() {
        String p = prefix.toString();
        return "worker_processes " + workers + ";\nuser root;\npid " + p + "/nginx.pid;\nerror_log " + p + "/logs/error.log;\n"
                + "worker_rlimit_nofile 16384;\nevents { worker_connections 8192; }\n"
                + "http {\n  access_log off;\n  client_body_temp_path " + p + "/tmp/client;\n  proxy_temp_path " + p + "/tmp/proxy;\n"
                + "  fastcgi_temp_path " + p + "/tmp/fastcgi;\n  uwsgi_temp_path " + p + "/tmp/uwsgi;\n  scgi_temp_path " + p + "/tmp/scgi;\n"
                + "  ssl_session_cache off;\n  ssl_session_tickets off;\n" + httpExtra
                + String.join("", servers) + "}\n";
    }

    public synchronized void start() throws IOException {
        if (rawConfig == null) Files.writeString(configFile(), renderConfig());
        process = ManagedProcess.start("nginx", List.of(NGINX, "-e", "stderr", "-p", prefix.toString(), "-c", configFile().toString(),
                "-g", "daemon off;"), prefix.resolve("logs/nginx.out"));
        process.awaitReady(Duration.ofSeconds(10), () -> Files.exists(prefix.resolve("nginx.pid")));
    }

    /** Re-renders the configuration from the declared servers (unless raw) and reloads gracefully. */
    public synchronized void reload() throws IOException {
        if (rawConfig == null) Files.writeString(configFile(), renderConfig());
        ExecOutcome r = run(NGINX, "-e", "stderr", "-p", prefix.toString(), "-c", configFile().toString(), "-s", "reload");
        if (r.exitCode() != 0) throw new IOException("nginx reload failed: " + r.output());
    }

    /** {@code nginx -t} on the current configuration file. */
    public ExecOutcome configTest() throws IOException {
        return run(NGINX, "-e", "stderr", "-t", "-p", prefix.toString(), "-c", configFile().toString());
    }

    /** The shell command line a host entry's {@code test:} uses for this instance. */
    public String testCommand() { return NGINX + " -e stderr -t -q -p " + prefix + " -c " + configFile(); }

    /** The shell command line a host entry's {@code reload:} uses for this instance. */
    public String reloadCommand() { return NGINX + " -e stderr -p " + prefix + " -c " + configFile() + " -s reload"; }

    public boolean running() { return process != null && process.alive(); }

    public synchronized void stop() {
        if (process != null) process.close();
    }

    @Override public void close() { stop(); }

    /** A finished command's exit code and output. */
    public record ExecOutcome(int exitCode, String output) { }

    private ExecOutcome run(String... cmd) throws IOException {
        Path out = Files.createTempFile(prefix, "cmd", ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " did not finish");
            }
            return new ExecOutcome(p.exitValue(), Files.readString(out));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
