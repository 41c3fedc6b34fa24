package dev.certops.alert;

import dev.certops.words.Causes;
import dev.certops.config.AlertsConfig;
import dev.certops.crypto.SecretStore;
import dev.certops.history.HistoryException;
import dev.certops.history.HistoryStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured channels behind {@link Alerts}. Per channel and condition: new → trigger; severity
 * rose → trigger again; unchanged → again only after the channel's repeatAfter; open earlier, absent
 * now and inside the scope → resolve, once. State and every delivery and failure live in history,
 * so this holds across runs and consoles. Nothing thrown by a channel or by history leaves
 * {@link #report}: failures are recorded (when history answers), logged and returned.
 */
public final class AlertService implements Alerts {
    private static final Logger LOG = LoggerFactory.getLogger(AlertService.class);

    private final List<AlertChannel> channels;
    private final Map<String, Duration> repeatAfter;
    private final AlertLog log;
    private final Clock clock;
    private final String workspace;

    /** @param repeatAfter per channel id; channels not in it repeat after {@link AlertsConfig#DEFAULT_REPEAT_AFTER} */
    public AlertService(List<AlertChannel> channels, Map<String, Duration> repeatAfter, HistoryStore history, Clock clock, String workspace) {
        this.channels = List.copyOf(channels);
        this.repeatAfter = Map.copyOf(repeatAfter);
        this.log = new AlertLog(history);
        this.clock = clock;
        this.workspace = workspace;
    }

    /** The channels of an {@code alerts:} section, secrets resolved from the store. */
    public static AlertService configure(AlertsConfig config, SecretStore secrets, HistoryStore history, Clock clock,
                                         String workspace, RetryPolicy policy, RetryPolicy.Sleeper sleeper) {
        Map<String, Duration> repeat = new LinkedHashMap<>();
        config.channels().forEach(c -> repeat.put(c.id(), c.repeatAfter()));
        return new AlertService(AlertChannels.build(config, secrets, policy, sleeper), repeat, history, clock, workspace);
    }

    public List<AlertChannel> channels() { return channels; }

    @Override
    public synchronized AlertReport report(AlertScope scope, List<AlertCondition> active) {
        Instant now = clock.instant();
        Map<String, Map<String, OpenCondition>> open;
        boolean stateKnown = true;
        try {
            open = log.open();
        } catch (HistoryException | RuntimeException e) {
            LOG.warn("alert state cannot be read from history ({}); sending every active condition, resolving none", e.getMessage());
            open = Map.of();
            stateKnown = false;
        }
        List<AlertReport.Delivery> deliveries = new ArrayList<>();
        for (AlertChannel ch : channels) {
            Map<String, OpenCondition> openHere = open.getOrDefault(ch.id(), Map.of());
            Set<String> activeKeys = new HashSet<>();
            for (AlertCondition c : active) {
                activeKeys.add(c.key());
                Optional<String> reason = reason(ch, c, Optional.ofNullable(openHere.get(c.key())), now);
                if (reason.isPresent()) deliveries.add(deliver(ch, AlertMessage.trigger(c, now, workspace), reason.get()));
            }
            if (!stateKnown) continue;
            for (OpenCondition o : openHere.values()) {
                if (!activeKeys.contains(o.key()) && scope.covers(o.kind(), o.subject())) {
                    deliveries.add(deliver(ch, AlertMessage.resolve(o, now, workspace), "cleared"));
                }
            }
        }
        return new AlertReport(deliveries);
    }

    /** Why to send this condition to this channel now, or empty when it was sent and nothing changed. */
    private Optional<String> reason(AlertChannel ch, AlertCondition c, Optional<OpenCondition> open, Instant now) {
        if (open.isEmpty()) return Optional.of("new");
        if (c.severity().isAbove(open.get().severity())) return Optional.of("escalated");
        Duration repeat = repeatAfter.getOrDefault(ch.id(), AlertsConfig.DEFAULT_REPEAT_AFTER);
        if (!now.isBefore(open.get().lastSent().plus(repeat))) return Optional.of("repeat");
        return Optional.empty();
    }

    private AlertReport.Delivery deliver(AlertChannel ch, AlertMessage m, String reason) {
        try {
            int attempts = send(ch, m);
            record(() -> {
                if (m.isResolve()) log.resolved(ch, m, attempts);
                else log.triggered(ch, m, reason, attempts);
            });
            return new AlertReport.Delivery(ch.id(), m.key(), m.action(), true, "");
        } catch (DeliveryException e) {
            LOG.warn("alert {} of {} to channel {} failed after {} attempt(s): {}", m.action(), m.key(), ch.id(), e.attempts(), e.getMessage());
            record(() -> log.failed(ch, m, e));
            return new AlertReport.Delivery(ch.id(), m.key(), m.action(), false, e.getMessage() + " — " + e.hint());
        }
    }

    /** Sends through the channel; a bug inside a channel becomes a failed delivery (recorded), never an exception out of alerting. */
    private static int send(AlertChannel ch, AlertMessage m) throws DeliveryException {
        try {
            return ch.send(m);
        } catch (RuntimeException e) {
            LOG.error("alert channel {} failed unexpectedly", ch.id(), e);
            throw new DeliveryException("internal error in the " + ch.type() + " channel (" + Causes.of(e) + ")",
                    "see certops.log and report it", false);
        }
    }

    /** Sends a test message to every channel, or to the one named; each delivery or failure is recorded. */
    public List<TestResult> test(Optional<String> channel) {
        List<TestResult> out = new ArrayList<>();
        for (AlertChannel ch : channels) {
            if (channel.isPresent() && !channel.get().equals(ch.id())) continue;
            AlertMessage m = AlertMessage.test(ch.id(), clock.instant(), workspace);
            try {
                int attempts = send(ch, m);
                record(() -> log.tested(ch, attempts));
                out.add(new TestResult(ch.id(), ch.type(), true, attempts, "", ""));
            } catch (DeliveryException e) {
                record(() -> log.failed(ch, m, e));
                out.add(new TestResult(ch.id(), ch.type(), false, e.attempts(), e.getMessage(), e.hint()));
            }
        }
        return out;
    }

    /** The outcome of a test message to one channel. */
    public record TestResult(String channel, String type, boolean delivered, int attempts, String error, String hint) { }

    /** Per configured channel: its last delivery and failure, from history (broken when the newest attempt failed). */
    public List<ChannelHealth> health() throws HistoryException {
        Map<String, ChannelHealth> seen = log.health();
        List<ChannelHealth> out = new ArrayList<>();
        for (AlertChannel ch : channels) {
            out.add(seen.getOrDefault(ch.id(), new ChannelHealth(ch.id(), ch.type(), Optional.empty(), Optional.empty(), "", "")));
        }
        return out;
    }

    private interface Recording {
        void run() throws HistoryException;
    }

    private static void record(Recording r) {
        try {
            r.run();
        } catch (HistoryException | RuntimeException e) {
            LOG.warn("an alert delivery could not be recorded in history: {}", e.getMessage());
        }
    }
}
