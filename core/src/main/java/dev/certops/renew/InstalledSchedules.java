package dev.certops.renew;

import dev.certops.config.Workspace;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The schedules installed for a workspace and whether their command still exists: the units
 * {@code schedule install --systemd} wrote (remembered in {@code state/schedule-units}, plus the standard
 * folders) and the crontab lines of the current user, each matched by its {@code --workspace}.
 */
public final class InstalledSchedules {
    static final String RECORD = "schedule-units";

    /**
     * One installed schedule.
     *
     * @param where    the unit file, or "crontab"
     * @param launcher the command it runs
     */
    public record Installed(String where, Path launcher) {
        public boolean runnable() { return Files.isRegularFile(launcher) && Files.isExecutable(launcher); }

        /** What status prints when the command is gone. */
        public String problem() {
            return "the renew timer (" + where + ") runs " + launcher + ", which no longer exists"
                    + (Files.exists(launcher) ? " as an executable" : "") + ": every hourly renewal fails."
                    + " Install certops (or certops-cli) again, or run `certops schedule install` from the certops you use now";
        }
    }

    private InstalledSchedules() { }

    /** Remembers a unit written for this workspace, so status finds it wherever it was written. */
    public static void remember(Workspace ws, Path unitFile) throws IOException {
        Path record = ws.stateDir().resolve(RECORD);
        Set<String> lines = new LinkedHashSet<>(Files.exists(record) ? Files.readAllLines(record) : List.of());
        lines.add(unitFile.toAbsolutePath().toString());
        Files.createDirectories(record.getParent());
        Files.write(record, lines);
    }

    /** Every schedule found for the workspace. */
    public static List<Installed> find(Workspace ws, Map<String, String> env) {
        Set<Path> units = new LinkedHashSet<>();
        Path record = ws.stateDir().resolve(RECORD);
        try {
            if (Files.exists(record)) Files.readAllLines(record).stream().filter(l -> !l.isBlank()).map(Path::of).forEach(units::add);
        } catch (IOException e) {
            // an unreadable note: the standard folders are still looked at
        }
        units.add(Path.of("/etc/systemd/system", ScheduleUnits.SERVICE_NAME));
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        units.add(Path.of(home, ".config/systemd/user", ScheduleUnits.SERVICE_NAME));
        List<Installed> out = new ArrayList<>();
        for (Path unit : units) {
            execStart(unit).filter(args -> runsOn(args, ws)).ifPresent(args -> out.add(new Installed(unit.toString(), Path.of(args.get(0)))));
        }
        for (String line : crontab()) {
            List<String> args = ShellWords.split(line.trim().replaceFirst("^(\\S+\\s+){5}", "").replace("\\%", "%"));
            while (!args.isEmpty() && args.get(0).matches("[A-Za-z_][A-Za-z0-9_]*=.*")) args.remove(0);
            if (!args.isEmpty() && runsOn(args, ws)) out.add(new Installed("crontab", Path.of(args.get(0))));
        }
        return out;
    }

    private static boolean runsOn(List<String> args, Workspace ws) {
        int i = args.indexOf("--workspace");
        return i > 0 && i + 1 < args.size() && args.contains("renew") && Path.of(args.get(i + 1)).toAbsolutePath().normalize().equals(ws.root());
    }

    /** The ExecStart= of a unit file as words, systemd's quoting undone. */
    static Optional<List<String>> execStart(Path unit) {
        if (!Files.isRegularFile(unit)) return Optional.empty();
        try {
            return Files.readAllLines(unit, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith("ExecStart=")).findFirst()
                    .map(l -> ShellWords.split(l.substring("ExecStart=".length()).replace("%%", "%").replace("$$", "$")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The current user's crontab lines that run renew, when crontab is installed. */
    private static List<String> crontab() {
        if (!Files.isExecutable(Path.of("/usr/bin/crontab"))) return List.of();
        try {
            Process p = new ProcessBuilder("/usr/bin/crontab", "-l").redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) return List.of();
            return new String(out, StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("#") && l.contains(" renew ")).toList();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /** Splits a command line as sh (and, for what certops writes, systemd) does, without expanding anything. */
    static final class ShellWords {
        private ShellWords() { }

        static List<String> split(String line) {
            List<String> words = new ArrayList<>();
            StringBuilder w = new StringBuilder();
            boolean inWord = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '\'') {
                    int end = line.indexOf('\'', i + 1);
                    if (end < 0) end = line.length();
                    w.append(line, i + 1, end);
                    i = end;
                    inWord = true;
                } else if (c == '"') {
                    i++;
                    while (i < line.length() && line.charAt(i) != '"') {
                        if (line.charAt(i) == '\\' && i + 1 < line.length()) i++;
                        w.append(line.charAt(i++));
                    }
                    inWord = true;
                } else if (c == '\\' && i + 1 < line.length()) {
                    w.append(line.charAt(++i));
                    inWord = true;
                } else if (Character.isWhitespace(c)) {
                    if (inWord) words.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                } else {
                    w.append(c);
                    inWord = true;
                }
            }
            if (inWord) words.add(w.toString());
            return words;
        }
    }
}
