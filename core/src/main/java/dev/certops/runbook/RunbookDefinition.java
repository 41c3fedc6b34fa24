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
 */
public record RunbookDefinition(String name, String title, String summary, List<ParamSpec> params,
                                List<StepSpec> steps, String source, String text, boolean drillOnly) {

    public Optional<StepSpec> step(String id) { return steps.stream().filter(s -> s.id().equals(id)).findFirst(); }

    public boolean builtin() { return source.startsWith("builtin:"); }
}
