package dev.certops.runbook;

import dev.certops.config.ConfigException;
import dev.certops.config.SafeNames;
import dev.certops.config.YamlNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads a runbook YAML file and validates it against the engine's actions. A malformed file is
 * rejected with file, line and reason; an unknown action is named with the known ones.
 */
public final class RunbookLoader {
    private static final Set<String> TOP = Set.of("name", "title", "summary", "drillOnly", "params", "steps");
    private static final Set<String> STEP = Set.of("id", "title", "guide", "action", "with", "check", "gate", "forEach", "concurrency");
    private static final Set<String> GROUP = Set.of("id", "title", "guide", "forEach", "steps");
    private static final Set<String> PARAM = Set.of("name", "type", "required", "default", "description");

    /** The most items of one forEach step a runbook may ask to run at once. */
    public static final int MAX_CONCURRENCY = 64;

    private final Set<String> knownActions;

    public RunbookLoader(Set<String> knownActions) {
        this.knownActions = Set.copyOf(knownActions);
    }

    public RunbookDefinition load(Path file) throws ConfigException {
        try {
            return parse(file, file.toString(), Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConfigException(file, 0, "", "cannot be read: " + e.getMessage());
        }
    }

    public RunbookDefinition parse(Path file, String source, String text) throws ConfigException {
        YamlNode root = YamlNode.parse(file, text).orElseThrow(() -> new ConfigException(file, 0, "", "is empty: a runbook needs name, title and steps"));
        Map<String, YamlNode> m = root.entries(TOP);
        String name = YamlNode.req(root, m, "name", "the runbook's name (used by `certops runbook run NAME`)").text();
        var idProblem = SafeNames.idProblem(name);
        if (idProblem.isPresent()) throw m.get("name").error(idProblem.get());
        String title = YamlNode.req(root, m, "title", "a one-line title").text();
        String summary = m.containsKey("summary") ? m.get("summary").text() : "";
        List<ParamSpec> params = m.containsKey("params") ? params(m.get("params")) : List.of();
        List<StepGroup> groups = new ArrayList<>();
        List<StepSpec> steps = steps(YamlNode.req(root, m, "steps", "the ordered list of steps"), params, groups);
        boolean drillOnly = m.containsKey("drillOnly") && m.get("drillOnly").bool();
        return new RunbookDefinition(name, title, summary, params, steps, groups, source, text, drillOnly);
    }

    private List<ParamSpec> params(YamlNode list) throws ConfigException {
        List<ParamSpec> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (YamlNode p : list.items()) {
            Map<String, YamlNode> m = p.entries(PARAM);
            YamlNode n = YamlNode.req(p, m, "name", "the parameter's name");
            String name = n.text();
            if (!name.matches("[a-z][a-zA-Z0-9-]*")) throw n.error("'" + name + "' is not a parameter name — allowed: lower-case letters, digits, '-'");
            if (!names.add(name)) throw n.error("parameter '" + name + "' is declared twice");
            YamlNode t = YamlNode.req(p, m, "type", "one of certificate, certificates, ca, file, duration, text, boolean, number");
            String typeName = t.text();
            ParamSpec.Type type = ParamSpec.Type.of(typeName).orElseThrow(() -> t.error("'" + SafeNames.printable(typeName)
                    + "' is not a parameter type — allowed: certificate, certificates, ca, file, duration, text, boolean, number"));
            boolean required = m.containsKey("required") && m.get("required").bool();
            Optional<String> dflt = m.containsKey("default") ? Optional.of(m.get("default").text()) : Optional.empty();
            String description = m.containsKey("description") ? m.get("description").text() : "";
            out.add(new ParamSpec(name, type, required, dflt, description));
        }
        return List.copyOf(out);
    }

    private List<StepSpec> steps(YamlNode list, List<ParamSpec> params, List<StepGroup> groups) throws ConfigException {
        List<StepSpec> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (YamlNode s : list.items()) {
            if (s.entries().containsKey("steps")) {
                out.addAll(group(s, params, ids, groups));
                continue;
            }
            out.add(step(s, params, ids, Optional.empty()));
        }
        if (out.isEmpty()) throw list.error("a runbook needs at least one step");
        return List.copyOf(out);
    }

    /**
     * {@code - id: every-path, title: .., forEach: SET, steps: [..]}: the group's steps run item by
     * item (all of them for the first item, then all for the next), not step by step.
     */
    private List<StepSpec> group(YamlNode g, List<ParamSpec> params, Set<String> ids, List<StepGroup> groups) throws ConfigException {
        Map<String, YamlNode> m = g.entries(GROUP);
        String id = id(g, m, ids, "group");
        String title = YamlNode.req(g, m, "title", "what the group does, in a few words").text();
        YamlNode set = YamlNode.req(g, m, "forEach", "the set the group repeats over, item by item (a group without forEach is just steps)");
        setName(set);
        groups.add(new StepGroup(id, title, m.containsKey("guide") ? m.get("guide").text() : "", set.text()));
        List<StepSpec> out = new ArrayList<>();
        for (YamlNode s : m.get("steps").items()) {
            if (s.entries().containsKey("steps")) throw s.error("groups do not nest — list the steps of the inner group directly");
            if (s.entries().containsKey("forEach")) throw s.entries().get("forEach").error("a step inside a group repeats with the group's forEach ("
                    + set.text() + "); remove this forEach");
            out.add(step(s, params, ids, Optional.of(new GroupOf(id, set.text()))));
        }
        if (out.isEmpty()) throw m.get("steps").error("group '" + id + "' has no steps");
        return out;
    }

    private record GroupOf(String id, String forEach) { }

    private static String id(YamlNode s, Map<String, YamlNode> m, Set<String> ids, String what) throws ConfigException {
        YamlNode idNode = YamlNode.req(s, m, "id", "a short id for the " + what + " (letters, digits, '-')");
        String id = idNode.text();
        if (!id.matches("[a-z0-9][a-z0-9-]{0,47}")) throw idNode.error("'" + SafeNames.printable(id) + "' is not a " + what + " id — allowed: lower-case letters, digits, '-'");
        if (!ids.add(id)) throw idNode.error("id '" + id + "' is used twice (step and group ids share one namespace)");
        return id;
    }

    private static void setName(YamlNode n) throws ConfigException {
        if (!n.text().matches("[a-z][a-z0-9-]*")) throw n.error("'" + SafeNames.printable(n.text()) + "' is not a set name — e.g. affected-certificates");
    }

    private StepSpec step(YamlNode s, List<ParamSpec> params, Set<String> ids, Optional<GroupOf> groupOf) throws ConfigException {
        Map<String, YamlNode> m = s.entries(STEP);
        String id = id(s, m, ids, "step");
        String title = YamlNode.req(s, m, "title", "what the step does, in a few words").text();
        String guide = m.containsKey("guide") ? m.get("guide").text() : "";
        Optional<String> action = Optional.empty();
        if (m.containsKey("action")) {
            String a = m.get("action").text();
            if (!knownActions.contains(a)) {
                throw m.get("action").error("unknown action '" + SafeNames.printable(a) + "' — known: " + String.join(", ", new TreeSet<>(knownActions)));
            }
            action = Optional.of(a);
        }
        Map<String, String> with = new LinkedHashMap<>();
        if (m.containsKey("with")) {
            if (action.isEmpty()) throw m.get("with").error("with: gives arguments to an action; this step has no action");
            for (Map.Entry<String, YamlNode> e : m.get("with").entries().entrySet()) {
                YamlNode v = e.getValue();
                with.put(e.getKey(), v.isList() ? String.join(",", v.texts()) : v.text());
            }
        }
        Optional<String> check = m.containsKey("check") ? Optional.of(m.get("check").text()) : Optional.empty();
        Gate gate = Gate.AUTO;
        if (m.containsKey("gate")) {
            String g = m.get("gate").text();
            gate = switch (g) {
                case "auto" -> Gate.AUTO;
                case "approve" -> Gate.APPROVE;
                default -> throw m.get("gate").error("'" + SafeNames.printable(g) + "' is not a gate — allowed: auto, approve");
            };
        }
        if (action.isEmpty()) gate = Gate.APPROVE;
        Optional<String> forEach = groupOf.map(GroupOf::forEach);
        if (m.containsKey("forEach")) {
            setName(m.get("forEach"));
            forEach = Optional.of(m.get("forEach").text());
        }
        checkReferences(m, params, ids, id, forEach.isPresent());
        Optional<Integer> concurrency = Optional.empty();
        if (m.containsKey("concurrency")) {
            YamlNode c = m.get("concurrency");
            if (!m.containsKey("forEach")) throw c.error("concurrency: says how many items of a forEach step run at once; this step has no forEach"
                    + (groupOf.isPresent() ? " of its own (a group's items run one after another)" : ""));
            String v = c.text();
            if (!v.matches("[0-9]{1,3}") || Integer.parseInt(v) < 1 || Integer.parseInt(v) > MAX_CONCURRENCY) {
                throw c.error("'" + SafeNames.printable(v) + "' is not a concurrency — give how many items run at once, 1 to " + MAX_CONCURRENCY
                        + " (1 runs them one after another)");
            }
            concurrency = Optional.of(Integer.parseInt(v));
        }
        return new StepSpec(id, title, guide, action, Map.copyOf(with), check, gate, forEach, groupOf.map(GroupOf::id), s.line(), concurrency);
    }

    /** ${param.X} must name a declared parameter, ${steps.ID.KEY} an earlier step, ${item} appears only in a forEach step. */
    private static void checkReferences(Map<String, YamlNode> m, List<ParamSpec> params, Set<String> ids, String self, boolean forEach)
            throws ConfigException {
        if (!m.containsKey("with")) return;
        for (Map.Entry<String, YamlNode> e : m.get("with").entries().entrySet()) {
            String v = e.getValue().isList() ? String.join(",", e.getValue().texts()) : e.getValue().text();
            var matcher = Pattern.compile("\\$\\{param\\.([a-zA-Z0-9-]+)}").matcher(v);
            while (matcher.find()) {
                String p = matcher.group(1);
                if (params.stream().noneMatch(x -> x.name().equals(p))) {
                    throw e.getValue().error("refers to ${param." + p + "}, which is not declared under params:");
                }
            }
            var steps = Pattern.compile("\\$\\{steps\\.([a-z0-9-]+)\\.").matcher(v);
            while (steps.find()) {
                String ref = steps.group(1);
                if (ref.equals(self) || !ids.contains(ref)) {
                    throw e.getValue().error("refers to step '" + ref + "', which is not an earlier step of this runbook");
                }
            }
            if (!forEach && v.contains("${item}")) throw e.getValue().error("uses ${item} but the step has no forEach:");
        }
    }

}
