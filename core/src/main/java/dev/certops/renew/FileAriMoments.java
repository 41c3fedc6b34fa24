package dev.certops.renew;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Properties;
import java.util.random.RandomGenerator;

/**
 * {@link AriMoments} kept in a properties file ({@code <workspace>/state/ari-moments.properties}):
 * one line per certificate, {@code id=windowStart|windowEnd|moment}. A new window replaces the old
 * choice. The file is read once, on the first question, and written once by {@link #save} when the
 * run's planning ends — only if a moment was chosen — replaced atomically.
 */
public final class FileAriMoments implements AriMoments {
    private final Path file;
    private final RandomGenerator random;
    private Properties moments;
    private boolean changed;

    public FileAriMoments(Path file, RandomGenerator random) {
        this.file = file;
        this.random = random;
    }

    @Override
    public synchronized Instant momentFor(String certificateId, AriWindow window) {
        if (moments == null) moments = load();
        Properties p = moments;
        String stored = p.getProperty(certificateId);
        String prefix = window.start() + "|" + window.end() + "|";
        if (stored != null && stored.startsWith(prefix)) return Instant.parse(stored.substring(prefix.length()));
        long span = window.end().toEpochMilli() - window.start().toEpochMilli();
        Instant moment = span <= 0 ? window.start() : window.start().plusMillis(random.nextLong(span));
        p.setProperty(certificateId, prefix + moment);
        changed = true;
        return moment;
    }

    /** Writes the moments chosen since the file was read; nothing when none was. */
    public synchronized void save() {
        if (!changed) return;
        write(moments);
        changed = false;
    }

    private Properties load() {
        Properties p = new Properties();
        if (!Files.isRegularFile(file)) return p;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " — delete it to choose new ARI moments", e);
        }
        return p;
    }

    private void write(Properties p) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "certops: chosen ARI renewal moments");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + " — check the workspace state directory is writable", e);
        }
    }
}
