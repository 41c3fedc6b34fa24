package dev.certops.history;

import dev.certops.startup.StartupTrace;
import dev.certops.words.Causes;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Properties;
import org.sqlite.SQLiteConfig;

/**
 * Where a history lives and how to connect to it: the workspace's SQLite file, or a shared
 * PostgreSQL database (team mode). History, leases, presence and the event feed all connect through
 * this. {@link #where()} names the database in messages and never contains a password.
 */
public sealed interface HistoryDatabase permits HistoryDatabase.Sqlite, HistoryDatabase.Postgres {

    /** A new connection in auto-commit mode; failures name the database and the cause, never a password. */
    Connection connect() throws HistoryException;

    /** The file or URL, for messages (never a password). */
    String where();

    Migrations.Dialect dialect();

    /**
     * Loads SQLite's native library and its JDBC driver now, with a statement on a database in memory (a head
     * start: the first connection to the history would do it, on the command's own thread).
     */
    static void loadDriver() {
        try (Connection c = new SQLiteConfig().createConnection("jdbc:sqlite::memory:");
             java.sql.Statement st = c.createStatement()) {
            st.execute("select 1");
        } catch (SQLException e) {
            throw new IllegalStateException("SQLite cannot be loaded: " + e.getMessage(), e);
        }
    }

    /** The local history file. */
    record Sqlite(Path file) implements HistoryDatabase {
        static final int BUSY_TIMEOUT_MS = 30_000;

        public Sqlite {
            file = file.toAbsolutePath();
        }

        @Override
        public Connection connect() throws HistoryException {
            SQLiteConfig config = new SQLiteConfig();
            config.setBusyTimeout(BUSY_TIMEOUT_MS);
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
            config.enforceForeignKeys(true);
            config.setCacheSize(-16_384); // KiB: keeps the three indexes' hot pages in memory for batch appends
            // never map the database file: a mapped page of a file that became unwritable or lost its disk
            // is a SIGBUS that kills the JVM mid-deploy; with plain reads and writes it is an error we report
            config.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, "0");
            try (StartupTrace.Phase p = StartupTrace.phase("history: SQLite connect (the first loads its native library)")) {
                return config.createConnection("jdbc:sqlite:" + file);
            } catch (SQLException e) {
                throw new HistoryException("cannot open history at " + file + ": " + e.getMessage()
                        + ". Check that the file is a certops history database and is readable and writable.", e);
            }
        }

        @Override
        public String where() { return file.toString(); }

        // written out: a record's generated equals and hashCode are linked on first use through method handles, ~17 ms
        // of a command's main thread cold (the lease service compares databases before every command that leases)
        @Override
        public boolean equals(Object o) { return o instanceof Sqlite other && file.equals(other.file); }

        @Override
        public int hashCode() { return file.hashCode(); }

        @Override
        public Migrations.Dialect dialect() { return Migrations.Dialect.SQLITE; }
    }

    /**
     * A shared PostgreSQL database. {@code ssl} = "require" (encrypted, the default for team mode),
     * "verify-full" (encrypted and the server certificate checked against the system trust) or
     * "disable" (loopback tests only).
     */
    record Postgres(String url, String user, String password, String ssl) implements HistoryDatabase {
        public Postgres {
            if (url == null || !url.startsWith("jdbc:postgresql://")) {
                throw new IllegalArgumentException("'" + url + "' is not a PostgreSQL JDBC URL — expected "
                        + "jdbc:postgresql://HOST:PORT/DATABASE");
            }
            if (url.toLowerCase(Locale.ROOT).contains("password=")) {
                throw new IllegalArgumentException("the history URL must not carry a password; give it as a secret: "
                        + "reference or in $CERTOPS_PG_PASSWORD");
            }
        }

        @Override
        public Connection connect() throws HistoryException {
            Properties p = new Properties();
            p.setProperty("user", user);
            if (password != null) {
                p.setProperty("password", password);
            }
            p.setProperty("sslmode", ssl == null ? "require" : ssl);
            p.setProperty("connectTimeout", "10");
            p.setProperty("tcpKeepAlive", "true");
            p.setProperty("ApplicationName", "certops");
            p.setProperty("reWriteBatchedInserts", "true"); // a batch of events is one multi-row INSERT
            try {
                return DriverManager.getConnection(url, p);
            } catch (SQLException e) {
                throw new HistoryException("cannot reach the shared history at " + where() + " as user " + user + ": "
                        + cause(e) + " Nothing that changes certificates or servers can run until it is reachable.", e);
            }
        }

        private String cause(SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            String msg = e.getMessage() == null ? "" : e.getMessage().replace(password == null ? "\u0000" : password, "***");
            if (state.equals("28P01") || state.equals("28000")) {
                return "the server refused the login (" + msg + "). Check the user and the password (secret: "
                        + "reference in certops.yaml or $CERTOPS_PG_PASSWORD).";
            }
            if (msg.contains("SSL") || msg.contains("ssl")) {
                return "TLS was refused (" + msg + "). The server must accept TLS for ssl: " + ssl
                        + "; ask the database administrator to enable it, or fix the ssl setting.";
            }
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof ConnectException || t instanceof UnknownHostException
                        || t instanceof SocketTimeoutException) {
                    return "the server cannot be reached (" + Causes.of(t)
                            + "). Check the host, the port, the network and that PostgreSQL is running.";
                }
            }
            return msg + " (SQL state " + state + ").";
        }

        @Override
        public String where() { return url; }

        @Override
        public Migrations.Dialect dialect() { return Migrations.Dialect.POSTGRESQL; }

        @Override
        public String toString() { return "Postgres[" + url + ", user=" + user + ", ssl=" + ssl + "]"; }
    }
}
