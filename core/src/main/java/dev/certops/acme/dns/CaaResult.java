package dev.certops.acme.dns;

/** What CAA says about one name for one CA: {@link Allowed}, {@link Refused} or {@link LookupFailed}. */
public sealed interface CaaResult {
    /** The name as asked (a wildcard keeps its {@code *.}). */
    String name();

    /** One sentence an operator can act on. */
    String reason();

    /** The CA may issue for the name. */
    record Allowed(String name, String reason) implements CaaResult { }

    /** A CAA record forbids this CA ("CAA for example.com allows only letsencrypt.org; sectigo.com cannot issue"). */
    record Refused(String name, String reason) implements CaaResult { }

    /** The lookup failed (SERVFAIL, timeout); CAs treat this as "may not issue". */
    record LookupFailed(String name, String reason) implements CaaResult { }
}
