package dev.certops.app.runbook;

import dev.certops.words.Words;
import dev.certops.app.common.BackgroundExecutor;
import dev.certops.app.common.UserMessages;
import dev.certops.app.estate.EstateViewModel;
import dev.certops.estate.CertificateView;
import dev.certops.estate.Status;
import dev.certops.runbook.ParamSpec;
import dev.certops.runbook.RunbookCatalog;
import dev.certops.runbook.RunbookDefinition;
import dev.certops.runbook.RunbookEngine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The runbooks screen before a run: the catalogue, the selected runbook's parameter form (typed,
 * with choices from the workspace), the drill toggle, and the unfinished runs offered for resume.
 */
public final class RunbooksViewModel {
    /** One parameter in the start form: its declaration, the value being typed, and the choices (ids) when the type has them. */
    public record ParamField(ParamSpec spec, StringProperty value, List<String> choices) {
        public String label() { return spec.name() + (spec.required() ? " *" : ""); }
    }

    private final RunbookCatalog catalog;
    private final RunbookEngine engine;
    private final BackgroundExecutor executor;
    private final Function<ParamSpec.Type, List<String>> choices;
    private final Supplier<RunViewModel> runs;
    private final ObservableList<RunbookCatalog.Entry> entries = FXCollections.observableArrayList();
    private final ObservableList<String> unfinished = FXCollections.observableArrayList();
    private final ObservableList<ParamField> fields = FXCollections.observableArrayList();
    private final ObjectProperty<RunbookDefinition> selected = new SimpleObjectProperty<>();
    private final BooleanProperty drill = new SimpleBooleanProperty();
    private final StringProperty message = new SimpleStringProperty("");
    private final BooleanProperty changesBlocked = new SimpleBooleanProperty();

    /** True while the history does not answer: no run may start or resume (the shell binds it to the team's stale flag). */
    public BooleanProperty changesBlockedProperty() { return changesBlocked; }
    private final ObjectProperty<RunViewModel> activeRun = new SimpleObjectProperty<>();

    public RunbooksViewModel(RunbookCatalog catalog, RunbookEngine engine, BackgroundExecutor executor,
                             Function<ParamSpec.Type, List<String>> choices, Supplier<RunViewModel> runs) {
        this.catalog = catalog;
        this.engine = engine;
        this.executor = executor;
        this.choices = choices;
        this.runs = runs;
    }

    private final ObjectProperty<Map<String, CertificateView>> certificates = new SimpleObjectProperty<>(Map.of());

    /** The last scan's certificates by id (the shell keeps it in step with the Estate): the picker shows each one's status. */
    public ObjectProperty<Map<String, CertificateView>> certificatesProperty() { return certificates; }

    /** A certificate as the picker lists it: "api — critical: expires in 5 days", "healthy — ok, 80 days left", the id alone before a scan. */
    public String describeCertificate(String id) {
        CertificateView c = id == null ? null : certificates.get().get(id);
        if (c == null) return id == null ? "" : id;
        String days = c.daysLeft().map(d -> Words.count(d, "day") + " left").orElse("");
        if (c.status() == Status.OK && !c.diverged()) return id + " — ok" + (days.isEmpty() ? "" : ", " + days);
        return id + " — " + c.status().label() + ": " + EstateViewModel.attention(c);
    }

    /** The style class of a certificate's status in the picker (certops.css colours it), empty before a scan. */
    public String certificateStyle(String id) {
        CertificateView c = id == null ? null : certificates.get().get(id);
        return c == null ? "" : "status-" + c.status().label();
    }

    public ObservableList<RunbookCatalog.Entry> entries() { return entries; }
    public ObservableList<String> unfinished() { return unfinished; }
    public ObservableList<ParamField> fields() { return fields; }

    /** Why Start is disabled: the first required field still empty ("Choose certificate first."), or "" when the form may start. */
    public String missing() {
        for (ParamField f : fields) {
            String v = f.value().get();
            if (f.spec().required() && f.spec().defaultValue().isEmpty() && (v == null || v.isBlank())) return "Choose " + f.spec().name() + " first.";
            if (f.spec().type() == ParamSpec.Type.CERTIFICATE && v != null && !v.isBlank() && !f.choices().isEmpty() && !f.choices().contains(v.strip())) {
                return "'" + v.strip() + "' is not a certificate in certops.yaml: choose one from the list.";
            }
        }
        return "";
    }
    public ObjectProperty<RunbookDefinition> selectedProperty() { return selected; }
    public BooleanProperty drillProperty() { return drill; }
    public StringProperty messageProperty() { return message; }
    /** The run on screen (null: the catalogue is shown). */
    public ObjectProperty<RunViewModel> activeRunProperty() { return activeRun; }

    /** Reads the catalogue and the unfinished runs. */
    public void refresh() {
        executor.run("Reading the runbooks", () -> new Object[] {catalog.list(), engine.unfinishedRuns()}, r -> {
            @SuppressWarnings("unchecked") List<RunbookCatalog.Entry> list = (List<RunbookCatalog.Entry>) r[0];
            @SuppressWarnings("unchecked") List<String> open = (List<String>) r[1];
            entries.setAll(list);
            unfinished.setAll(open);
            if (selected.get() != null && open.isEmpty()) return; // a runbook chosen meanwhile keeps its summary
            message.set(open.isEmpty() ? "Pick a runbook to see what it does and start it."
                    : Words.count(open.size(), "unfinished run") + " from before: resume to continue exactly where it stopped.");
        }, t -> message.set("The runbooks could not be read: " + UserMessages.headline(t) + " — fix the file named, then reopen this screen."));
    }

    /** Selects a runbook and builds its parameter form. */
    public void select(String name) {
        try {
            RunbookDefinition def = catalog.find(name);
            List<ParamField> f = new ArrayList<>();
            for (ParamSpec p : def.params()) {
                List<String> c = new ArrayList<>(p.type() == ParamSpec.Type.BOOLEAN ? List.of("true", "false") : choices.apply(p.type()));
                p.defaultValue().filter(d -> !c.contains(d)).ifPresent(d -> c.add(0, d));
                f.add(new ParamField(p, new SimpleStringProperty(p.defaultValue().orElse(c.size() == 1 ? c.get(0) : "")), List.copyOf(c)));
            }
            fields.setAll(f);
            drill.set(def.drillOnly());
            selected.set(def);
            message.set(def.summary().isBlank() ? def.title() : def.summary().strip());
        } catch (Exception e) {
            selected.set(null);
            fields.clear();
            message.set("Runbook '" + name + "' cannot be opened: " + UserMessages.headline(e));
        }
    }

    /** Selects a runbook and pre-fills its form with {@code values} (by parameter name; names it does not declare are ignored). */
    public void selectFor(String name, Map<String, String> values) {
        select(name);
        for (ParamField f : fields) {
            String v = values.get(f.spec().name());
            if (v != null) f.value().set(v);
        }
    }

    /** The values typed in the form (blank ones left for the engine to default or refuse). */
    public Map<String, String> params() {
        Map<String, String> m = new LinkedHashMap<>();
        for (ParamField f : fields) {
            String v = f.value().get();
            if (v != null && !v.isBlank()) m.put(f.spec().name(), v.strip());
        }
        return m;
    }

    /** Starts the selected runbook: the guided run takes over the screen. */
    public RunViewModel start() {
        RunbookDefinition def = selected.get();
        if (def == null) {
            message.set("Pick a runbook first.");
            return null;
        }
        if (!missing().isEmpty()) {
            message.set(missing());
            return null;
        }
        RunViewModel r = runs.get();
        activeRun.set(r);
        r.start(def, params(), drill.get());
        return r;
    }

    /** Resumes an unfinished run. */
    public RunViewModel resume(String runId) {
        if (!missing().isEmpty()) {
            message.set(missing());
            return null;
        }
        RunViewModel r = runs.get();
        activeRun.set(r);
        r.resume(runId);
        unfinished.remove(runId);
        return r;
    }

    /** Back to the catalogue (the run stays in history; unfinished ones are offered again). */
    public void close() {
        activeRun.set(null);
        refresh();
    }
}
