package dev.certops.app.budget;

import dev.certops.app.common.BackgroundExecutor;
import dev.certops.app.common.UserMessages;
import dev.certops.ratelimit.BucketUsage;
import java.util.List;
import java.util.concurrent.Callable;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** The budget screen's state: every bucket that is not full, per CA account, registered domain and name set. */
public final class BudgetViewModel {
    private final BackgroundExecutor executor;
    private final Callable<List<BucketUsage>> source;
    private final ObservableList<BucketUsage> buckets = FXCollections.observableArrayList();
    private final StringProperty message = new SimpleStringProperty("");
    private final double safetyLine;

    public BudgetViewModel(BackgroundExecutor executor, Callable<List<BucketUsage>> source, double safetyLine) {
        this.executor = executor;
        this.source = source;
        this.safetyLine = safetyLine;
    }

    public ObservableList<BucketUsage> buckets() { return buckets; }
    public StringProperty messageProperty() { return message; }
    public double safetyLine() { return safetyLine; }

    public void refresh() {
        executor.run("Computing the rate-limit budget", source, list -> {
            buckets.setAll(list);
            long over = list.stream().filter(b -> b.usage().fraction() >= safetyLine).count();
            message.set(list.isEmpty() ? "Every bucket is full: nothing has been spent in the CAs' windows."
                    : list.size() + " buckets in use; " + over + " at or above the " + Math.round(safetyLine * 100) + "% safety line.");
        }, t -> message.set("The budget could not be computed: " + UserMessages.headline(t)));
    }
}
