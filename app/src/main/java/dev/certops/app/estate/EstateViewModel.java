package dev.certops.app.estate;

import dev.certops.acme.CaHealth;
import dev.certops.acme.IssuanceService;
import dev.certops.app.common.BackgroundExecutor;
import dev.certops.app.common.ConsoleWords;
import dev.certops.app.common.StartupTiming;
import dev.certops.app.common.UserMessages;
import dev.certops.config.Thresholds;
import dev.certops.discover.UnmanagedCertificate;
import dev.certops.estate.CertificateView;
import dev.certops.estate.EstateSnapshot;
import dev.certops.estate.Status;
import dev.certops.root.CompositionRoot;
import dev.certops.words.Words;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.ObservableMap;
import javafx.collections.transformation.FilteredList;
import javafx.collections.transformation.SortedList;

/**
 * The estate screen's state: every certificate from the last scan, the filters, the selection,
 * the expiry timeline, and the scan command. Plain Java over observable properties: tested without
 * a screen.
 */
public final class EstateViewModel {
    public static final String ALL = "All";
    private final BackgroundExecutor executor;
    private final Callable<EstateSnapshot> scanner;
    private final ObservableList<CertificateView> rows = FXCollections.observableArrayList();
    private List<CertificateView> worstFirst = List.of();
    private final FilteredList<CertificateView> filtered = new FilteredList<>(rows, x -> true);
    private final SortedList<CertificateView> sorted = new SortedList<>(filtered, WORST_FIRST);
    /** How the Estate opens: the one status order worst first (ADR 0008), then fewest days left, then id. */
    public static final Comparator<CertificateView> WORST_FIRST = Comparator
            .comparing(CertificateView::status, Comparator.reverseOrder())
            .thenComparing(c -> c.daysLeft().orElse(Long.MAX_VALUE))
            .thenComparing(CertificateView::id);
    /** The count tiles above the table, worst first: each status a certificate can have and "diverged" for any divergence. */
    public static final List<String> TILES = List.of("revoked", "expired", "rejected", "diverged", "unreachable", "emergency", "critical", "warning", "ok");
    /** A scan older than this is called stale on the Estate (the console scans on start and on F5, not on a timer). */
    public static final Duration STALE_SCAN = Duration.ofMinutes(15);
    private final ObservableMap<String, Integer> counts = FXCollections.observableHashMap();
    private final ObservableList<CaHealth.Entry> caHealth = FXCollections.observableArrayList();
    private Callable<List<CaHealth.Entry>> caProbe;
    private final BooleanProperty probingCas = new SimpleBooleanProperty();
    private final StringProperty filterText = new SimpleStringProperty("");
    private final ObjectProperty<String> filterStatus = new SimpleObjectProperty<>(ALL);
    private final ObjectProperty<String> filterCa = new SimpleObjectProperty<>(ALL);
    private final ObjectProperty<String> filterHost = new SimpleObjectProperty<>(ALL);
    private final ObservableList<String> statusChoices = FXCollections.observableArrayList();
    private final ObservableList<String> caChoices = FXCollections.observableArrayList(ALL);
    private final ObservableList<String> hostChoices = FXCollections.observableArrayList(ALL);
    private final ObjectProperty<CertificateView> selected = new SimpleObjectProperty<>();
    private final BooleanProperty busy = new SimpleBooleanProperty();
    private final StringProperty message = new SimpleStringProperty("");
    /** The message reports a failure (shown red): an action that failed, or a scan that did not finish. */
    private final BooleanProperty messageFailed = new SimpleBooleanProperty();
    private final StringProperty details = new SimpleStringProperty("");
    private final ObjectProperty<Instant> lastScan = new SimpleObjectProperty<>();
    private final ObservableList<Integer> timeline = FXCollections.observableArrayList();
    private final ObservableMap<String, String> holds = FXCollections.observableHashMap();
    private final StringProperty changesBlocked = new SimpleStringProperty("");
    private final StringBinding actionBlocked = Bindings.createStringBinding(this::blockedReason,
            selected, changesBlocked, holds);
    private Renewer renewer;
    private Actions actions;
    private RunbookOpener opener;
    private String afterScan;
    private boolean rescanPending;
    private final StringProperty emptyText = new SimpleStringProperty("No scan yet. Press Scan now (F5) to read what every endpoint serves and what is on disk.");

    /** A certificate served somewhere that certops.yaml does not manage (the latest `estate discover`), as the Estate's own group lists it. */
    public record UnmanagedRow(String names, String status, long daysLeft, String issuer, String servedAt) {
        public static UnmanagedRow of(UnmanagedCertificate c, Thresholds t, Instant now) {
            return new UnmanagedRow(String.join(", ", c.names()), c.status(t, now).label(), c.daysLeft(now), c.issuer(), String.join(", ", c.servedAt()));
        }

        /** The rows of the session's latest discovery, judged by its thresholds now. */
        public static Callable<List<UnmanagedRow>> latest(CompositionRoot session) {
            return () -> {
                Thresholds t = session.config().thresholds();
                Instant now = session.clock().instant();
                return UnmanagedCertificate.latest(session.history()).stream().map(c -> of(c, t, now)).toList();
            };
        }
    }

    private final ObservableList<UnmanagedRow> unmanaged = FXCollections.observableArrayList();
    private Callable<List<UnmanagedRow>> unmanagedSource = List::of;

    /** Where the unmanaged group's rows come from; read with each scan, off the UI thread. */
    public void setUnmanagedSource(Callable<List<UnmanagedRow>> source) { this.unmanagedSource = source; }

    public ObservableList<UnmanagedRow> unmanaged() { return unmanaged; }

    private record Scanned(EstateSnapshot snapshot, List<UnmanagedRow> unmanaged) { }

    public EstateViewModel(BackgroundExecutor executor, Callable<EstateSnapshot> scanner) {
        this.executor = executor;
        this.scanner = scanner;
        statusChoices.add(ALL);
        for (Status s : Status.values()) statusChoices.add(s.label());
        filterText.addListener((o, a, b) -> applyFilter());
        filterStatus.addListener((o, a, b) -> applyFilter());
        filterCa.addListener((o, a, b) -> applyFilter());
        filterHost.addListener((o, a, b) -> applyFilter());
        for (int i = 0; i < 12; i++) timeline.add(0);
    }

    public ObservableList<CertificateView> rows() { return sorted; }
    public SortedList<CertificateView> sortedRows() { return sorted; }
    public int totalCount() { return rows.size(); }
    public StringProperty filterTextProperty() { return filterText; }
    public ObjectProperty<String> filterStatusProperty() { return filterStatus; }
    public ObjectProperty<String> filterCaProperty() { return filterCa; }
    public ObjectProperty<String> filterHostProperty() { return filterHost; }
    public ObservableList<String> statusChoices() { return statusChoices; }
    public ObservableList<String> caChoices() { return caChoices; }
    /** Per tile label (see {@link #TILES}), how many certificates of the last scan have it. */
    public ObservableMap<String, Integer> counts() { return counts; }
    /** Every CA's state from the last directory probe, certops.yaml's order. */
    public ObservableList<CaHealth.Entry> caHealth() { return caHealth; }
    public BooleanProperty probingCasProperty() { return probingCas; }
    /** Where the CA health comes from (core's directory probe); asked on start-up and with each scan, off the UI thread. */
    public void setCaProbe(Callable<List<CaHealth.Entry>> probe) { this.caProbe = probe; }

    private final ObservableList<String> caNames = FXCollections.observableArrayList();
    /** The CAs certops.yaml names, in order: the CA strip has a line for each from the start (no jump when the probe answers). */
    public ObservableList<String> caNames() { return caNames; }

    /** Asks every CA's directory once in the background; the CA strip updates when it answers. */
    public void probeCas() {
        if (caProbe == null || probingCas.get()) return;
        probingCas.set(true);
        executor.run("Asking the CAs", caProbe, list -> {
            probingCas.set(false);
            caHealth.setAll(list);
        }, t -> probingCas.set(false));
    }

    /** "scanned 12 s ago (at 03:12:05)", with "— stale, scan again (F5)" past {@link #STALE_SCAN}; "not scanned yet" before the first. */
    public String scannedText(Instant now) {
        Instant at = lastScan.get();
        if (at == null) return "not scanned yet";
        Duration age = Duration.between(at, now);
        return "scanned " + Words.relative(at, now) + " (at " + Words.clock(at) + ")"
                + (age.compareTo(STALE_SCAN) > 0 ? " — stale, scan again (F5)" : "");
    }
    public ObservableList<String> hostChoices() { return hostChoices; }
    public ObjectProperty<CertificateView> selectedProperty() { return selected; }
    public BooleanProperty busyProperty() { return busy; }
    public StringProperty messageProperty() { return message; }
    public BooleanProperty messageFailedProperty() { return messageFailed; }
    public StringProperty detailsProperty() { return details; }
    public ObjectProperty<Instant> lastScanProperty() { return lastScan; }
    public ObservableList<Integer> timeline() { return timeline; }
    public StringProperty emptyTextProperty() { return emptyText; }

    /** Renews one certificate now through core's renew service; returns a one-line outcome. */
    @FunctionalInterface
    public interface Renewer { String renew(String certificateId) throws Exception; }

    /** Certificates someone holds a lease on, with the indicator text ("held by alice@laptop — deploy, …, since 02:14"). */
    public ObservableMap<String, String> holds() { return holds; }
    /** Why nothing may change any certificate now (the history does not answer), or empty. */
    public StringProperty changesBlockedProperty() { return changesBlocked; }
    /** Why the selected certificate's actions are disabled (nothing selected, held, history away), or empty when they may run. */
    public StringBinding actionBlocked() { return actionBlocked; }
    public void setRenewer(Renewer renewer) { this.renewer = renewer; }

    /** Deploys, rolls back and revokes through core services (holding the certificate's lease); each returns a one-line outcome. */
    public interface Actions {
        String deploy(String certificateId) throws Exception;
        String rollback(String certificateId, String hostId) throws Exception;
        String revoke(String certificateId, String reason) throws Exception;
        /** What Deploy… will do (the version, its CA, each host's release folder by wave), from the plan that then runs. */
        String deployConfirmation(String certificateId) throws Exception;
        /** What Renew now will do: the certificate, its CAs in failover order, its hosts by wave. */
        String renewConfirmation(String certificateId) throws Exception;
        /** The runbook catalogue's names. */
        List<String> runbooks() throws Exception;
    }

    /** Opens the Runbooks screen on a runbook with its certificate parameter pre-filled; returns what the operator does next. */
    @FunctionalInterface
    public interface RunbookOpener { String open(String runbook, String certificateId); }

    @FunctionalInterface
    private interface Action { String run(String certificateId) throws Exception; }

    public static final List<String> REVOCATION_REASONS = IssuanceService.RevocationReason.cliNames();
    public static final String DEFAULT_RUNBOOK = "renewal-failing";

    public void setActions(Actions actions) { this.actions = actions; }
    public void setRunbookOpener(RunbookOpener opener) { this.opener = opener; }
    public boolean hasActions() { return actions != null; }
    public boolean canRenew() { return renewer != null; }

    private String blockedReason() {
        CertificateView c = selected.get();
        if (c == null) return "Select a certificate first.";
        if (!changesBlocked.get().isEmpty()) return changesBlocked.get();
        String held = holds.get(c.id());
        if (held != null) return c.id() + " is " + held + " — its actions wait until that lease is released.";
        return "";
    }

    /** Renews the selected certificate (forced, like ./certops renew --cert ID), then scans again. */
    public void renewSelected() {
        if (renewer != null) act("Renewing", renewer::renew);
    }

    /** Deploys the newest stored version of the selected certificate along its waves, then scans again. */
    public void deploySelected() {
        if (actions != null) act("Deploying", actions::deploy);
    }

    /** Puts the previous release of the selected certificate back live on {@code hostId}, then scans again. */
    public void rollBackSelected(String hostId) {
        if (actions != null) act("Rolling back", id -> actions.rollback(id, hostId));
    }

    /** Revokes the newest stored version of the selected certificate at its CA with {@code reason} (one of {@link #REVOCATION_REASONS}). */
    public void revokeSelected(String reason) {
        if (actions != null) act("Revoking", id -> actions.revoke(id, reason));
    }

    /** Every certificate of the last scan (unfiltered, worst first): listen to it for changes. */
    public ObservableList<CertificateView> allRows() { return rows; }

    /** Every certificate of the last scan, worst first, whatever the table's filters and sort. */
    public List<CertificateView> worstFirst() { return worstFirst; }

    /** Opens the Runbooks screen on {@code runbook} for {@code certificateId} (the incident banner's button); the message says what next. */
    public void openRunbook(String runbook, String certificateId) {
        if (opener != null) message.set(opener.open(runbook, certificateId));
    }

    /** Opens the Runbooks screen on {@code runbook} with its certificate parameter set to the selection (the run starts from there). */
    public void startRunbook(String runbook) {
        CertificateView c = selected.get();
        if (opener == null || c == null || runbook == null) return;
        message.set(opener.open(runbook, c.id()));
    }

    /** What Deploy… will do for the selection, for its confirmation; why it cannot be said when the plan cannot be made. */
    public String deployConfirmation() { return confirmation(Actions::deployConfirmation); }

    /** What Renew now will do for the selection, for its confirmation. */
    public String renewConfirmation() { return confirmation(Actions::renewConfirmation); }

    private interface Confirmation { String text(Actions a, String certificateId) throws Exception; }

    private String confirmation(Confirmation what) {
        CertificateView c = selected.get();
        if (c == null) return "";
        if (actions == null) return "The plan for " + c.id() + " cannot be shown here.";
        try {
            return ConsoleWords.of(what.text(actions, c.id()));
        } catch (Exception e) {
            return "The plan for " + c.id() + " could not be made: " + UserMessages.headline(e) + ". Continuing shows the reason again.";
        }
    }

    /** The runbook catalogue's names, for Start runbook…; empty when it cannot be read. */
    public List<String> runbookChoices() {
        if (actions == null) return List.of();
        try {
            return actions.runbooks();
        } catch (Exception e) {
            message.set("The runbooks could not be read: " + UserMessages.headline(e) + " — open the Runbooks screen to see why.");
            return List.of();
        }
    }

    /** Runs one action on the selected certificate off the UI thread; its outcome line is the message; scans again after. */
    private void act(String doing, Action work) {
        CertificateView c = selected.get();
        if (c == null || busy.get()) return;
        if (!actionBlocked.get().isEmpty()) {
            message.set(actionBlocked.get());
            return;
        }
        busy.set(true);
        details.set("");
        message.set(doing + " " + c.id() + "…");
        messageFailed.set(false);
        executor.run(doing + " " + c.id(), () -> ConsoleWords.of(work.run(c.id())), line -> {
            busy.set(false);
            message.set(line);
            messageFailed.set(line.contains("failed") || line.contains("FAILED"));
            afterScan = line;
            scan();
        }, t -> {
            busy.set(false);
            messageFailed.set(true);
            message.set(doing + " " + c.id() + " did not finish: " + UserMessages.headline(t));
            details.set(UserMessages.details(t));
        });
    }

    /** Scans in the background; the table updates when it is done. */
    public void scan() {
        if (busy.get()) {
            rescanPending = true; // a run ended or F5 was pressed during a scan: scan again once this one is shown
            return;
        }
        probeCas();
        busy.set(true);
        message.set("Scanning every endpoint and deployed copy…");
        details.set("");
        executor.run("Scanning the estate", () -> new Scanned(scanner.call(), unmanagedSource.call()), r -> {
            show(r.snapshot());
            unmanaged.setAll(r.unmanaged());
        }, t -> {
            busy.set(false);
            messageFailed.set(true);
            message.set(withOutcome("The scan did not finish: " + UserMessages.headline(t) + " — check certops.yaml (Settings) and press Scan now again."));
            details.set(UserMessages.details(t));
        });
    }

    /** Shows a snapshot (from a scan, or the last one when the console opens). */
    public void show(EstateSnapshot s) {
        busy.set(false);
        String keep = selected.get() == null ? null : selected.get().id();
        // sorted once per scan: the table's sorted view finds the rows already in its order (one pass), and the
        // incident banner, which reads the estate worst first on each change, gets this list (1,000 rows were sorted three times)
        worstFirst = s.certificates().stream().sorted(WORST_FIRST).toList();
        rows.setAll(worstFirst);
        String ca = filterCa.get();
        String host = filterHost.get();
        caChoices.setAll(ALL);
        caChoices.addAll(new TreeSet<>(s.certificates().stream().map(CertificateView::ca).toList()));
        hostChoices.setAll(ALL);
        hostChoices.addAll(new TreeSet<>(s.certificates().stream().flatMap(c -> c.hosts().stream()).toList()));
        // a rescan replaces the choices; the filters chosen stay (a ComboBox clears its value when its items change)
        filterCa.set(ca == null ? ALL : ca);
        filterHost.set(host == null ? ALL : host);
        lastScan.set(s.at());
        updateTimeline(s);
        Map<String, Integer> n = new HashMap<>();
        for (String tile : TILES) n.put(tile, 0);
        for (CertificateView c : s.certificates()) {
            n.merge(c.status().label(), 1, Integer::sum);
            if (c.diverged() && c.status() != Status.DIVERGED) n.merge("diverged", 1, Integer::sum);
        }
        counts.putAll(n);
        long attention = s.certificates().stream().filter(c -> c.status() != Status.OK || c.diverged()).count();
        if (afterScan == null) messageFailed.set(false);
        message.set(withOutcome(s.certificates().size() + " certificates scanned in " + s.took().toMillis() + " ms — "
                + (attention == 0 ? "all fine." : attention + " need attention (" + s.summary() + ").")));
        emptyText.set(s.certificates().isEmpty()
                ? "No certificates in this workspace yet. Add them to certops.yaml, e.g.\n  certificates:\n    - { id: api, names: [api.example.com], endpoints: [\"api.example.com:443\"] }"
                : "No certificate matches the filters. Clear them to see all " + s.certificates().size() + ".");
        if (keep != null) rows.stream().filter(c -> c.id().equals(keep)).findFirst().ifPresent(selected::set);
        StartupTiming.estateShown(s.certificates().size());
        if (rescanPending) {
            rescanPending = false;
            scan();
        }
    }

    /** The last action's outcome line stays in front of the scan that follows it. */
    private String withOutcome(String scanLine) {
        String outcome = afterScan;
        afterScan = null;
        return outcome == null ? scanLine : outcome + "  ·  Rescanned: " + scanLine;
    }

    private void updateTimeline(EstateSnapshot s) {
        int[] weeks = new int[12];
        for (CertificateView c : s.certificates()) {
            c.current().ifPresent(i -> {
                long w = Duration.between(s.at(), i.notAfter()).toDays() / 7;
                if (w >= 0 && w < 12) weeks[(int) w]++;
            });
        }
        for (int i = 0; i < 12; i++) timeline.set(i, weeks[i]);
    }

    private void applyFilter() {
        filtered.setPredicate(predicate());
    }

    Predicate<CertificateView> predicate() {
        String text = filterText.get() == null ? "" : filterText.get().strip().toLowerCase(Locale.ROOT);
        String status = filterStatus.get();
        String ca = filterCa.get();
        String host = filterHost.get();
        return c -> matchesText(c, text) && matchesStatus(c, status)
                && (ca == null || ca.equals(ALL) || Objects.equals(c.ca(), ca))
                && (host == null || host.equals(ALL) || c.hosts().contains(host));
    }

    private static boolean matchesText(CertificateView c, String text) {
        return text.isEmpty() || c.id().toLowerCase(Locale.ROOT).contains(text) || c.names().stream().anyMatch(n -> n.contains(text))
                || c.ca().toLowerCase(Locale.ROOT).contains(text);
    }

    private static boolean matchesStatus(CertificateView c, String status) {
        if (status == null || ALL.equals(status)) return true;
        if ("diverged".equals(status)) return c.diverged();
        return c.status().label().equals(status);
    }

    /** Shows one certificate: every filter cleared (so its row is in the table) and its row selected, now or after the next scan. */
    public void reveal(String certificateId) {
        clearFilters();
        rows.stream().filter(c -> c.id().equals(certificateId)).findFirst().ifPresent(selected::set);
    }

    /** Clears every filter. */
    public void clearFilters() {
        filterText.set("");
        filterStatus.set(ALL);
        filterCa.set(ALL);
        filterHost.set(ALL);
    }

    /** The row's reason in the console's words; an expiring certificate without another reason says how long it has. */
    public static String attention(CertificateView c) {
        String r = c.reason();
        if ((r == null || r.isBlank()) && c.status() != Status.OK) {
            r = c.daysLeft().map(d -> d < 0 ? "expired " + (-d) + " days ago" : "expires in " + Words.count(d, "day")).orElse(c.status().label());
        }
        return ConsoleWords.of(r);
    }

    /** The selection's detail as text blocks for the detail pane. */
    public static List<String> describe(CertificateView c) {
        List<String> out = new ArrayList<>();
        out.add("Names: " + String.join(", ", c.names()));
        c.current().ifPresent(i -> {
            out.add("Serial " + i.serial() + " · " + i.keyDescription() + " · issued by " + i.issuerCn() + (i.issuerOrg().isEmpty() ? "" : " (" + i.issuerOrg() + ")"));
            out.add("Valid " + Words.instant(i.notBefore()) + " → " + Words.instant(i.notAfter()) + " (" + c.daysLeft().map(d -> d + " days left").orElse("") + ")");
        });
        for (var e : c.endpoints()) {
            out.add("Endpoint " + e.endpoint() + ": " + e.status().label() + e.served().map(i -> ", serves serial " + i.serial()).orElse("")
                    + e.unreachable().map(u -> " — " + u).orElse(""));
        }
        for (var d : c.deployments()) {
            out.add("Host " + d.hostId() + " (" + d.certDir() + "): " + d.live().map(i -> "live serial " + i.serial() + d.release().map(r -> ", release " + r).orElse(""))
                    .orElse(d.error().orElse("nothing deployed")));
        }
        if (!c.problems().isEmpty()) {
            out.add("Needs attention:");
            c.problems().forEach(p -> out.add("  • " + ConsoleWords.of(String.valueOf(p))));
        }
        return out.stream().map(ConsoleWords::of).toList();
    }
}
