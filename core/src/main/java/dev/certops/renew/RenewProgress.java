package dev.certops.renew;

/** Progress lines of a renew run, per certificate (the CLI prints them unless --quiet). Called from worker threads. */
@FunctionalInterface
public interface RenewProgress {
    void line(String certificateId, String message);

    RenewProgress NONE = (id, m) -> { };
}
