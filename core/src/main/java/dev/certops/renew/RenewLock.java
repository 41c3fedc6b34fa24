package dev.certops.renew;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The workspace's renew lock ({@code state/renew.lock}), held with {@link FileChannel#tryLock()} for
 * the whole run; the file says who holds it ({@code pid=… started=…}). The OS releases the lock when
 * the holder dies, so a crashed run never blocks the next one.
 */
public final class RenewLock implements AutoCloseable {
    /** The exit code a second, refused run uses (EX_TEMPFAIL). */
    public static final int BUSY_EXIT = 75;

    /** The outcome of trying to take the lock. */
    public sealed interface Attempt permits Acquired, Busy { }

    /** This run holds the lock until {@link RenewLock#close()}. */
    public record Acquired(RenewLock lock) implements Attempt { }

    /** Another run holds it; {@code holder} is what it wrote, e.g. {@code pid=123 started=2026-11-23T09:00:00Z}. */
    public record Busy(Path file, String holder) implements Attempt {
        public String message() {
            return "another renew run holds " + file + " (" + holder + ") — wait for it to finish, or if that process is gone, run again";
        }
    }

    private final FileChannel channel;
    private final FileLock lock;

    private RenewLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    public static Attempt tryAcquire(Path file, long pid, Instant started) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            ch.close();
            return new Busy(file, holder(file));
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap(("pid=" + pid + " started=" + started + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        ch.force(false);
        return new Acquired(new RenewLock(ch, l));
    }

    private static String holder(Path file) {
        try {
            String s = Files.readString(file, StandardCharsets.UTF_8).trim();
            return s.isEmpty() ? "holder not yet written" : s;
        } catch (IOException e) {
            return "holder unknown: " + e.getMessage();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
