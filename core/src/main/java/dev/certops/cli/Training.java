package dev.certops.cli;

import dev.certops.logging.LogProvider;
import dev.certops.root.HeadStart;
import dev.certops.startup.ProcessExit;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The training run ./certops makes once after each build, in a JVM that writes the start-up archive when it
 * exits (class-data archive on Java 17-24, AOT cache on Java 25+; docs/decisions/0017): the common commands, in
 * one process, so the archive holds what they load — not only what the first command typed happened to load.
 *
 * <p>Always, on a throwaway workspace (no network, nothing outside a temporary folder): every command's
 * {@code --help}, {@code --version}, {@code init}, {@code config check --offline}, {@code estate scan} of a TLS
 * endpoint this run serves on loopback (keys, certificates and the handshake load what issue and scan load),
 * {@code renew --dry-run}, {@code status}, {@code history}, {@code audit verify}, {@code budget}. With
 * {@value #WORKSPACE_ENV} naming a workspace whose CAs and hosts are throwaway (the sandbox's, or the one
 * bench/peers.sh makes), also {@code estate scan}, {@code issue}, {@code deploy} and {@code renew --dry-run}
 * there, for the certificate in {@value #CERT_ENV} (when given). What the commands print is discarded; their
 * exit codes do not matter, only what they load.
 */
public final class Training {
    /** A workspace with throwaway CAs and hosts to train issue and deploy on. */
    public static final String WORKSPACE_ENV = "CERTOPS_TRAIN_WORKSPACE";
    /** The certificate of that workspace to issue and deploy. */
    public static final String CERT_ENV = "CERTOPS_TRAIN_CERT";
    /**
     * The family of commands a training run exercises ({@value #ISSUE}, {@value #RENEW}, {@value #SCAN}, {@value #ROOT}, {@value #LIGHT};
     * {@code all} or unset: every command): ./certops keeps one start-up archive per family (ADR 0017).
     */
    public static final String FAMILY_PROPERTY = "certops.training.family";
    /**
     * A class list (the JVM's {@code -XX:DumpLoadedClassList} format) of what real commands of the family loaded: their
     * runs on this machine that ./certops recorded, until one added (next to) nothing (ADR 0017, ninth round). The
     * training loads those classes too
     * (without initializing them), so the archive holds what the field's commands load — an issuance from the user's
     * own CA and DNS provider — and not only what a training without a CA can reach.
     */
    public static final String LEARNED_PROPERTY = "certops.training.learned";
    /**
     * The family of the everyday commands (help, version, status, history, budget, ...): their archive holds only what
     * they load. The JVM relocates every page of an archive it maps, at every start, before {@code main}: one that also
     * holds issuance, scans and deploys (~50 MB) cost {@code --help} more than it saved.
     */
    public static final String LIGHT = "light";
    /** The family of the root's own {@code --help} and {@code --version} (text rendered at build time, no command model). */
    public static final String ROOT = "root";
    /** The family of {@code issue}: trained on an issuance from the throwaway CA alone, when there is one. */
    public static final String ISSUE = "issue";
    /** The family of {@code renew} and {@code revoke}. */
    public static final String RENEW = "renew";
    /** The family of {@code estate} (its scans). */
    public static final String SCAN = "scan";
    private static final String[] EVERYDAY = {"config check --offline", "status", "history", "audit verify", "budget", "lease list",
        "runbook list"};

    private Training() { }

    public static void main(String[] args) throws IOException {
        LogProvider.select();
        HeadlessMain.opensConsole(args);
        try {
            Class.forName("dev.certops.app.Launcher"); // the entry point of ./certops, when on the class path
        } catch (ClassNotFoundException e) {
            // the headless package: HeadlessMain is its entry point
        }
        String family = System.getProperty(FAMILY_PROPERTY, "");
        Path temp = Files.createTempDirectory("certops-training");
        try {
            String learned = System.getProperty(LEARNED_PROPERTY, "");
            Path list = learned.isBlank() ? null : Path.of(learned);
            if (!learnedIsEnough(family, System.getenv(), list, Runtime.version().feature())) {
                train(family, temp, commands(temp, System.getenv(), family));
            }
            if (list != null) learn(list, Training.class.getClassLoader());
        } finally {
            try (Stream<Path> files = Files.walk(temp)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        ProcessExit.exit(0); // as a command ends: its classes in the archive too
    }

    /**
     * Whether the classes a real issuance loaded are the whole training: the {@value #ISSUE} family, with no throwaway
     * CA to issue from, on a Java whose archive takes the list's lambdas too (17-24: the launcher hands them to the
     * dump). The stand-in commands (a scan's handshake, renewal planning) would only add what {@code issue} never loads:
     * an archive ~10 MB larger to relocate at every start (A/B: 1.07x the wall time). A Java 25 cache keeps what the
     * training ran (its lambdas linked), so there the stand-ins still run.
     */
    static boolean learnedIsEnough(String family, Map<String, String> env, Path list, int javaFeature) throws IOException {
        if (!family.equals(ISSUE) || list == null || javaFeature >= 25) return false;
        boolean throwawayCa = !env.getOrDefault(WORKSPACE_ENV, "").isBlank() && !env.getOrDefault(CERT_ENV, "").isBlank();
        return !throwawayCa && !learnedClasses(list).isEmpty();
    }

    /**
     * Loads (links, does not initialize: no class's static code runs) every class the list names that this JVM can
     * find; a class of other jars (an upgrade since) or one the JVM made at run time (a lambda's, a proxy) is skipped.
     * Returns how many the list named and how many were found.
     */
    static int[] learn(Path classList, ClassLoader loader) throws IOException {
        List<String> names = learnedClasses(classList);
        int found = 0;
        for (String name : names) {
            try {
                Class.forName(name, false, loader);
                found++;
            } catch (ClassNotFoundException | LinkageError e) {
                // not in these jars (any more), or not loadable outside the run that made it: nothing to archive
            }
        }
        return new int[] {names.size(), found};
    }

    /**
     * The class names of a {@code -XX:DumpLoadedClassList} file, or of a class-loading log without decorations
     * ({@code -Xlog:class+load=info:file=F:none}, what ./certops writes where a Java 25 cache is in use and the class list
     * cannot be): the first word of each class line, as a binary name; its directives ({@code @lambda-proxy},
     * {@code @lambda-form-invoker}, comments) and the JVM's hidden classes are left out. A missing file names nothing.
     */
    static List<String> learnedClasses(Path classList) throws IOException {
        if (!Files.isRegularFile(classList)) return List.of();
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(classList)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("@") || l.startsWith("#")) continue;
            int space = l.indexOf(' ');
            String name = (space < 0 ? l : l.substring(0, space)).replace('/', '.');
            if (name.contains("$$Lambda") || name.contains("$Proxy") || name.startsWith("jdk.proxy") || name.contains(".0x")) continue;
            names.add(name);
        }
        return names;
    }

    private static void train(String family, Path temp, List<List<String>> lines) throws IOException {
        // the everyday commands start no head start, open no CA session and scan nothing: neither does their training
        boolean everyday = family.equals(LIGHT) || family.equals(ROOT);
        Optional<List<String>> issue = lines.stream().filter(l -> l.get(0).equals("issue") && !l.contains("--help")).findFirst();
        if (!everyday && !family.equals(SCAN)) {
            // its classes in the archive too, as a working command starts it: issue's own (certops.yaml read ahead, the
            // CA's session opened early) when an issuance is trained, else the one renew, revoke and runbooks get
            if (issue.isPresent()) HeadStarts.forArgs(issue.get().toArray(String[]::new));
            else HeadStart.forIssuance();
        }
        // an issuance from the throwaway CA alone: no scan's TLS standing in for the CA's
        if (everyday || (family.equals(ISSUE) && issue.isPresent())) {
            for (List<String> line : lines) run(line);
            return;
        }
        try (TlsEndpoint endpoint = TlsEndpoint.start(temp)) {
            scanStart(temp.resolve("scan-start"), endpoint, family);
            for (List<String> line : lines) {
                if (family.equals(SCAN)) HeadStarts.forArgs(line.toArray(String[]::new)); // the scan's own head start, once
                run(line);
                if (line.size() == 3 && line.get(0).equals("init")) endpoint.scanFrom(Path.of(line.get(2)));
            }
        }
    }

    /**
     * What a scan's process runs before and beside its command line (Cli.run): the head start's choice for
     * {@code estate scan}, and its steps (certops.yaml read ahead, SQLite, Java's roots as anchors) here and now, on a
     * workspace of its own, before any command has read a configuration (a read ahead is skipped after that). The
     * scan family's lines start their own head start (HeadStarts per line, below). Only what they load matters.
     */
    private static void scanStart(Path workspace, TlsEndpoint endpoint, String family) throws IOException {
        Files.createDirectories(workspace);
        Files.writeString(workspace.resolve("certops.yaml"), "");
        endpoint.scanFrom(workspace);
        String[] scan = {"estate", "scan", "--workspace", workspace.toString()};
        if (!family.equals(SCAN)) HeadStarts.forArgs(Map.of(), scan); // (a head start runs already: only the choice)
        HeadStarts.scanning(Map.of(), scan).ifPresent(HeadStart::trainScan);
    }

    /** The command lines, in order: every command's. */
    static List<List<String>> commands(Path temp, Map<String, String> env) {
        return commands(temp, env, "");
    }

    /**
     * The command lines of one family, in order: {@value #ISSUE} (an issuance from the throwaway workspace's CA and
     * nothing else), {@value #RENEW} (renewal planning there; without a throwaway CA, for either, a scan's TLS handshake
     * stands in for the TLS to a CA), {@value #SCAN} (estate scans), {@value #ROOT}
     * (the root's help and version), {@value #LIGHT} (the everyday commands: every command's help, version, status,
     * history, ...; no scan, issuance or deploy), or every command's for any other value ({@code all}: what deploy,
     * rollback, runbooks and drills use).
     */
    static List<List<String>> commands(Path temp, Map<String, String> env, String family) {
        if (family.equals(ROOT)) return List.of(List.of("--help"), List.of("--version"));
        String ws = temp.resolve("workspace").toString();
        String trainWs = env.getOrDefault(WORKSPACE_ENV, "");
        String cert = env.getOrDefault(CERT_ENV, "");
        boolean scan = family.equals(SCAN);
        boolean throwawayCa = (family.equals(ISSUE) || family.equals(RENEW)) && !trainWs.isBlank() && !cert.isBlank();
        // an issuance from the throwaway CA is all `issue` loads: nothing else in its archive (~11 MB less to relocate)
        if (family.equals(ISSUE) && throwawayCa) return List.of(withWorkspace("issue " + cert, trainWs));
        if (family.equals(ISSUE) || family.equals(RENEW) || scan) {
            List<List<String>> lines = new ArrayList<>();
            lines.add(List.of("init", "--workspace", ws));
            List<String> own = scan ? List.of("estate scan", "estate scan --json")
                    : throwawayCa ? List.of("renew --dry-run") : List.of("config check --offline", "estate scan", "renew --dry-run");
            for (String command : own) lines.add(withWorkspace(command, ws));
            if (throwawayCa) {
                lines.add(withWorkspace("renew --dry-run", trainWs));
            } else if (scan && !trainWs.isBlank()) {
                lines.add(withWorkspace("estate scan", trainWs));
            }
            return lines;
        }
        List<List<String>> lines = new ArrayList<>();
        for (List<String> p : CommandDispatch.commandPaths(Cli.commandLine(context(Map.of())))) {
            List<String> help = new ArrayList<>(p);
            help.add("--help");
            lines.add(help);
        }
        lines.add(List.of("--version"));
        lines.add(List.of("init", "--workspace", ws));
        for (String command : EVERYDAY) lines.add(withWorkspace(command, ws));
        if (family.equals(LIGHT)) return lines;
        for (String command : new String[] {"estate scan", "estate scan --json", "renew --dry-run"}) lines.add(withWorkspace(command, ws));
        if (!trainWs.isBlank()) {
            lines.add(withWorkspace("config check", trainWs));
            lines.add(withWorkspace("estate scan", trainWs));
            if (!cert.isBlank()) {
                lines.add(withWorkspace("issue " + cert, trainWs));
                lines.add(withWorkspace("deploy " + cert, trainWs));
            }
            lines.add(withWorkspace("renew --dry-run", trainWs));
        }
        return lines;
    }

    private static List<String> withWorkspace(String command, String ws) {
        List<String> line = new ArrayList<>(List.of(command.split(" ")));
        line.add("--workspace");
        line.add(ws);
        return line;
    }

    private static void run(List<String> line) {
        try (CliContext ctx = context(System.getenv())) {
            Cli.execute(ctx, line.toArray(String[]::new));
        } catch (RuntimeException e) {
            // a command that fails here still loaded what it needed; the archive is what matters
        }
    }

    private static CliContext context(Map<String, String> env) {
        Map<String, String> e = new HashMap<>(env);
        e.remove("CERTOPS_HOME");
        PrintWriter discard = new PrintWriter(OutputStream.nullOutputStream(), true);
        return new CliContext(e, new ByteArrayInputStream(new byte[0]), discard, discard, Clock.systemUTC());
    }
}
