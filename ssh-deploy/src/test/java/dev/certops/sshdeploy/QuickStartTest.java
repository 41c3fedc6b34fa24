package dev.certops.sshdeploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.cli.CliRun;
import dev.certops.sandbox.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The README's quick start, run as written (here, where the SSH deployer is on the classpath as in ./certops) (on a real sandbox: two Pebbles, challtestsrv, sshd, nginx), checking
 * what its comments claim; and every output a person reads along the way — the commands' text, the run reports —
 * free of class names, {@code Optional[}, Java list or record syntax and nanosecond instants.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuickStartTest {
    /** What people must never read: a Java class name, Optional[…], a record's toString, a Java list, a nanosecond instant, a Duration's toString. */
    static final Map<String, Pattern> NOT_FOR_PEOPLE = new LinkedHashMap<>();

    static {
        NOT_FOR_PEOPLE.put("a Java class name", Pattern.compile("\\b[A-Z][A-Za-z]+(?:Exception|Error)\\b|\\b(?:java|javax|dev\\.certops|org|com)\\.[a-z]+\\.[A-Za-z.]+"));
        NOT_FOR_PEOPLE.put("Optional[", Pattern.compile("Optional(?:\\[|\\.empty)"));
        NOT_FOR_PEOPLE.put("a record's toString", Pattern.compile("\\b[A-Z][A-Za-z]+\\[[a-z][A-Za-z]*="));
        // a List's toString: "[web2]", "[api@web1, api@web2]" (bracketed words, comma-separated; not "[1/3]", "[y]es", "[DRILL: …]")
        NOT_FOR_PEOPLE.put("a Java list", Pattern.compile("(?<![\\w\\]])\\[[\\w.@-]+(?:, [\\w.@-]+)*](?![\\w(])"));
        NOT_FOR_PEOPLE.put("a nanosecond instant", Pattern.compile("\\d{2}:\\d{2}:\\d{2}\\.\\d{4,}"));
        NOT_FOR_PEOPLE.put("a Duration's toString", Pattern.compile("\\bPT\\d+(?:\\.\\d+)?[HMS]\\b"));
    }

    /** Not a JUnit @TempDir: the sandbox's sshd logs in as a user that must be able to traverse it (mode 0755). */
    static Path tmp;
    static Path sandboxDir;
    static final Map<String, String> env = new HashMap<>(Map.of("USER", "tester"));
    static final List<String> quickStart = new ArrayList<>();
    static final Map<String, String> comments = new LinkedHashMap<>();
    static final Map<String, CliRun> ran = new LinkedHashMap<>();

    @BeforeAll
    static void readTheReadmesQuickStart() throws Exception {
        tmp = Files.createTempDirectory("certops-quickstart-");
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path readme = Path.of("..", "README.md");
        if (!Files.exists(readme)) readme = Path.of("README.md");
        String text = Files.readString(readme);
        int section = text.indexOf("## Quick start: the sandbox");
        assertThat(section).as("the README has a quick start").isPositive();
        int start = text.indexOf("```bash\n", section) + "```bash\n".length();
        String block = text.substring(start, text.indexOf("```", start));
        sandboxDir = tmp.resolve("certops-sandbox");
        for (String line : block.lines().toList()) {
            String command = line.replaceFirst("\\s+#.*$", "").strip().replace("/tmp/certops-sandbox", sandboxDir.toString())
                    .replace("/tmp/certops-report", tmp.resolve("report").toString());
            String comment = line.contains(" # ") ? line.substring(line.indexOf(" # ") + 3).strip() : "";
            if (command.isEmpty()) continue;
            quickStart.add(command);
            comments.put(command, comment);
        }
        assertThat(quickStart).anyMatch(c -> c.startsWith("./certops sandbox up")).anyMatch(c -> c.startsWith("./certops sandbox down"));
    }

    @AfterAll
    static void downEvenWhenATestFailed() throws Exception {
        Sandbox s = new Sandbox(sandboxDir);
        if (s.exists()) s.down();
        try (var files = Files.walk(tmp)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private static CliRun run(String command) {
        if (command.startsWith("export ")) {
            String[] kv = command.substring("export ".length()).split("=", 2);
            env.put(kv[0], kv[1]);
            return null;
        }
        assertThat(command).startsWith("./certops");
        String[] args = words(command.substring("./certops".length()));
        CliRun r = CliRun.run(env, "", args);
        ran.put(command, r);
        return r;
    }

    /** Words of a command line: spaces separate, double quotes group (as the shell reads the README's lines). */
    private static String[] words(String line) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\"([^\"]*)\"|(\\S+)").matcher(line);
        while (m.find()) out.add(m.group(1) != null ? m.group(1) : m.group(2));
        return out.toArray(String[]::new);
    }

    private static String find(String prefix) {
        return quickStart.stream().filter(c -> c.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("the README's quick start has no line starting with " + prefix));
    }

    @Test
    @Order(1)
    void theQuickStartRunsAsWrittenAndDoesWhatItsCommentsSay() {
        for (String command : quickStart) {
            if (command.equals("./certops")) continue; // the console: PrimaryCaOutageConsoleTest walks it
            if (command.startsWith("./certops sandbox down")) continue; // after the extra outputs below
            CliRun r = run(command);
            if (r == null) continue;
            String comment = comments.get(command);
            if (command.startsWith("./certops estate scan")) {
                assertThat(r.exitCode()).as("estate scan exits 2: api is critical and shop diverged").isEqualTo(2);
                Matcher days = Pattern.compile("api expires in (\\d+) days").matcher(comment);
                assertThat(days.find()).as("the README says when api expires: " + comment).isTrue();
                assertThat(r.out()).containsPattern("(?m)^api\\s+critical\\s+" + days.group(1) + "\\s");
                assertThat(comment).contains("shop diverged");
                assertThat(r.out()).containsPattern("(?m)^shop\\s+\\S*diverged");
            } else if (command.startsWith("./certops runbook run primary-ca-outage")) {
                assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
                assertThat(comment).contains("issue from the secondary");
                assertThat(r.out()).contains("from secondary").contains("succeeded.");
                if (command.contains("--report")) {
                    assertThat(tmp.resolve("report").resolve("report.html")).isRegularFile();
                }
            } else if (command.startsWith("./certops sandbox break reload")) {
                assertThat(r.exitCode()).as(r.err()).isZero();
                assertThat(comment).contains("new version");
                // what the comment claims: a new version's deploy verifies, fails and rolls back
                assertThat(CliRun.run(env, "", "issue", "api").exitCode()).isZero();
                CliRun deploy = CliRun.run(env, "", "deploy", "api");
                ran.put("./certops deploy api (after break reload)", deploy);
                assertThat(deploy.exitCode()).isEqualTo(2);
                assertThat(deploy.out()).contains("rolling back — verify failed", "rolled back (why: above)", "previous certificate verified served");
            } else {
                assertThat(r.exitCode()).as(command + "\n" + r.out() + r.err()).isZero();
            }
        }
    }

    @Test
    @Order(2)
    void everyOutputAPersonReadsIsFreeOfJavaSyntax() throws Exception {
        Path reports = tmp.resolve("reports");
        for (String extra : List.of("./certops renew --dry-run", "./certops budget", "./certops budget --json", "./certops history --limit 60",
                "./certops runbook show primary-ca-outage", "./certops runbook list", "./certops runbook runs", "./certops status",
                "./certops alerts status", "./certops lease list", "./certops config check", "./certops estate affected --ca primary",
                "./certops hosts check", "./certops rollback api --host web2")) {
            run(extra);
        }
        // the primary is still down: the drill fails at its first CA, and its report lists every step, the untried ones skipped
        CliRun drill = CliRun.run(env, "", "drill", "--report", reports.resolve("drill").toString());
        ran.put("./certops drill --report DIR", drill);
        assertThat(drill.exitCode()).as(drill.out() + drill.err()).isEqualTo(2);
        String junit = Files.readString(reports.resolve("drill").resolve("junit.xml"));
        Matcher tests = Pattern.compile("tests=\"(\\d+)\"").matcher(junit);
        assertThat(tests.find()).isTrue();
        assertThat(Integer.parseInt(tests.group(1))).as("every step of the drill is a test case").isGreaterThan(3);
        assertThat(junit).contains("not run: the run stopped after");
        assertThat(run("./certops runbook show primary-ca-outage").out()).doesNotContain("**").doesNotContain("`current`");
        assertThat(ran.get("./certops rollback api --host web2").out()).contains("web2: rolled back on the operator's request")
                .doesNotContain("requested by the operator");

        List<String> problems = new ArrayList<>();
        ran.forEach((command, r) -> problems.addAll(check(command, r.out() + "\n" + r.err())));
        try (var files = Files.walk(tmp)) {
            for (Path f : files.filter(f -> f.toString().contains("report") && Files.isRegularFile(f)).toList()) {
                problems.addAll(check(f.toString(), Files.readString(f)));
            }
        }
        assertThat(problems).as("outputs with Java syntax in them").isEmpty();
    }

    @Test
    @Order(3)
    void sandboxDownStopsEverythingAndRemovesTheFolder() {
        CliRun r = run(find("./certops sandbox down"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(sandboxDir).doesNotExist();
    }

    static List<String> check(String source, String text) {
        List<String> problems = new ArrayList<>();
        for (var p : NOT_FOR_PEOPLE.entrySet()) {
            Matcher m = p.getValue().matcher(text);
            while (m.find()) {
                int from = Math.max(0, text.lastIndexOf('\n', m.start()) + 1);
                int to = text.indexOf('\n', m.end());
                problems.add(source + ": " + p.getKey() + " '" + m.group() + "' in: " + text.substring(from, to < 0 ? text.length() : to).strip());
            }
        }
        return problems;
    }

    @Test
    void theCheckCatchesWhatItIsMeantTo() {
        assertThat(check("t", "unreachable: ConnectException")).hasSize(1);
        assertThat(check("t", "hosts [web2] do not serve")).hasSize(1);
        assertThat(check("t", "due 2030-04-06T11:14:12.333333334Z")).hasSize(1);
        assertThat(check("t", "Optional[web1]")).hasSize(1);
        assertThat(check("t", "Step[key=probe, title=Probe]")).isNotEmpty();
        assertThat(check("t", "waited PT0S")).hasSize(1);
        assertThat(check("t", "deployed and verified on 2 hosts: api@web1, api@web2 (3.9 s) [changes the world]")).isEmpty();
        assertThat(Arrays.asList(words(" runbook run x --param certificate=api --yes"))).containsExactly("runbook", "run", "x", "--param", "certificate=api", "--yes");
    }
}
