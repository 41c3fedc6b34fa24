package dev.certops.deploy;

import java.util.Optional;

/**
 * The config test and — only when it passes — the reload, run in one remote login shell, so a
 * host costs one shell start fewer (a login shell that reads a heavy ~/.bashrc costs 100+ ms).
 * Each command runs in its own subshell exactly as configured; a marker line between them
 * carries the test's exit code, so both outputs are reported separately.
 */
record TestThenReload(ExecResult test, Optional<ExecResult> reload) {
    static final String MARK = "@@certops-test-exit=";

    static String commandLine(String test, String reload) {
        return "( " + test + "\n) ; certops_rc=$? ; echo \"" + MARK + "$certops_rc\" ; echo \"" + MARK + "$certops_rc\" >&2 ; "
                + "[ \"$certops_rc\" -eq 0 ] || exit \"$certops_rc\" ; ( " + reload + "\n)";
    }

    static TestThenReload parse(ExecResult r) {
        String[] out = split(r.stdout());
        String[] err = split(r.stderr());
        if (out == null) {
            return new TestThenReload(new ExecResult(r.exitCode() == 0 ? 1 : r.exitCode(), r.stdout(), r.stderr()), Optional.empty());
        }
        int testExit = Integer.parseInt(out[1]);
        ExecResult test = new ExecResult(testExit, out[0], err == null ? r.stderr() : err[0]);
        if (testExit != 0) return new TestThenReload(test, Optional.empty());
        return new TestThenReload(test, Optional.of(new ExecResult(r.exitCode(), out[2], err == null ? "" : err[2])));
    }

    /** before, exit code, after — or null when the marker is missing. */
    private static String[] split(String s) {
        int i = s.indexOf(MARK);
        if (i < 0) return null;
        int end = s.indexOf('\n', i);
        String code = (end < 0 ? s.substring(i + MARK.length()) : s.substring(i + MARK.length(), end)).strip();
        if (!code.matches("\\d{1,3}")) return null;
        return new String[] {s.substring(0, i).strip(), code, end < 0 ? "" : s.substring(end + 1).strip()};
    }
}
