package dev.certops.acme;

import dev.certops.config.CaConfig;
import dev.certops.config.Workspace;
import dev.certops.words.Words;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every CA's state for the console (up, slow, erroring, down since when, last contact), from the same
 * one-GET directory probe {@code config check} uses ({@link CaDirectoryCheck}). One instance lives as long
 * as the console: it remembers when each CA was last answered and since when it has been failing.
 * The probe is network I/O: call {@link #probe} off the UI thread.
 */
public final class CaHealth {
    /** A CA's directory answered ok within this: up; slower: slow. */
    public static final Duration SLOW_AFTER = Duration.ofSeconds(2);
    /** How long one probe may take to connect and to answer. */
    public static final Duration TIMEOUT = Duration.ofSeconds(4);

    /** What the last probe found, most urgent last. */
    public enum State { UP, SLOW, ERRORING, DOWN;
        public String label() { return name().toLowerCase(Locale.ROOT); }
    }

    /**
     * One CA's health.
     *
     * @param ca          the CA entry's id
     * @param primary     the first CA in certops.yaml (the one renewals ask first)
     * @param directory   the ACME directory asked
     * @param state       what the last probe found
     * @param detail      its answer in words ("ok", "connection refused at …", "answered HTTP 503 …")
     * @param took        how long the last probe took
     * @param lastContact when the CA last answered with a directory (empty: never, while this console ran)
     * @param failingSince when the CA started failing (empty while it answers)
     * @param checkedAt   when the last probe ran
     */
    public record Entry(String ca, boolean primary, URI directory, State state, String detail, Duration took,
                        Optional<Instant> lastContact, Optional<Instant> failingSince, Instant checkedAt) {
        /** Down or erroring: issuance from this CA will fail now. */
        public boolean failing() { return state == State.DOWN || state == State.ERRORING; }

        /** One line a person reads: "primary — down since 03:12:05: connection refused at 127.0.0.1:14000 (…); last answered 02:58:40". */
        public String line() {
            String who = ca + (primary ? " (primary)" : "");
            return switch (state) {
                case UP -> who + " — up, answered in " + Words.elapsed(took);
                case SLOW -> who + " — slow: answered in " + Words.elapsed(took) + " (more than " + Words.elapsed(SLOW_AFTER) + ")";
                case ERRORING, DOWN -> who + " — " + state.label() + failingSince.map(t -> " since " + Words.clock(t)).orElse("") + ": " + detail
                        + "; " + lastContact.map(t -> "last answered " + Words.clock(t)).orElse("not answered since this console started");
            };
        }
    }

    private final Workspace workspace;
    private final Clock clock;
    private final Map<String, Instant> lastContact = new HashMap<>();
    private final Map<String, Instant> failingSince = new HashMap<>();

    public CaHealth(Workspace workspace, Clock clock) {
        this.workspace = workspace;
        this.clock = clock;
    }

    /** Asks every CA's directory once (in parallel, each within {@link #TIMEOUT}); certops.yaml's order, the primary first. */
    public List<Entry> probe(List<CaConfig> cas) {
        List<Entry> out = cas.parallelStream().map(ca -> probe(ca, ca == cas.get(0))).toList();
        synchronized (this) {
            return out.stream().map(this::remember).toList();
        }
    }

    private Entry probe(CaConfig ca, boolean primary) {
        long t0 = System.nanoTime();
        CaDirectoryCheck.Result r = CaDirectoryCheck.check(new CaEndpoint(ca, false), ca.trust().map(workspace::resolve), TIMEOUT);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        State state = switch (r.kind()) {
            case OK -> took.compareTo(SLOW_AFTER) > 0 ? State.SLOW : State.UP;
            case UNREACHABLE -> State.DOWN;
            default -> State.ERRORING;
        };
        String detail = r.detail().startsWith("unreachable: ") ? r.detail().substring("unreachable: ".length()) : r.detail();
        return new Entry(ca.id(), primary, r.directory(), state, detail, took, Optional.empty(), Optional.empty(), clock.instant());
    }

    private Entry remember(Entry e) {
        if (e.failing()) {
            failingSince.putIfAbsent(e.ca(), e.checkedAt());
        } else {
            failingSince.remove(e.ca());
            lastContact.put(e.ca(), e.checkedAt());
        }
        return new Entry(e.ca(), e.primary(), e.directory(), e.state(), e.detail(), e.took(), Optional.ofNullable(lastContact.get(e.ca())),
                Optional.ofNullable(failingSince.get(e.ca())), e.checkedAt());
    }
}
