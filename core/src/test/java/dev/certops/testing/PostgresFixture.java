package dev.certops.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL 15 server on a free loopback port, started once per test JVM ({@link #shared()})
 * and stopped by a shutdown hook; each test class takes its own fresh database from it
 * ({@link #newDatabase()}), so classes never see each other's rows and the ~1 s start is paid once.
 *
 * <p>CI runs as root and {@code initdb}/{@code pg_ctl} refuse to: they run as the {@code postgres}
 * user through {@code runuser}, in a temporary folder it owns (see LAB.md). The superuser is
 * {@value #USER} with password {@link #password()}, scram-sha-256 over TCP only.
 */
public final class PostgresFixture {
    public static final String USER = "certops";
    private static final String BIN = "/usr/lib/postgresql/15/bin/";
    private static final String PASSWORD = "pg-test-" + Long.toHexString(System.nanoTime());
    private static PostgresFixture shared;

    private final Path dir;
    private final int port;
    private final AtomicInteger databases = new AtomicInteger();
    private volatile String options = "";

    private PostgresFixture(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** The one server of this JVM, started on first use. */
    public static synchronized PostgresFixture shared() {
        if (shared == null) {
            try {
                shared = start();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("could not start PostgreSQL for the tests: " + e.getMessage(), e);
            }
        }
        return shared;
    }

    /**
     * A server of its own, for a test that stops and restarts it ({@link #pause()}, {@link #resume()})
     * without disturbing the shared one; stopped and removed by {@link #close()} (or at JVM exit).
     */
    public static PostgresFixture dedicated() {
        try {
            return start();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("could not start PostgreSQL for the test: " + e.getMessage(), e);
        }
    }

    /**
     * A server of its own that accepts TLS ({@code ssl = on}) with this certificate chain and key —
     * what a client's SSLRequest (STARTTLS postgres) meets; stopped and removed by {@link #close()}.
     */
    public static PostgresFixture dedicatedWithTls(Path fullchain, Path key) {
        try {
            return start(Optional.of(fullchain), Optional.of(key));
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("could not start PostgreSQL with TLS for the test: " + e.getMessage(), e);
        }
    }

    private static PostgresFixture start() throws IOException, InterruptedException {
        return start(Optional.empty(), Optional.empty());
    }

    private static PostgresFixture start(Optional<Path> tlsChain, Optional<Path> tlsKey) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(BIN + "initdb"))) {
            throw new IOException(BIN + "initdb is not installed: " + Packages.hint(BIN + "initdb"));
        }
        Path dir = Files.createTempDirectory("certops-pg");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path pw = dir.resolve("pw");
        Files.writeString(pw, PASSWORD + "\n", StandardCharsets.UTF_8);
        run(List.of("chown", "-R", "postgres", dir.toString()));
        run(List.of("runuser", "-u", "postgres", "--", BIN + "initdb", "-D", dir.resolve("data").toString(),
                "-A", "scram-sha-256", "--pwfile=" + pw, "-U", USER, "-E", "UTF8", "--no-sync"));
        int port = FreePort.tcp();
        // fsync stays on: the figures measured against this server are those of a durable server
        PostgresFixture pg = new PostgresFixture(dir, port);
        if (tlsChain.isPresent() && tlsKey.isPresent()) {
            Path data = dir.resolve("data");
            Files.copy(tlsChain.get(), data.resolve("server.crt"));
            Files.copy(tlsKey.get(), data.resolve("server.key"));
            Files.setPosixFilePermissions(data.resolve("server.key"), PosixFilePermissions.fromString("rw-------"));
            run(List.of("chown", "postgres", data.resolve("server.crt").toString(), data.resolve("server.key").toString()));
            pg.options = " -c ssl=on";
        }
        pg.resume();
        Runtime.getRuntime().addShutdownHook(new Thread(pg::stop, "postgres-stopper"));
        return pg;
    }

    public int port() { return port; }

    /** Stops the server (fast shutdown, data kept): clients see it refuse connections until {@link #resume()}. */
    public void pause() throws IOException, InterruptedException {
        run(List.of("runuser", "-u", "postgres", "--", BIN + "pg_ctl", "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop"));
    }

    /** Starts the server (again) on its port. */
    public void resume() throws IOException, InterruptedException {
        run(List.of("runuser", "-u", "postgres", "--", BIN + "pg_ctl", "-D", dir.resolve("data").toString(),
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c max_connections=200" + options,
                "-l", dir.resolve("log").toString(), "-w", "start"));
    }

    /** Stops a {@link #dedicated()} server and removes its folder. */
    public void close() { stop(); }

    public static String password() { return PASSWORD; }

    /** The JDBC URL of a database on this server. */
    public String url(String database) { return "jdbc:postgresql://127.0.0.1:" + port + "/" + database; }

    /** Creates an empty database and returns its JDBC URL. */
    public String newDatabase() {
        String name = "t" + databases.incrementAndGet() + "_" + ProcessHandle.current().pid();
        try (Connection c = connect(url("postgres")); Statement st = c.createStatement()) {
            st.executeUpdate("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name + ": " + e.getMessage(), e);
        }
        return url(name);
    }

    /** A superuser connection (for a test that must do what certops refuses, like editing a row). */
    public static Connection connect(String url) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", USER);
        p.setProperty("password", PASSWORD);
        return DriverManager.getConnection(url, p);
    }

    /** The server log (for failure messages). */
    public String log() {
        try {
            return Files.readString(dir.resolve("log"));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    private void stop() {
        try {
            run(List.of("runuser", "-u", "postgres", "--", BIN + "pg_ctl", "-D", dir.resolve("data").toString(),
                    "-m", "immediate", "-w", "stop"));
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // the JVM is ending; a leftover folder in /tmp is all that can remain
        }
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed:\n" + out);
        }
    }
}
