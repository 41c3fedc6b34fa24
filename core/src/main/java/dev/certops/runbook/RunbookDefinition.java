package dev.certops.runbook;

import java.util.List;
import java.util.Optional;

/**
 * A runbook: a named, ordered list of steps. Built-ins ship in the jar in the same YAML format as
 * team runbooks in {@code workspace/runbooks/}.
 *
 * @param source where it came from ("builtin:primary-ca-outage" or a file path)
 * @param text   the YAML as loaded; kept with a run so a resumed run follows the same steps
 * @param drillOnly {@code drillOnly: true}: the runbook may only run as a drill (staging CAs, drill hosts)
 * @param groups    the step groups, each named by its steps' {@link StepSpec#group()}
 */
public record RunbookDefinition(String name, String title, String summary, List<ParamSpec> params,
                                List<StepSpec> steps, List<StepGroup> groups, String source, String text, boolean drillOnly) {

    public RunbookDefinition {
        params = List.copyOf(params);
        steps = List.copyOf(steps);
        groups = List.copyOf(groups);
    }

    /** The group a step belongs to, if any. */
    public Optional<StepGroup> groupOf(StepSpec step) {
        return step.group().flatMap(g -> groups.stream().filter(x -> x.id().equals(g)).findFirst());
    }

    public Optional<StepSpec> step(String id) { return steps.stream().filter(s -> s.id().equals(id)).findFirst(); }

    /** The steps of a group, in order (empty when no step belongs to it). */
    public List<StepSpec> group(String group) {
        return steps.stream().filter(s -> s.group().filter(group::equals).isPresent()).toList();
    }

    public boolean builtin() { return source.startsWith("builtin:"); }
}
