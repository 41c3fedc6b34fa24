package dev.certops.cli;

/**
 * Exit codes of every command, for cron, CI and monitoring. Commands that report a state
 * (estate scan, renew) use 0 / 1 / 2 as documented on the command; the others use 0 or 2.
 */
public final class ExitCodes {
    private ExitCodes() { }

    /** Everything is fine / the action succeeded. */
    public static final int OK = 0;
    /** Something needs attention soon (a warning), or some items failed but will be retried. */
    public static final int WARNING = 1;
    /** A person is needed now: the action failed, or something is critical. */
    public static final int FAILED = 2;
    /** The command line was wrong (see --help). */
    public static final int USAGE = 64;
    /** An unexpected internal error (a bug): the message says where the details are. */
    public static final int INTERNAL = 70;
    /** The workspace or its certops.yaml is missing or invalid. */
    public static final int CONFIG = 78;
    /** Not allowed: the signing key, role or team file is missing (sysexits EX_NOPERM); the message says what to add. */
    public static final int NOT_ALLOWED = 77;
}
