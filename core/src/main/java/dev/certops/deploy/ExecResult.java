package dev.certops.deploy;

/** What a command did: its exit code and its output (stdout and stderr, trimmed to a sane size). */
public record ExecResult(int exitCode, String stdout, String stderr) {
    public boolean ok() { return exitCode == 0; }

    /** Output an operator can read in a message: stderr first, then stdout. */
    public String output() {
        String s = (stderr + "\n" + stdout).strip();
        return s.length() > 4000 ? s.substring(0, 4000) + "\n…" : s;
    }
}
