package dev.certops.history;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** SQLite's error codes as sentences an operator can act on, naming the file. */
final class SqliteFaults {
    private SqliteFaults() { }

    /** The database file or its WAL when this user cannot write it (chmod, chattr +i, a read-only mount). */
    static Optional<Path> unwritable(Path file) {
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            Path f = file.resolveSibling(file.getFileName() + suffix);
            if (Files.exists(f) && !Files.isWritable(f)) return Optional.of(f);
        }
        return Optional.empty();
    }

    static String describe(Path file, SQLException e) {
        SQLiteErrorCode code = e instanceof SQLiteException s ? s.getResultCode() : null;
        int primary = code == null ? e.getErrorCode() & 0xff : code.code & 0xff;
        return switch (primary) {
            case 13 -> "the disk holding " + file + " is full (SQLITE_FULL); free space there";
            case 8 -> file + " is read-only (SQLITE_READONLY); make it and its folder writable for this user";
            case 11, 26 -> file + " is damaged (" + (primary == 11 ? "SQLITE_CORRUPT" : "SQLITE_NOTADB")
                    + "); keep it as evidence and restore it from a backup";
            case 10 -> unwritable(file).map(f -> f + " cannot be written (read-only, immutable or on a read-only mount); make it writable for this user")
                    .orElse("an I/O error on " + file + " (" + (code == null ? "SQLITE_IOERR" : code.name()) + "); check the disk and the file's permissions");
            case 5, 6 -> file + " is locked by another process (SQLITE_BUSY); wait for it to finish";
            case 14 -> file + " cannot be opened (SQLITE_CANTOPEN); check that its folder exists and is writable";
            default -> e.getMessage() + " (on " + file + ")";
        };
    }
}
