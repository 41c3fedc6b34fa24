package dev.certops.root;

import dev.certops.acme.ColdStart;
import dev.certops.acme.SessionHints;
import dev.certops.acme.SessionsAhead;
import dev.certops.config.CaConfig;
import dev.certops.config.CertificateConfig;
import dev.certops.config.ChallengeConfig;
import dev.certops.config.CertopsConfig;
import dev.certops.config.ConfigException;
import dev.certops.config.ConfigLoader;
import dev.certops.config.Workspace;
import dev.certops.config.YamlNode;
import dev.certops.crypto.TrustAnchors;
import dev.certops.history.HistoryDatabase;
import dev.certops.json.Json;
import dev.certops.ratelimit.LimitKind;
import dev.certops.ratelimit.LimitTable;
import dev.certops.ratelimit.RegisteredDomains;
import dev.certops.scan.ClientTrust;
import dev.certops.startup.StartupTrace;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;

/**
 * Work a command will need anyway, begun on a second thread the moment the process knows which command runs,
 * so that it is done while the main thread builds the command line and reads certops.yaml (docs/decisions/0017:
 * an issuance measured ~7% faster as a whole command). Each step only prepares what the process keeps
 * (a library's classes and tables, SQLite's native library, Java's trust store read once, at most the certops.yaml
 * the command will read): it writes nothing, and a step that fails is left alone — the command meets the same
 * failure on its own path and reports it there. {@code -Dcertops.noHeadStart=true} turns it off (to compare).
 */
public final class HeadStart {
    static final String OFF = "certops.noHeadStart";
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private HeadStart() { }

    /** What one step prepares, named for a failure's report in tests. */
    record Step(String name, Step.Work work) {
        /** The preparation; it may throw, nothing waits for it. */
        interface Work {
            void run() throws Exception;
        }
    }

    /** For a command that talks to a CA (issue, renew, revoke, runbooks, drills): the thread, unless one runs already or it is off. */
    public static Optional<Thread> forIssuance() { return start(issuanceSteps()); }

    /**
     * In the order an issuance needs them: certops.yaml's parser, history (SQLite), JSON (the streaming parser and
     * generator: an issuance builds no object mapper), the rate-limit budget's
     * suffix list, Java's trust store, TLS.
     */
    static List<Step> issuanceSteps() {
        return List.of(
                new Step("YAML", HeadStart::yaml),
                new Step("SQLite", HistoryDatabase::loadDriver),
                new Step("JSON", HeadStart::json),
                new Step("the public suffix list", () -> RegisteredDomains.of("www.example.co.uk")),
                new Step("Java's trust store", TrustAnchors::javaRoots),
                new Step("TLS", HeadStart::tls));
    }

    /**
     * What a typed {@code issue} names: its workspace, the certificates, {@code --ca}, {@code --staging}. A guess from the
     * command line before it is parsed; a wrong one costs only the work begun for it.
     */
    public record IssueGuess(Workspace workspace, List<String> certificates, Optional<String> ca, boolean staging) { }

    /**
     * For {@code issue}: certops.yaml read ahead first, then the session of each named certificate's first CA opened
     * (its TLS handshake and directory read: the command's longest wait before it can order, begun ~0.2 s earlier than
     * the command itself could; reading a directory changes nothing at the CA), then what an issuance needs next.
     */
    public static Optional<Thread> forIssue(IssueGuess guess) { return start(issueSteps(guess)); }

    static List<Step> issueSteps(IssueGuess guess) {
        List<Step> steps = new ArrayList<>();
        AtomicBoolean dns01 = new AtomicBoolean(); // a named certificate answers DNS-01: known once certops.yaml is read
        AtomicBoolean suffixes = new AtomicBoolean(true); // a CA counts registered domains (until it is read: assume so)
        steps.add(new Step("certops.yaml, and the CA's session", () -> {
            // the session the certificate's last issuance opened first, while certops.yaml is unchanged since (SessionHints):
            // begun now, before certops.yaml is parsed; the command takes it over only if its plan names the same one
            SessionHints.openEarly(guess.workspace(), guess.certificates(), guess.ca(), guess.staging());
            ConfigLoader.readAhead(guess.workspace().configFile())
                .ifPresent(cfg -> {
                    dns01.set(openSessions(cfg, guess));
                    suffixes.set(countsRegisteredDomains(cfg));
                });
        }));
        steps.add(new Step("SQLite", HistoryDatabase::loadDriver));
        steps.add(new Step("JSON", HeadStart::json));
        steps.add(new Step("the public suffix list", () -> {
            if (suffixes.get()) RegisteredDomains.of("www.example.co.uk");
        }));
        steps.add(new Step("ACME request signing", ColdStart::signing));
        steps.add(new Step("DNS-01 checks", () -> {
            if (dns01.get()) ColdStart.dns01();
        }));
        return steps;
    }

    /**
     * Whether a configured CA has a per-registered-domain limit: only then does an issuance look names up in the public
     * suffix list (a CA without one, such as a lab's Pebble or an internal CA, never needs the list loaded).
     */
    static boolean countsRegisteredDomains(CertopsConfig cfg) {
        try {
            return LimitTable.from(cfg.cas()).anyBucket(LimitKind.NEW_CERTS_PER_REGISTERED_DOMAIN);
        } catch (IllegalArgumentException e) {
            return true; // the command says what is wrong with the limits; the head start only prepares
        }
    }

    /**
     * The session of each named certificate's first CA, as the command's plan will choose it ({@code --ca}, else the
     * certificate's CAs). True when one of them answers DNS-01.
     */
    static boolean openSessions(CertopsConfig cfg, IssueGuess guess) {
        boolean dns01 = false;
        for (String id : guess.certificates()) {
            Optional<CertificateConfig> cert = cfg.certificate(id);
            if (cert.isEmpty()) continue; // the command names the known ones
            dns01 |= cert.get().challenge().filter(c -> c.type() == ChallengeConfig.Type.DNS_01).isPresent();
            List<CaConfig> cas = guess.ca().isPresent() ? cfg.ca(guess.ca().get()).map(List::of).orElse(List.of()) : cfg.casFor(cert.get());
            if (!cas.isEmpty()) SessionsAhead.openEarly(cas.get(0), guess.staging(), guess.workspace());
        }
        return dns01;
    }

    /** For {@code estate scan} / {@code estate affected}: the thread, unless one runs already or it is off. */
    public static Optional<Thread> forScan(Path configFile) { return start(scanSteps(configFile)); }

    /**
     * certops.yaml (the probes start the moment it is read; with a thousand endpoints, parsing it costs as much as the
     * command line's model), SQLite, Java's trust store as the scan's client verdicts use it. The configuration is read
     * ahead for the one file the command will read: the command uses what was parsed only when it reads the very same
     * bytes ({@link ConfigLoader#readAhead}), so the head start decides nothing.
     */
    static List<Step> scanSteps(Path configFile) {
        // with trust: files (an internal CA's roots) Java's roots may never be needed: the scan reads them once a chain
        // that does not end at one of those roots is served; without, every verdict needs them
        AtomicBoolean ownRoots = new AtomicBoolean();
        return List.of(
                new Step("certops.yaml", () -> ConfigLoader.readAhead(configFile).ifPresent(cfg -> ownRoots.set(!cfg.trustFiles().isEmpty()))),
                new Step("SQLite", HistoryDatabase::loadDriver),
                new Step("Java's trust store, as a scan's anchors", () -> {
                    if (!ownRoots.get()) ClientTrust.prepareJavaRoots();
                }));
    }

    /**
     * The scan's steps for {@code configFile}, here and now, on this thread, whether or not a head start ran already:
     * for the training run (dev.certops.cli.Training), so that the archive holds their classes and lambdas as a scan's
     * own process loads them (otherwise read from the jars and generated at every start). Java's roots are prepared too,
     * even when the training workspace has trust: files of its own (a scan of public CAs' certificates reads them).
     */
    public static List<String> trainScan(Path configFile) {
        List<String> failed = new ArrayList<>(run(scanSteps(configFile)));
        failed.addAll(run(List.of(new Step("Java's trust store, as a scan's anchors", ClientTrust::prepareJavaRoots))));
        return failed;
    }

    /** Runs {@code steps} one after the other on this thread; the names of those that failed. */
    static List<String> run(List<Step> steps) {
        List<String> failed = new ArrayList<>();
        for (Step s : steps) {
            try (StartupTrace.Phase p = StartupTrace.phase("head start: " + s.name())) {
                s.work().run();
            } catch (Exception | LinkageError e) {
                failed.add(s.name()); // the command's own path meets it and says what to do
            }
        }
        return failed;
    }

    private static void yaml() throws ConfigException {
        YamlNode.parse(Path.of("certops.yaml"), "cas:\n  - { id: ca, directory: \"https://ca.example/dir\" }\n");
    }

    /** Jackson's streaming parser and generator: what an issuance reads and writes its records with (no object mapper). */
    private static void json() throws java.io.IOException {
        Json.flat(Json.plain(Map.of("names", List.of("www.example.com"), "staging", false, "version", 1)));
    }

    private static void tls() throws GeneralSecurityException {
        SSLContext.getInstance("TLS");
    }

    private static Optional<Thread> start(List<Step> steps) {
        if (Boolean.getBoolean(OFF) || !STARTED.compareAndSet(false, true)) return Optional.empty();
        Thread t = new Thread(() -> run(steps), "certops-head-start");
        t.setDaemon(true);
        t.start();
        return Optional.of(t);
    }
}
