package dev.certops.runbook;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an action sees when it runs: the run's id, drill flag and parameters, the current
 * {@code forEach} item, its arguments with {@code ${...}} references resolved, the outputs of
 * earlier steps, and a way to report progress.
 */
public final class StepContext {
    /**
     * The output under which a step says why it left some of its outputs without a value (key → why, with what
     * to do): a later step referring to one fails with that, not with "check the runbook's parameters".
     */
    public static final String MISSING = "missing";

    private static final Pattern REF = Pattern.compile("\\$\\{([a-z]+)(?:\\.([a-zA-Z0-9-]+))?(?:\\.([a-zA-Z0-9.-]+))?}");

    private final String runId;
    private final String runbook;
    private final boolean drill;
    private final DrillPolicy drillPolicy;
    private final Map<String, String> params;
    private final Optional<String> item;
    private final Map<String, String> with;
    private final Map<String, Map<String, Object>> outputs;
    private final Map<String, List<String>> sets;
    private final Progress progress;
    private final Optional<Instant> interruptedSince;

    /** Progress callback into the engine's listener. */
    public interface Progress {
        void report(double fraction, String message);
        void log(String line);
    }

    StepContext(String runId, String runbook, boolean drill, DrillPolicy drillPolicy, Map<String, String> params, Optional<String> item, Map<String, String> with,
                Map<String, Map<String, Object>> outputs, Map<String, List<String>> sets, Progress progress,
                Optional<Instant> interruptedSince) {
        this.interruptedSince = interruptedSince;
        this.runId = runId;
        this.runbook = runbook;
        this.drill = drill;
        this.drillPolicy = drillPolicy;
        this.params = params;
        this.item = item;
        this.with = with;
        this.outputs = outputs;
        this.sets = sets;
        this.progress = progress;
    }

    public String runId() { return runId; }
    /** The runbook's name. */
    public String runbook() { return runbook; }
    /** Why this run holds what it holds, in words other consoles are shown: "runbook primary-ca-outage, run 42". */
    public String holder() { return "runbook " + runbook + ", run " + runId + (drill ? " (drill)" : ""); }
    /** A drill: issue only from staging directories, deploy only to hosts tagged drill: true. */
    public boolean drill() { return drill; }
    /** The one gate every action that issues or deploys passes through: in a drill, staging and drill hosts only. */
    public DrillPolicy drillPolicy() { return drillPolicy; }
    public Map<String, String> params() { return params; }
    public Optional<String> item() { return item; }
    /**
     * When this step instance started running before the engine was interrupted: present only while
     * an action's {@link RunbookAction#recheck} decides whether the interrupted step already did its work.
     */
    public Optional<Instant> interruptedSince() { return interruptedSince; }

    /** An argument with references resolved, or empty. */
    public Optional<String> arg(String name) throws RunbookException {
        String raw = with.get(name);
        return raw == null ? Optional.empty() : Optional.of(resolve(raw));
    }

    /** An argument that must be there. */
    public String requireArg(String name) throws RunbookException {
        return arg(name).filter(s -> !s.isBlank())
                .orElseThrow(() -> new RunbookException("the step needs 'with: { " + name + ": ... }'"));
    }

    /** A comma-separated argument as a list. */
    public List<String> listArg(String name) throws RunbookException {
        List<String> out = new ArrayList<>();
        for (String s : arg(name).orElse("").split(",")) if (!s.isBlank()) out.add(s.trim());
        return out;
    }

    /** A named set published by an earlier step (e.g. affected-certificates). */
    public List<String> set(String name) { return sets.getOrDefault(name, List.of()); }

    /** An earlier step's output. */
    public Optional<Object> output(String stepId, String key) {
        return Optional.ofNullable(outputs.getOrDefault(stepId, Map.of()).get(key));
    }

    public void progress(double fraction, String message) { progress.report(fraction, message); }
    public void log(String line) { progress.log(line); }

    /** Resolves ${param.X}, ${item} (and ${item.certificate}, ${item.ca}), ${steps.ID.KEY}, ${set.NAME}, ${run.id}, ${run.drill}. */
    String resolve(String raw) throws RunbookException {
        Matcher m = REF.matcher(raw);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String value = switch (m.group(1)) {
                case "param" -> params.get(m.group(2));
                case "item" -> itemPart(m.group(2));
                case "steps" -> output(m.group(2), m.group(3)).map(StepContext::text).orElse(null);
                case "set" -> String.join(",", set(m.group(2)));
                case "run" -> "drill".equals(m.group(2)) ? String.valueOf(drill) : runId;
                default -> null;
            };
            if (value == null && "steps".equals(m.group(1)) && m.group(3) != null
                    && output(m.group(2), MISSING).orElse(null) instanceof Map<?, ?> why && why.get(m.group(3)) != null) {
                throw new RunbookException("'" + m.group() + "' has no value: step '" + m.group(2) + "' says " + why.get(m.group(3)));
            }
            if (value == null) throw new RunbookException("'" + m.group() + "' has no value yet: check the runbook's parameters and step ids");
            m.appendReplacement(b, Matcher.quoteReplacement(value));
        }
        m.appendTail(b);
        for (int i = raw.indexOf("${"); i >= 0; i = raw.indexOf("${", i + 2)) {
            if (!REF.matcher(raw).region(i, raw.length()).lookingAt()) {
                throw new RunbookException("'" + raw.substring(i, Math.min(raw.length(), i + 40)) + "' is not a reference — use ${param.NAME}, "
                        + "${item}, ${steps.ID.KEY}, ${set.NAME}, ${run.id} or ${run.drill}");
            }
        }
        return b.toString();
    }

    /**
     * {@code ${item}}, or a part of a CA-path item {@code CERT@CA}: {@code ${item.certificate}} and
     * {@code ${item.ca}} (a plain item is its own certificate).
     */
    private String itemPart(String part) throws RunbookException {
        String it = item.orElseThrow(() -> new RunbookException("${item} is used outside a forEach step"));
        if (part == null) return it;
        int at = it.indexOf('@');
        return switch (part) {
            case "certificate" -> at < 0 ? it : it.substring(0, at);
            case "ca" -> {
                if (at < 0) throw new RunbookException("${item.ca} needs a CA-path item (CERTIFICATE@CA, from list-ca-paths); this item is '" + it + "'");
                yield it.substring(at + 1);
            }
            default -> throw new RunbookException("'${item." + part + "}' is not a part of an item — use ${item}, ${item.certificate} or ${item.ca}");
        };
    }

    private static String text(Object o) {
        if (o instanceof List<?> l) return String.join(",", l.stream().map(String::valueOf).toList());
        return String.valueOf(o);
    }
}
