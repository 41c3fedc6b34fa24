package dev.certops.deploy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A channel that connects to nothing and writes nothing: it records every remote command a
 * deployment would run, as the shell would see it. It answers as a host with no release yet
 * ({@code test} is false, nothing exists) and reads back what it was given.
 */
final class DryRunChannel implements HostChannel {
    private final String hostId;
    private final List<String> commands = new ArrayList<>();
    private final Map<String, byte[]> written = new HashMap<>();

    DryRunChannel(String hostId) { this.hostId = hostId; }

    List<String> commands() { return List.copyOf(commands); }

    void note(String line) { commands.add(line); }

    @Override public String hostId() { return hostId; }

    @Override
    public ExecResult exec(List<String> argv, Duration timeout) {
        commands.add(ShellWords.join(argv));
        if (argv.get(0).equals("test")) return new ExecResult(1, "", "");
        if (argv.get(0).equals("mktemp")) return new ExecResult(0, "/tmp/certops-staging.DRYRUN", "");
        return new ExecResult(0, "", "");
    }

    @Override
    public ExecResult execConfigured(String commandLine, Duration timeout) {
        if (commandLine.contains(TestThenReload.MARK)) {
            commands.add("(in one login shell) config test, as configured; then, only if it passes, reload, as configured:");
            commands.add("    " + commandLine.replace("\n", " "));
            String ok = TestThenReload.MARK + "0\n";
            return new ExecResult(0, ok, ok);
        }
        commands.add(commandLine + "    # as configured");
        return new ExecResult(0, "", "");
    }

    @Override
    public Optional<byte[]> read(String path) {
        byte[] content = written.get(path);
        commands.add(content == null ? ShellWords.join(List.of("cat", "--", path))
                : "(read back " + ShellWords.quote(path) + " and compare its SHA-256 with what was sent)");
        return Optional.ofNullable(content);
    }

    @Override
    public void write(String path, byte[] content, int mode) {
        commands.add("(write " + content.length + " bytes, mode " + Integer.toOctalString(mode) + ") > " + ShellWords.quote(path) + "  # via a temporary name, then renamed");
        written.put(path, content);
    }

    @Override public void delete(String path) { commands.add(ShellWords.join(List.of("rm", "-f", "--", path))); }

    @Override public void mkdirs(String path, int mode) { commands.add(ShellWords.join(List.of("mkdir", "-p", "-m", Integer.toOctalString(mode), "--", path))); }

    @Override public List<String> list(String dir) { commands.add(ShellWords.join(List.of("ls", "-1A", "--", dir))); return List.of(); }

    @Override public Optional<String> readLink(String path) { commands.add(ShellWords.join(List.of("readlink", "--", path))); return Optional.empty(); }

    @Override public void close() { }
}
