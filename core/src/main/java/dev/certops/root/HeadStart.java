package dev.certops.root;

import dev.certops.config.ConfigLoader;
import dev.certops.crypto.TrustAnchors;
import dev.certops.history.HistoryDatabase;
import dev.certops.json.Json;
import dev.certops.ratelimit.RegisteredDomains;
import dev.certops.scan.ClientTrust;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;

/**
 * Work a command will need anyway, started on a second thread the moment the process knows which command
 * runs, so that it is done while the main thread builds the command line and reads certops.yaml (two cores:
 * the start-up work runs side by side instead of one piece after the other). Each step only prepares what is
 * memoised for the process or initialises classes: it reads no workspace, writes nothing, and a step that
 * fails is ignored (the command meets the same failure on its own path and reports it there).
 */
public final class HeadStart {
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private HeadStart() { }

    /** What one step prepares. */
    private record Step(String name, Runnable work) { }

    /** For a command that talks to a CA (issue, renew, revoke, runbook, drill): history, JSON, the rate-limit budget's suffix list, TLS, keys. */
    public static void forIssuance() {
        start(List.of(
                new Step("SQLite's native library", HistoryDatabase::loadNativeLibrary),
                new Step("Jackson", Json::mapper),
                new Step("the public suffix list", () -> RegisteredDomains.of("www.example.co.uk")),
                new Step("Java's trust store", TrustAnchors::javaRoots),
                new Step("TLS", HeadStart::tls)));
    }

    /**
     * For {@code estate scan} / {@code estate affected}: certops.yaml (the probes start the moment it is read; with a
     * thousand endpoints, parsing it costs as much as the command line's model), SQLite's native library, Java's trust
     * store as the scan's client verdicts use it. The configuration is read ahead for the one file the command will read: the command uses what was
     * parsed only when it reads the very same bytes ({@link ConfigLoader#readAhead}), so the head start decides nothing.
     */
    public static void forScan(Path configFile) {
        start(List.of(
                new Step("certops.yaml", () -> ConfigLoader.readAhead(configFile)),
                new Step("SQLite's native library", HistoryDatabase::loadNativeLibrary),
                new Step("Java's trust store, as a scan's anchors", ClientTrust::prepareJavaRoots)));
    }

    private static void tls() {
        try {
            SSLContext.getInstance("TLS");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void start(List<Step> steps) {
        if (Boolean.getBoolean("certops.noHeadStart") || !STARTED.compareAndSet(false, true)) return;
        Thread t = new Thread(() -> {
            for (Step s : steps) {
                try {
                    s.work().run();
                } catch (RuntimeException | Error e) {
                    // the command's own path meets it and says what to do
                }
            }
        }, "certops-head-start");
        t.setDaemon(true);
        t.start();
    }
}
