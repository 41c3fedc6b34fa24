package dev.certops.alert;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One message to a channel: a trigger or resolve of a condition, or a test. What each channel
 * formats (JSON, Slack blocks, a PagerDuty event, a mail). Never carries a secret.
 *
 * @param key       the condition key ({@link AlertCondition#key()}), stable across runs: PagerDuty's dedup key stem
 * @param kind      the condition kind in lower case ("expiry", "renewal_failed"), or "test"
 * @param workspace which workspace speaks (its folder), so a team with several can tell them apart
 */
public record AlertMessage(AlertReport.Action action, String key, String kind, String subject, Severity severity,
                           String summary, Map<String, String> facts, String nextStep, Instant time, String workspace,
                           boolean test) {
    public AlertMessage {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(severity, "severity");
        facts = Collections.unmodifiableMap(new LinkedHashMap<>(facts));
    }

    public static AlertMessage trigger(AlertCondition c, Instant time, String workspace) {
        return new AlertMessage(AlertReport.Action.TRIGGER, c.key(), kindName(c.kind()), c.subject(), c.severity(),
                c.summary(), c.facts(), c.nextStep(), time, workspace, false);
    }

    /** The resolve of a condition open earlier: what it was, now cleared. */
    public static AlertMessage resolve(OpenCondition open, Instant time, String workspace) {
        return new AlertMessage(AlertReport.Action.RESOLVE, open.key(), kindName(open.kind()), open.subject(), open.severity(),
                "Resolved: " + open.summary(), Map.of(), "", time, workspace, false);
    }

    /** A test message naming the channel it goes to. */
    public static AlertMessage test(String channel, Instant time, String workspace) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("channel", channel);
        facts.put("workspace", workspace);
        return new AlertMessage(AlertReport.Action.TRIGGER, "test:" + channel, "test", "certops", Severity.WARNING,
                "certops test alert for channel '" + channel + "': if you read this, alerts reach you", facts,
                "nothing to do — this was ./certops alerts test " + channel, time, workspace, true);
    }

    public boolean isResolve() { return action == AlertReport.Action.RESOLVE; }

    /** One line for titles and mail subjects: "[CRITICAL] expiry api: the summary". */
    public String title() {
        String head = test ? "[TEST]" : isResolve() ? "[RESOLVED]" : "[" + severity + "]";
        return head + " " + kind + " " + subject + ": " + summary;
    }

    static String kindName(ConditionKind k) { return k.name().toLowerCase(Locale.ROOT); }
}
