package dev.certops.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small real ext4 file system on a loop device (the tests run as root): for a disk that fills up
 * ({@link #fill}) and files made immutable ({@code chattr +i}, which also refuses writes through
 * descriptors already open). Mounting that fails throws: a fault test never skips silently.
 * {@link #close} lifts the immutable flags and unmounts.
 */
public final class LoopDisk implements AutoCloseable {
    private final Path image;
    private final Path mountPoint;
    private final List<Path> immutable = new ArrayList<>();

    private LoopDisk(Path image, Path mountPoint) {
        this.image = image;
        this.mountPoint = mountPoint;
    }

    /** Creates an image of {@code mib} MiB in {@code dir}, formats it ext4 (no reserved blocks) and mounts it. */
    public static LoopDisk mount(Path dir, int mib) throws IOException {
        Path image = dir.resolve("disk.img");
        Path mp = Files.createDirectories(dir.resolve("disk"));
        try (var f = new java.io.RandomAccessFile(image.toFile(), "rw")) {
            f.setLength((long) mib << 20);
        }
        run("mkfs.ext4", "-q", "-F", "-m", "0", image.toString());
        run("mount", "-o", "loop", image.toString(), mp.toString());
        return new LoopDisk(image, mp);
    }

    public Path root() { return mountPoint; }

    /** Writes zeros until the disk is full (ENOSPC). */
    public void fill() throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(mountPoint.resolve("filler"))) {
            while (true) out.write(block);
        } catch (IOException full) {
            // ENOSPC: full
        }
        try (OutputStream out = Files.newOutputStream(mountPoint.resolve("filler-tail"))) {
            while (true) out.write(0);
        } catch (IOException full) {
            // the last bytes too
        }
    }

    /** Frees what {@link #fill} took. */
    public void free() throws IOException {
        Files.deleteIfExists(mountPoint.resolve("filler"));
        Files.deleteIfExists(mountPoint.resolve("filler-tail"));
    }

    /** {@code chattr +i}: nobody, root included, can write the file any more (open descriptors too). */
    public void makeImmutable(Path file) throws IOException {
        run("chattr", "+i", file.toString());
        immutable.add(file);
    }

    /** Lifts {@code chattr +i} from every file on the disk (also those a fault script made immutable). */
    public void makeMutable() throws IOException {
        // files and folders only: chattr cannot read the flags of a symbolic link (a host's live link may be on the disk)
        run("find", mountPoint.toString(), "(", "-type", "f", "-o", "-type", "d", ")", "-exec", "chattr", "-i", "{}", "+");
        immutable.clear();
    }

    @Override
    public void close() throws IOException {
        try {
            makeMutable();
        } finally {
            run("umount", "-l", mountPoint.toString());
            Files.deleteIfExists(image);
        }
    }

    /** Shell commands a fault script can run at the moment it chooses (from a host's test command). */
    public String fillCommand() {
        return "head -c 512M /dev/zero > " + mountPoint.resolve("filler") + " 2>/dev/null; head -c 64k /dev/zero > "
                + mountPoint.resolve("filler-tail") + " 2>/dev/null; true";
    }

    private static void run(String... argv) throws IOException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", argv) + " did not finish in 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", argv), e);
        }
        String out = new String(p.getInputStream().readAllBytes());
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " failed (exit " + p.exitValue() + "): " + out
                    + " — this fault test needs root and loop devices; it must not be skipped");
        }
    }
}
