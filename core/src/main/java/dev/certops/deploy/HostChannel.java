package dev.certops.deploy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The deploy port: a connection to one host, over which core's deploy logic (release swap,
 * config test, reload, rollback), the estate scan (reading what is live on disk) and ACME
 * HTTP-01 (placing token files in a webroot) work.
 *
 * <p>Implemented by {@code ssh-deploy} over SSH and by {@link LocalHostConnector} for the
 * console's own machine. Paths are absolute POSIX paths already validated by the caller
 * ({@link RemotePaths}); implementations still never pass them through a shell unquoted.
 */
public interface HostChannel extends AutoCloseable {

    /** The host entry this channel is connected to. */
    String hostId();

    /**
     * Runs a program with these arguments. Each argument is passed as one word: the SSH
     * implementation quotes every argument for the remote shell, the local one uses no shell.
     */
    ExecResult exec(List<String> argv, Duration timeout) throws DeployException;

    /**
     * Runs several programs one after the other, stopping at the first that fails; the result is
     * that of the last one run. Over SSH they run in one remote shell ({@code a && b}: one round trip).
     */
    default ExecResult execAll(List<List<String>> commands, Duration timeout) throws DeployException {
        ExecResult r = null;
        for (List<String> argv : commands) {
            r = exec(argv, timeout);
            if (!r.ok()) return r;
        }
        return r;
    }

    /**
     * Runs a program as root where the host entry says so ({@code sudo: true}: through {@code sudo -n});
     * otherwise as the connected user, like {@link #exec}.
     */
    default ExecResult execAsRoot(List<String> argv, Duration timeout) throws DeployException {
        return exec(argv, timeout);
    }

    /**
     * A configured command line ({@code test:}, {@code reload:}) as it must be run on this host:
     * unchanged, or under {@code sudo -n} for {@code sudo: true} hosts.
     */
    default String asRoot(String commandLine) {
        return commandLine;
    }

    /**
     * Runs a command line written by the operator in certops.yaml (a host's {@code test:} or
     * {@code reload:}). It is trusted configuration text, run by the login shell as written;
     * it never contains values that came from elsewhere.
     */
    ExecResult execConfigured(String commandLine, Duration timeout) throws DeployException;

    /** The file's bytes, or empty when it does not exist. */
    Optional<byte[]> read(String path) throws DeployException;

    /**
     * Writes a file atomically: to a temporary name in the same folder, mode set, then renamed
     * over {@code path}. A reader sees the old content or the new, never a partial file.
     */
    void write(String path, byte[] content, int mode) throws DeployException;

    /** Deletes a file or an empty folder; no error when it is already gone. */
    void delete(String path) throws DeployException;

    /** Creates a folder and its parents. */
    void mkdirs(String path, int mode) throws DeployException;

    /** Names in a folder (not paths), empty when it does not exist. */
    List<String> list(String dir) throws DeployException;

    /** The target of a symbolic link, or empty when it is not one. */
    Optional<String> readLink(String path) throws DeployException;

    /**
     * Makes {@code link} a symbolic link to {@code target} atomically: a new link at
     * {@code link + ".tmp"} renamed over {@code link} (rename(2)), so a reader sees the old target
     * or the new one, never neither. The default runs {@code ln -sfn} then {@code mv -T}.
     */
    default void replaceLink(String target, String link, Duration timeout) throws DeployException {
        for (List<String> argv : List.of(List.of("ln", "-sfn", "--", target, link + ".tmp"), List.of("mv", "-T", "--", link + ".tmp", link))) {
            ExecResult r = exec(argv, timeout);
            if (!r.ok()) throw new DeployException(hostId(), "swap", "'" + String.join(" ", argv) + "' failed (exit " + r.exitCode() + "): " + r.output(), "check permissions on the folder of " + link);
        }
    }

    @Override
    void close();
}
