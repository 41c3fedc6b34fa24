package dev.certops.sshdeploy;

import dev.certops.testing.FreePort;
import dev.certops.testing.ManagedProcess;
import dev.certops.testing.Poll;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

/**
 * A private instance of a real server on a loopback port (Debian packages apache2, haproxy,
 * postfix, dovecot-imapd; recipes in LAB.md), reading its certificate from a certops live folder.
 * Started in the foreground where the server allows it, stopped by process handle.
 */
abstract class PrivateServer implements AutoCloseable {
    final Path dir;
    final int port = FreePort.tcp();
    ManagedProcess process;

    PrivateServer(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir).toAbsolutePath();
        // the service users (postfix, dovecot, nobody) must reach their folder inside the test's temp folder
        for (Path p : List.of(this.dir.getParent(), this.dir)) Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    abstract String test();
    abstract String reload();
    abstract void start() throws IOException;

    void awaitListening() {
        Poll.until(Duration.ofSeconds(15), () -> Poll.accepts(port) || process != null && !process.alive(), getClass().getSimpleName() + " listening on " + port);
        if (!Poll.accepts(port)) throw new IllegalStateException(getClass().getSimpleName() + " did not start: " + (process == null ? "" : process.log()));
    }

    @Override
    public void close() {
        if (process != null) process.close();
    }

    /** Runs a setup command to its end. */
    static void run(String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) throw new IOException(String.join(" ", cmd) + " failed: " + out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    static void kill(Path pidFile) {
        try {
            if (Files.exists(pidFile)) ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip())).ifPresent(ProcessHandle::destroy);
        } catch (IOException | NumberFormatException ignored) {
            /* already gone */
        }
    }

    /** Apache httpd (Debian apache2 binary) with mod_ssl, a graceful reload. */
    static final class Apache extends PrivateServer {
        Apache(Path dir, Path live) throws IOException {
            super(dir);
            Files.writeString(dir.resolve("httpd.conf"), String.join("\n",
                    "ServerRoot " + this.dir, "PidFile " + this.dir.resolve("httpd.pid"), "ErrorLog " + this.dir.resolve("error.log"),
                    "DefaultRuntimeDir " + this.dir, "Mutex file:" + this.dir,
                    "LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so",
                    "LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so",
                    "LoadModule ssl_module /usr/lib/apache2/modules/mod_ssl.so",
                    "LoadModule socache_shmcb_module /usr/lib/apache2/modules/mod_socache_shmcb.so",
                    "Listen 127.0.0.1:" + port, "User nobody", "Group nogroup", "ServerName localhost",
                    "<VirtualHost 127.0.0.1:" + port + ">", "  SSLEngine on",
                    "  SSLCertificateFile " + live.resolve("fullchain.pem"), "  SSLCertificateKeyFile " + live.resolve("privkey.pem"),
                    "</VirtualHost>", ""));
        }

        private String base() { return "/usr/sbin/apache2 -d " + dir + " -f " + dir.resolve("httpd.conf"); }
        @Override String test() { return base() + " -t"; }
        @Override String reload() { return base() + " -k graceful"; }

        @Override
        void start() throws IOException {
            process = ManagedProcess.start("apache2", List.of("/usr/sbin/apache2", "-d", dir.toString(), "-f", dir.resolve("httpd.conf").toString(), "-DFOREGROUND"),
                    dir.resolve("stdout.log"));
            awaitListening();
        }
    }

    /** HAProxy serving combined.pem; reloaded keeping connections: a new process with -sf for the old one. */
    static final class Haproxy extends PrivateServer {
        Haproxy(Path dir, Path live) throws IOException {
            super(dir);
            Files.writeString(dir.resolve("haproxy.cfg"), String.join("\n",
                    "global", "  log stderr local0", "defaults", "  mode http", "  timeout connect 5s", "  timeout client 5s", "  timeout server 5s",
                    "frontend fe", "  bind 127.0.0.1:" + port + " ssl crt " + live.resolve("combined.pem"), "  http-request return status 200", ""));
        }

        /** TLS terminated in TCP mode in front of {@code backendPort}: a long-lived connection, as a database or WebSocket client holds one. */
        Haproxy(Path dir, Path live, int backendPort) throws IOException {
            super(dir);
            Files.writeString(dir.resolve("haproxy.cfg"), String.join("\n",
                    "global", "  log stderr local0", "defaults", "  mode tcp", "  timeout connect 5s", "  timeout client 120s", "  timeout server 120s",
                    "frontend fe", "  bind 127.0.0.1:" + port + " ssl crt " + live.resolve("combined.pem"), "  default_backend be",
                    "backend be", "  server echo 127.0.0.1:" + backendPort, ""));
        }

        /** The process serving now (the pid file's). */
        long pidNow() throws IOException { return Long.parseLong(Files.readString(pid()).strip()); }

        private Path pid() { return dir.resolve("haproxy.pid"); }
        private Path cfg() { return dir.resolve("haproxy.cfg"); }
        @Override String test() { return "/usr/sbin/haproxy -c -q -f " + cfg(); }
        @Override String reload() { return "/usr/sbin/haproxy -D -p " + pid() + " -f " + cfg() + " -sf $(cat " + pid() + ")"; }

        @Override
        void start() throws IOException {
            process = ManagedProcess.start("haproxy", List.of("/usr/sbin/haproxy", "-D", "-p", pid().toString(), "-f", cfg().toString()), dir.resolve("stdout.log"));
            awaitListening();
        }

        @Override
        public void close() {
            kill(pid());
            super.close();
        }
    }

    /** Postfix smtpd with STARTTLS, in the foreground (start-fg); reloaded with postfix reload. */
    static final class Postfix extends PrivateServer {
        Postfix(Path dir, Path live) throws IOException {
            super(dir);
            Path etc = Files.createDirectories(dir.resolve("etc"));
            Path data = Files.createDirectories(dir.resolve("data"));
            Files.createDirectories(dir.resolve("queue"));
            String master = Files.readString(Path.of("/etc/postfix/master.cf"))
                    .replaceFirst("(?m)^smtp\\s+inet\\s+.*$", "127.0.0.1:" + port + " inet n - n - - smtpd");
            Files.writeString(etc.resolve("master.cf"), master);
            Files.writeString(etc.resolve("main.cf"), String.join("\n",
                    "queue_directory = " + dir.resolve("queue"), "data_directory = " + data, "inet_interfaces = 127.0.0.1", "inet_protocols = ipv4",
                    "smtpd_tls_cert_file = " + live.resolve("fullchain.pem"), "smtpd_tls_key_file = " + live.resolve("privkey.pem"),
                    "smtpd_tls_security_level = may", "maillog_file = /dev/stdout", "compatibility_level = 3.6", "myhostname = localhost",
                    "mydestination =", "alias_maps =", "alias_database =", ""));
            run("chown", "postfix", data.toString());
        }

        private String base() { return "/usr/sbin/postfix -c " + dir.resolve("etc"); }
        @Override String test() { return base() + " check"; }
        @Override String reload() { return base() + " reload"; }

        @Override
        void start() throws IOException {
            run("/usr/sbin/postfix", "-c", dir.resolve("etc").toString(), "set-permissions");
            process = ManagedProcess.start("postfix", List.of("/usr/sbin/postfix", "-c", dir.resolve("etc").toString(), "start-fg"), dir.resolve("postfix.log"));
            awaitListening();
        }
    }

    /** Dovecot IMAP with STARTTLS, in the foreground; reloaded with doveadm reload. */
    static final class Dovecot extends PrivateServer {
        Dovecot(Path dir, Path live) throws IOException {
            super(dir);
            Files.writeString(dir.resolve("dovecot.conf"), String.join("\n",
                    "base_dir = " + dir.resolve("run"), "state_dir = " + dir.resolve("state"), "log_path = " + dir.resolve("dovecot.log"),
                    "protocols = imap", "listen = 127.0.0.1", "ssl = yes",
                    "ssl_cert = <" + live.resolve("fullchain.pem"), "ssl_key = <" + live.resolve("privkey.pem"),
                    "default_internal_user = dovecot", "default_login_user = dovenull",
                    "passdb {", "  driver = static", "  args = password=unused", "}",
                    "userdb {", "  driver = static", "  args = uid=nobody gid=nogroup home=" + dir.resolve("home"), "}",
                    "service imap-login {", "  inet_listener imap {", "    address = 127.0.0.1", "    port = " + port, "  }",
                    "  inet_listener imaps {", "    port = 0", "  }", "}", ""));
        }

        private Path conf() { return dir.resolve("dovecot.conf"); }
        @Override String test() { return "/usr/bin/doveconf -c " + conf() + " -n >/dev/null"; }
        @Override String reload() { return "/usr/bin/doveadm -c " + conf() + " reload"; }

        @Override
        void start() throws IOException {
            process = ManagedProcess.start("dovecot", List.of("/usr/sbin/dovecot", "-F", "-c", conf().toString()), dir.resolve("stdout.log"));
            awaitListening();
        }
    }
}
