package dev.certops.deploy;

import dev.certops.words.Causes;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** {@link HostChannel} on this machine: java.nio for files, ProcessBuilder (no shell) for argv. */
final class LocalHostChannel implements HostChannel {
    private final String hostId;

    LocalHostChannel(String hostId) { this.hostId = hostId; }

    @Override
    public String hostId() { return hostId; }

    @Override
    public ExecResult exec(List<String> argv, Duration timeout) throws DeployException {
        return run(new ProcessBuilder(argv), String.join(" ", argv), timeout);
    }

    @Override
    public ExecResult execConfigured(String commandLine, Duration timeout) throws DeployException {
        return run(new ProcessBuilder("/bin/sh", "-c", commandLine), commandLine, timeout);
    }

    private ExecResult run(ProcessBuilder pb, String shown, Duration timeout) throws DeployException {
        try {
            Path out = Files.createTempFile("certops-exec", ".out");
            Path err = Files.createTempFile("certops-exec", ".err");
            try {
                Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    throw new DeployException(hostId, "exec", "'" + shown + "' did not finish within " + timeout.toSeconds() + " s",
                            "check the command on the host; raise the timeout if it is legitimately slow");
                }
                return new ExecResult(p.exitValue(), Files.readString(out).strip(), Files.readString(err).strip());
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new DeployException(hostId, "exec", "could not run '" + shown + "': " + e.getMessage(), "check that the program is installed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException(hostId, "exec", "interrupted while running '" + shown + "'", null);
        }
    }

    @Override
    public Optional<byte[]> read(String path) throws DeployException {
        try {
            return Optional.of(Files.readAllBytes(Path.of(path)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw io("read", path, e);
        }
    }

    @Override
    public void write(String path, byte[] content, int mode) throws DeployException {
        Path target = Path.of(path);
        Path tmp = target.resolveSibling("." + target.getFileName() + ".certops-tmp");
        Set<PosixFilePermission> perms = PosixFilePermissions.fromString(modeString(mode));
        try {
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(perms));
            Files.setPosixFilePermissions(tmp, perms);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(content));
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try { Files.deleteIfExists(tmp); } catch (IOException ignored) { /* best effort */ }
            throw io("write", path, e);
        }
    }

    @Override
    public void delete(String path) throws DeployException {
        try {
            Files.deleteIfExists(Path.of(path));
        } catch (DirectoryNotEmptyException e) {
            throw new DeployException(hostId, "delete", path + " is a folder that is not empty", null);
        } catch (IOException e) {
            throw io("delete", path, e);
        }
    }

    @Override
    public void mkdirs(String path, int mode) throws DeployException {
        try {
            Path p = Path.of(path);
            if (!Files.isDirectory(p)) {
                Files.createDirectories(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(modeString(mode))));
            }
        } catch (IOException e) {
            throw io("mkdir", path, e);
        }
    }

    @Override
    public List<String> list(String dir) throws DeployException {
        Path d = Path.of(dir);
        if (!Files.isDirectory(d)) return List.of();
        try (Stream<Path> s = Files.list(d)) {
            List<String> names = new ArrayList<>();
            s.forEach(p -> names.add(p.getFileName().toString()));
            names.sort(null);
            return names;
        } catch (IOException e) {
            throw io("list", dir, e);
        }
    }

    @Override
    public Optional<String> readLink(String path) throws DeployException {
        Path p = Path.of(path);
        if (!Files.isSymbolicLink(p)) return Optional.empty();
        try {
            return Optional.of(Files.readSymbolicLink(p).toString());
        } catch (IOException e) {
            throw io("readlink", path, e);
        }
    }

    @Override
    public void replaceLink(String target, String link, Duration timeout) throws DeployException {
        Path l = Path.of(link);
        Path tmp = Path.of(link + ".tmp");
        try {
            Files.deleteIfExists(tmp);
            Files.createSymbolicLink(tmp, Path.of(target));
            Files.move(tmp, l, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw io("swap", link, e);
        }
    }

    @Override
    public void close() { /* nothing held */ }

    private DeployException io(String step, String path, IOException e) {
        String what = e instanceof AccessDeniedException ? "permission denied" : Causes.of(e);
        return new DeployException(hostId, step, path + ": " + what, "check the path and its permissions on this machine");
    }

    static String modeString(int mode) {
        StringBuilder b = new StringBuilder();
        for (int shift = 6; shift >= 0; shift -= 3) {
            int bits = (mode >> shift) & 7;
            b.append((bits & 4) != 0 ? 'r' : '-').append((bits & 2) != 0 ? 'w' : '-').append((bits & 1) != 0 ? 'x' : '-');
        }
        return b.toString();
    }

}
