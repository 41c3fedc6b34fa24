package dev.certops.runbook;

import dev.certops.config.ConfigException;
import dev.certops.config.Workspace;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where runbooks come from: the built-ins shipped in the jar ({@code builtin/index.txt} lists them,
 * since a folder in a jar cannot be listed) and the team's own in {@code workspace/runbooks/*.yaml}.
 * A team runbook with a built-in's name replaces it (that is how a copied built-in is edited).
 */
public final class RunbookCatalog {
    private static final String BUILTIN = "builtin/";

    /** One runbook as listed. */
    public record Entry(String name, String title, String source, boolean builtin, boolean overridesBuiltin) { }

    private final Workspace workspace;
    private final RunbookLoader loader;

    public RunbookCatalog(Workspace workspace, RunbookLoader loader) {
        this.workspace = workspace;
        this.loader = loader;
    }

    /** The names of the built-in runbooks, in the index's order. */
    public static List<String> builtinNames() {
        try (InputStream in = RunbookCatalog.class.getResourceAsStream(BUILTIN + "index.txt")) {
            if (in == null) return List.of();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new IllegalStateException("the certops jar is damaged: builtin/index.txt cannot be read", e);
        }
    }

    /** The text of a built-in runbook. */
    public static Optional<String> builtinText(String name) {
        if (!builtinNames().contains(name)) return Optional.empty();
        try (InputStream in = RunbookCatalog.class.getResourceAsStream(BUILTIN + name + ".yaml")) {
            if (in == null) throw new IllegalStateException("the certops jar is damaged: builtin runbook " + name + " is listed but missing");
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("builtin runbook " + name + " cannot be read", e);
        }
    }

    public RunbookDefinition builtin(String name) throws ConfigException, RunbookException {
        String text = builtinText(name).orElseThrow(() -> new RunbookException("no built-in runbook '" + name + "' — built in: " + String.join(", ", builtinNames())));
        return loader.parse(Path.of("builtin", name + ".yaml"), "builtin:" + name, text);
    }

    /** Every runbook: team ones (which may override a built-in) and the built-ins they do not override. */
    public List<Entry> list() throws ConfigException, RunbookException {
        List<Entry> out = new ArrayList<>();
        List<String> team = new ArrayList<>();
        for (Path f : teamFiles()) {
            RunbookDefinition d = loader.load(f);
            team.add(d.name());
            out.add(new Entry(d.name(), d.title(), f.toString(), false, builtinNames().contains(d.name())));
        }
        for (String n : builtinNames()) {
            if (team.contains(n)) continue;
            RunbookDefinition d = builtin(n);
            out.add(new Entry(d.name(), d.title(), d.source(), true, false));
        }
        out.sort(Comparator.comparing(Entry::name));
        return out;
    }

    /** A runbook by name: the team's first, else the built-in. */
    public RunbookDefinition find(String name) throws ConfigException, RunbookException {
        for (Path f : teamFiles()) {
            RunbookDefinition d = loader.load(f);
            if (d.name().equals(name)) return d;
        }
        if (builtinNames().contains(name)) return builtin(name);
        List<String> names = new ArrayList<>();
        for (Entry e : list()) names.add(e.name());
        throw new RunbookException("no runbook '" + name + "' — available: " + String.join(", ", names) + " (`certops runbook list`)");
    }

    /** Copies a built-in into {@code runbooks/NAME.yaml} for the team to edit; never overwrites. */
    public Path copyToTeam(String name) throws RunbookException, IOException {
        String text = builtinText(name).orElseThrow(() -> new RunbookException("no built-in runbook '" + name + "' — built in: " + String.join(", ", builtinNames())));
        Files.createDirectories(workspace.runbooksDir());
        Path target = workspace.runbooksDir().resolve(name + ".yaml");
        if (Files.exists(target)) throw new FileAlreadyExistsException(target.toString(), null, "a team copy exists already; edit it, or delete it to copy again");
        Files.writeString(target, text, StandardCharsets.UTF_8);
        return target;
    }

    private List<Path> teamFiles() throws RunbookException {
        Path dir = workspace.runbooksDir();
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".yaml") || p.getFileName().toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            throw new RunbookException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}
