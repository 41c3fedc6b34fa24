package dev.certops.cli;

import dev.certops.crypto.Redactor;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * {@code certops.log} in the workspace: where an internal error's details go (the command, the time,
 * the stack trace, secrets scrubbed), so the operator is told a file that exists. Owner-only (0600);
 * rotated at {@value #MAX_BYTES} bytes to {@code certops.log.1} (one older file kept).
 */
final class CrashLog {
    static final String NAME = "certops.log";
    static final long MAX_BYTES = 1L << 20;

    private CrashLog() { }

    /** Appends the error; returns the file written, or empty when even that failed (the workspace is not writable). */
    static Optional<Path> write(Path workspaceRoot, String command, Throwable error) {
        Path log = workspaceRoot.resolve(NAME);
        try {
            if (!Files.isDirectory(workspaceRoot)) return Optional.empty();
            if (Files.exists(log) && Files.size(log) > MAX_BYTES) {
                Files.move(log, workspaceRoot.resolve(NAME + ".1"), StandardCopyOption.REPLACE_EXISTING);
            }
            if (!Files.exists(log)) {
                Files.createFile(log, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            StringWriter trace = new StringWriter();
            error.printStackTrace(new PrintWriter(trace));
            String entry = Instant.now().truncatedTo(ChronoUnit.SECONDS) + " internal error in 'certops " + command + "'\n"
                    + Redactor.global().scrub(trace.toString()) + "\n";
            Files.writeString(log, entry, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            return Optional.of(log);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
