package dev.certops.lease;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/** Another console holds the lease; the message names who, since when and why. */
public class LeaseHeldException extends Exception {
    private static final long serialVersionUID = 1L;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final Map<String, String> PARTICIPLE = Map.of("deploy", "deployed", "issue", "issued",
            "revoke", "revoked", "rollback", "rolled back", "renew", "renewed");

    private final transient Lease held;

    public LeaseHeldException(Lease held) {
        super(describe(held));
        this.held = held;
    }

    public Lease held() { return held; }

    static String describe(Lease l) {
        String doing = PARTICIPLE.containsKey(l.operation()) ? "being " + PARTICIPLE.get(l.operation())
                : "held for " + l.operation();
        return l.subject() + " is " + doing + " by " + l.actor() + " since " + TIME.format(l.since()) + " UTC, "
                + l.holder() + " (console " + l.console() + "; the lease lapses at " + TIME.format(l.expires())
                + " UTC unless renewed). Wait for it, or break it with a reason if that console is gone.";
    }
}
