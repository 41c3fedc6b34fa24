package dev.certops.app.shell;

import dev.certops.acme.CaHealth;
import dev.certops.app.budget.BudgetView;
import dev.certops.app.budget.BudgetViewModel;
import dev.certops.app.common.BackgroundExecutor;
import dev.certops.app.common.UserMessages;
import dev.certops.app.deploy.DeployCommands;
import dev.certops.app.deploy.DeploymentsView;
import dev.certops.app.deploy.DeploymentsViewModel;
import dev.certops.app.estate.EstateCommands;
import dev.certops.app.estate.EstateView;
import dev.certops.app.estate.EstateViewModel;
import dev.certops.app.history.HistoryView;
import dev.certops.app.history.HistoryViewModel;
import dev.certops.app.runbook.RunViewModel;
import dev.certops.app.runbook.RunbookCatalogView;
import dev.certops.app.runbook.RunbooksViewModel;
import dev.certops.app.settings.SettingsView;
import dev.certops.app.settings.SettingsViewModel;
import dev.certops.app.team.ApprovalsView;
import dev.certops.app.team.ApprovalsViewModel;
import dev.certops.app.team.TeamViewModel;
import dev.certops.config.CaConfig;
import dev.certops.config.ConfigException;
import dev.certops.deploy.DeployListener;
import dev.certops.estate.CertificateView;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryEvent;
import dev.certops.ratelimit.BucketUsage;
import dev.certops.ratelimit.BudgetService;
import dev.certops.report.ReportFormats;
import dev.certops.report.RunReport;
import dev.certops.report.RunReports;
import dev.certops.root.CompositionRoot;
import dev.certops.runbook.ParamSpec;
import dev.certops.runbook.RunState;
import dev.certops.runbook.RunbookDefinition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringExpression;
import javafx.beans.property.SimpleStringProperty;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;

/** Builds each screen of the shell over the session's services (the shell keeps what it built). */
final class Screens {
    private final ShellViewModel vm;
    private final BackgroundExecutor executor;
    private final Supplier<Path> exportChooser;
    private EstateViewModel estate;
    private EstateView estateView;
    private RunbooksViewModel runbooks;
    /** Why the runbooks could not be opened (shown on the Runbooks screen), or null. */
    private Throwable runbooksProblem;
    private Consumer<Path> openInEditor = p -> { };
    private Runnable openWorkspace;
    private TeamViewModel team;
    private final Consumer<String> navigate;
    private BudgetViewModel budget;
    private HistoryViewModel history;
    private CaHealth caHealth;

    Screens(ShellViewModel vm, BackgroundExecutor executor, Supplier<Path> exportChooser, Consumer<String> navigate) {
        this.vm = vm;
        this.navigate = navigate;
        this.executor = executor;
        this.exportChooser = exportChooser;
    }

    EstateViewModel estate() { return estate; }

    EstateView estateView() { return estateView; }

    void setDesktop(Consumer<Path> openInEditor, Runnable openWorkspace) {
        this.openInEditor = openInEditor;
        this.openWorkspace = openWorkspace;
    }

    /** The team's live state: lease indicators, stale history, events for the history screen. */
    void setTeam(TeamViewModel team) { this.team = team; }

    /** Why nothing may change the world now ("" when changes may run), live. */
    private StringExpression changesBlocked() {
        if (team == null) return new SimpleStringProperty("");
        return Bindings.when(team.staleProperty())
                .then("The history does not answer: changes are disabled until it is back.").otherwise("");
    }

    /** Per screen, how to stop its live events (a rebuilt screen replaces its listener). */
    private final Map<String, Runnable> following = new HashMap<>();

    /** Feeds a screen the team's live events; the screen's previous listener, if it was built before, is removed. */
    private void follow(String screen, Consumer<HistoryEvent> listener) {
        Runnable previous = following.remove(screen);
        if (previous != null) previous.run();
        if (team != null) following.put(screen, team.onEvent(listener));
    }

    /** Forgets the kept models (after the configuration was reloaded). */
    void reset() {
        runbooks = null;
    }

    Node build(String screen) {
        var session = vm.session();
        switch (screen) {
            case "Estate" -> {
                estate = new EstateViewModel(executor, vm.estateScans());
                estate.setUnmanagedSource(EstateViewModel.UnmanagedRow.latest(session));
                if (caHealth == null) caHealth = new CaHealth(session.workspace(), session.clock());
                var probe = caHealth;
                estate.setCaProbe(() -> probe.probe(session.config().cas()));
                try {
                    estate.caNames().setAll(session.config().cas().stream().map(CaConfig::id).toList());
                } catch (ConfigException e) {
                    // the shell shows the configuration problem instead of this screen
                }
                var commands = new EstateCommands(session);
                estate.setActions(commands);
                estate.setRenewer(commands::renew);
                estate.setRunbookOpener((runbook, cert) -> {
                    var r = runbooks();
                    navigate.accept("Runbooks");
                    if (r.isEmpty()) return "The runbooks could not be opened — the Runbooks screen says why.";
                    if (r.get().activeRunProperty().get() != null) return "A run is on the Runbooks screen: close it (its history stays), then start " + runbook + " for " + cert + ".";
                    r.get().selectFor(runbook, Map.of("certificate", cert));
                    return "Runbook " + runbook + " is ready for " + cert + " on the Runbooks screen: check its parameters, then press Start run.";
                });
                if (team != null) Bindings.bindContent(estate.holds(), team.holds());
                estate.changesBlockedProperty().bind(changesBlocked());
                estateView = new EstateView(estate);
                estate.scan();
                return estateView.root();
            }
            case "Budget" -> {
                BudgetViewModel b = budget = new BudgetViewModel(executor, () -> {
                    List<BucketUsage> all = new ArrayList<>();
                    var budget = session.budget();
                    for (var ca : session.config().cas()) all.addAll(budget.now(ca.id(), false).buckets());
                    return all;
                }, BudgetService.DEFAULT_SAFETY_LINE);
                b.refresh();
                return new BudgetView(b).root();
            }
            case "History" -> {
                try {
                    HistoryViewModel h = history = new HistoryViewModel(session.history(), executor);
                    h.refresh();
                    follow("History", h::prepend);
                    return new HistoryView(h, exportChooser).root();
                } catch (Exception e) {
                    return message("History could not be opened: " + e.getMessage(), "Check that " + vm.workspace().historyFile() + " is readable.");
                }
            }
            case "Runbooks" -> {
                return runbooks().<Node>map(r -> new RunbookCatalogView(r).root()).orElseGet(() ->
                        message("The runbooks could not be opened: " + UserMessages.headline(runbooksProblem),
                                "Runs are recorded in the history (" + vm.workspace().historyFile() + ", or the team database named under history: in certops.yaml): "
                                        + "make it reachable, then reopen this screen.\n\n" + UserMessages.details(runbooksProblem)));
            }
            case "Deployments" -> {
                return deployments();
            }
            case "Approvals" -> {
                var a = new ApprovalsViewModel(session, executor);
                follow("Approvals", a::onEvent); // every console's requests and decisions, live
                a.refresh();
                return new ApprovalsView(a).root();
            }
            default -> {
                var settings = new SettingsViewModel(session, executor, host -> session.connectors().hostKeys(host));
                var view = new SettingsView(settings, openInEditor, vm.workspace().configFile(), openWorkspace);
                if (estate != null) view.showCaHealth(estate.caHealth());
                return view.root();
            }
        }
    }

    /** A screen built before is shown again: what it shows may have changed meanwhile (a run spent budget, a renew wrote history). */
    void shown(String screen) {
        if (screen.equals("Budget") && budget != null) budget.refresh();
        if (screen.equals("History") && history != null) history.refresh();
    }

    /** Opens History filtered to {@code filter} (the banner's "Show renewals in History"). */
    void showHistory(String filter) {
        navigate.accept("History");
        if (history != null) history.filterProperty().set(filter);
    }

    /** After a run ends (succeeded, failed, aborted): the Estate rescans what it touched, Budget and History read again. */
    private void afterRun(RunViewModel run) {
        run.statusProperty().addListener((o, a, s) -> {
            if (s == null || s == RunState.Status.RUNNING || s == RunState.Status.WAITING_APPROVAL) return;
            Platform.runLater(() -> { // after the run screen has shown its final state
                if (estate != null) estate.scan();
                if (budget != null) budget.refresh();
                if (history != null) history.refresh();
            });
        });
    }

    /** Deployments: live deploy events from the team's feed, and the last week's from history. */
    private Node deployments() {
        var session = vm.session();
        var commands = new DeployCommands(session);
        var d = new DeploymentsViewModel(executor, Platform::runLater, cert -> waves(cert), commands::rollback);
        if (team != null) d.changesBlockedProperty().bind(team.staleProperty());
        follow("Deployments", d::onEvent); // live first, then the replay: nothing falls between; an older replayed state never overwrites a newer one
        executor.run("Reading recent deployments", () -> session.history().query(EventQuery.all().kind("deploy.")
                .since(session.clock().instant().minus(Duration.ofDays(7)))), recent -> recent.forEach(d::onEvent), t -> d.messageProperty().set("History could not be read: " + UserMessages.headline(t)
                + " — deployments started here still show live."));
        return new DeploymentsView(d).root();
    }

    private Map<String, Integer> waves(String certificateId) {
        Map<String, Integer> out = new HashMap<>();
        try {
            vm.session().config().certificate(certificateId).ifPresent(c -> {
                for (int i = 0; i < c.waves().size(); i++) for (String h : c.waves().get(i)) out.put(h, i + 1);
            });
        } catch (Exception e) {
            return out;
        }
        return out;
    }

    /** The runbooks screen's model (kept, so a run in progress survives switching screens). */
    private Optional<RunbooksViewModel> runbooks() {
        if (runbooks != null) return Optional.of(runbooks);
        try {
            var session = vm.session();
            var sr = session.runbooks();
            var deploy = new DeployCommands(session);
            runbooks = new RunbooksViewModel(sr.catalog(), sr.engine(), executor, type -> choices(type), () -> {
                RunViewModel run = new RunViewModel(sr.engine(), executor, Platform::runLater,
                        (cert, host) -> deploy.rollback(cert, host, DeployListener.NONE));
                run.setEndScreen(endScreen(session));
                return run;
            });
            if (team != null) runbooks.changesBlockedProperty().bind(team.staleProperty());
            if (estate != null) {
                // the certificate picker lists each certificate with its status from the Estate's last scan
                var known = runbooks.certificatesProperty();
                Runnable copy = () -> {
                    Map<String, CertificateView> byId = new HashMap<>();
                    estate.allRows().forEach(c -> byId.put(c.id(), c));
                    known.set(Map.copyOf(byId));
                };
                copy.run();
                estate.allRows().addListener((ListChangeListener<CertificateView>) ch -> copy.run());
            }
            runbooks.activeRunProperty().addListener((o, a, run) -> { if (run != null) afterRun(run); });
            runbooks.refresh();
            runbooksProblem = null;
            return Optional.of(runbooks);
        } catch (Exception e) {
            runbooksProblem = e;
            return Optional.empty();
        }
    }

    /** A finished run's end screen: its report from history, written under the workspace's reports/RUN, the Estate row, the browser. */
    private RunViewModel.EndScreen endScreen(CompositionRoot session) {
        return new RunViewModel.EndScreen() {
            @Override
            public RunReport report(RunbookDefinition def, RunState state) throws Exception {
                return RunReports.fromHistory(session.history(), state.runId(), RunReports.planned(def, state));
            }

            @Override
            public Path write(RunReport report) throws Exception {
                Path dir = session.workspace().root().resolve("reports").resolve(report.runId());
                ReportFormats.writeAll(report, dir);
                return dir.resolve(ReportFormats.HTML_FILE);
            }

            @Override
            public void showInEstate(String certificateId) {
                navigate.accept("Estate");
                if (estate != null) estate.reveal(certificateId);
            }

            @Override
            public void open(Path file) { openInEditor.accept(file); }
        };
    }

    private List<String> choices(ParamSpec.Type type) {
        try {
            var cfg = vm.session().config();
            return switch (type) {
                case CERTIFICATE, CERTIFICATES -> cfg.certificates().stream().map(c -> c.id()).toList();
                case CA -> cfg.cas().stream().map(c -> c.id()).toList();
                default -> List.of();
            };
        } catch (Exception e) {
            return List.of();
        }
    }

    private static Node message(String title, String text) {
        Label t = new Label(title);
        t.getStyleClass().add("empty-title");
        Label l = new Label(text);
        l.setWrapText(true);
        VBox box = new VBox(12, t, l);
        box.setPadding(new Insets(40));
        box.setMaxWidth(760);
        return box;
    }

}
