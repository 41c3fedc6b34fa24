package dev.certops.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * A YAML node with its key path and line, so every validation error can say where it is.
 * Typed accessors throw {@link ConfigException} naming the file, line and key.
 */
public final class YamlNode {
    private final Path file;
    private final String path;
    private final Node node;

    public YamlNode(Path file, String path, Node node) {
        this.file = file;
        this.path = path;
        this.node = node;
    }

    /**
     * Parses YAML text into its root node (empty for an empty document). Syntax errors become a
     * {@link ConfigException} with the line of the problem.
     */
    public static Optional<YamlNode> parse(Path file, String text) throws ConfigException {
        if (text.length() > MAX_CHARS) {
            throw new ConfigException(file, 0, "", "is " + text.length() + " characters long, more than the " + MAX_CHARS
                    + " certops reads (the YAML size limit) — a certops.yaml is a few KB; check that this is the right file");
        }
        nestingProblem(file, text);
        try {
            LoadSettings settings = LoadSettings.builder().setLabel(String.valueOf(file)).setAllowDuplicateKeys(true)
                    .setMaxAliasesForCollections(MAX_ALIASES).setCodePointLimit(MAX_CHARS).setAllowRecursiveKeys(false).build();
            return new Compose(settings).composeString(text).map(n -> new YamlNode(file, "", n));
        } catch (StackOverflowError e) {
            throw new ConfigException(file, 0, "", "is nested too deeply to read (the YAML nesting limit is " + MAX_DEPTH
                    + " levels) — flatten it");
        } catch (MarkedYamlEngineException e) {
            if (String.valueOf(e.getProblem()).contains("aliases")) {
                int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
                throw new ConfigException(file, line, "", "uses more than " + MAX_ALIASES + " aliases (*name) for collections (the YAML alias "
                        + "limit, which stops alias bombs) — write the values out");
            }
            int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
            throw new ConfigException(file, line, "", "is not valid YAML: " + e.getProblem() + " — check indentation and quoting around this line");
        } catch (YamlEngineException e) {
            if (String.valueOf(e.getMessage()).contains("aliases")) {
                throw new ConfigException(file, 0, "", "uses more than " + MAX_ALIASES + " aliases (*name) for collections (the YAML alias "
                        + "limit, which stops alias bombs) — write the values out");
            }
            throw new ConfigException(file, 0, "", "is not valid YAML: " + e.getMessage());
        }
    }

    /** The YAML limits certops reads certops.yaml with: size, nesting, aliases. */
    static final int MAX_CHARS = 3 * 1024 * 1024;
    static final int MAX_DEPTH = 64;
    static final int MAX_ALIASES = 50;

    /** Flow ([ {) and block (indentation) nesting deeper than {@link #MAX_DEPTH}, found before the parser recurses into it. */
    private static void nestingProblem(Path file, String text) throws ConfigException {
        int depth = 0;
        int line = 1;
        boolean quoted = false;
        char quote = 0;
        boolean lineStart = true;
        int indent = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                lineStart = true;
                indent = 0;
                continue;
            }
            if (lineStart) {
                if (c == ' ' || c == '-') {
                    indent++;
                    if (indent > MAX_DEPTH * 4) throw tooDeep(file, line);
                    continue;
                }
                lineStart = false;
            }
            if (quoted) {
                if (c == quote) quoted = false;
                continue;
            }
            if (c == '#') {
                while (i + 1 < text.length() && text.charAt(i + 1) != '\n') i++;
            } else if (c == '"' || c == '\'') {
                quoted = true;
                quote = c;
            } else if (c == '[' || c == '{') {
                if (++depth > MAX_DEPTH) throw tooDeep(file, line);
            } else if ((c == ']' || c == '}') && depth > 0) {
                depth--;
            }
        }
    }

    private static ConfigException tooDeep(Path file, int line) {
        return new ConfigException(file, line, "", "is nested more than " + MAX_DEPTH + " levels deep (the YAML nesting limit) — "
                + "certops.yaml needs a handful; check this line");
    }

    public String path() { return path; }

    public int line() { return node.getStartMark().map(m -> m.getLine() + 1).orElse(0); }

    public ConfigException error(String problem) { return new ConfigException(file, line(), path, problem); }

    private String child(String key) { return path.isEmpty() ? key : path + "." + key; }

    public boolean isMap() { return node instanceof MappingNode; }
    public boolean isList() { return node instanceof SequenceNode; }
    public boolean isScalar() { return node instanceof ScalarNode; }

    /** The entries of a mapping, in file order; rejects duplicate keys. */
    public Map<String, YamlNode> entries() throws ConfigException {
        if (!(node instanceof MappingNode m)) throw error("expected a mapping (key: value lines), found " + describe());
        Map<String, YamlNode> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) throw error("keys must be plain words");
            String key = k.getValue();
            YamlNode value = new YamlNode(file, child(key), t.getValueNode());
            if (out.put(key, value) != null) throw value.error("appears twice; keep one");
        }
        return out;
    }

    /** Fails on keys outside {@code allowed}, naming the allowed ones (catches typos). */
    public Map<String, YamlNode> entries(Set<String> allowed) throws ConfigException {
        Map<String, YamlNode> e = entries();
        for (Map.Entry<String, YamlNode> en : e.entrySet()) {
            if (!allowed.contains(en.getKey())) {
                throw en.getValue().error("unknown key — allowed here: " + String.join(", ", new TreeSet<>(allowed)));
            }
        }
        return e;
    }

    public List<YamlNode> items() throws ConfigException {
        if (!(node instanceof SequenceNode s)) throw error("expected a list ([a, b] or lines starting with '- '), found " + describe());
        List<YamlNode> out = new ArrayList<>();
        for (int i = 0; i < s.getValue().size(); i++) out.add(new YamlNode(file, path + "[" + i + "]", s.getValue().get(i)));
        return out;
    }

    public String text() throws ConfigException {
        if (!(node instanceof ScalarNode s)) throw error("expected a single value, found " + describe());
        if (s.getValue().isBlank()) throw error("is empty; give a value");
        return s.getValue().trim();
    }

    public boolean bool() throws ConfigException {
        String t = text();
        return switch (t) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw error("'" + t + "' is not true or false");
        };
    }

    public int integer(int min, int max) throws ConfigException {
        String t = text();
        try {
            int v = Integer.parseInt(t);
            if (v < min || v > max) throw error(v + " is out of range — allowed: " + min + " to " + max);
            return v;
        } catch (NumberFormatException e) {
            throw error("'" + t + "' is not a whole number — allowed: " + min + " to " + max);
        }
    }

    public List<String> texts() throws ConfigException {
        List<String> out = new ArrayList<>();
        for (YamlNode n : items()) out.add(n.text());
        return out;
    }

    private String describe() {
        if (node instanceof MappingNode) return "a mapping";
        if (node instanceof SequenceNode) return "a list";
        return "'" + ((ScalarNode) node).getValue() + "'";
    }

    /** Helper for optional keys. */
    public static Optional<YamlNode> opt(Map<String, YamlNode> m, String key) { return Optional.ofNullable(m.get(key)); }

    public static YamlNode req(YamlNode parent, Map<String, YamlNode> m, String key, String what) throws ConfigException {
        YamlNode n = m.get(key);
        if (n == null) throw new ConfigException(parent.file, parent.line(), parent.path, "'" + key + "' is missing: " + what);
        return n;
    }
}
