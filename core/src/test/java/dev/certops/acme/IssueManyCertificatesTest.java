package dev.certops.acme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.cli.CliRun;
import dev.certops.cli.ExitCodes;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryEvent;
import dev.certops.operations.HeldLeases;
import dev.certops.root.CompositionRoot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code certops issue A B C …}: many certificates at once in one process, against real Pebbles. */
class IssueManyCertificatesTest {
    @TempDir static Path labDir;
    @TempDir Path dir;
    static AcmeLab lab;
    private static final Pattern ISSUED = Pattern.compile("(?m)^  (\\S+)\\s+issued by primary: version 1, serial ([0-9a-f]+), valid until 20");

    @BeforeAll
    static void start() throws Exception { lab = new AcmeLab(labDir); }

    @AfterAll
    static void stop() { lab.close(); }

    private static List<String> ids(int n) { return IntStream.range(0, n).mapToObj(i -> "c" + i).toList(); }

    private static String dns01(List<String> ids) {
        StringBuilder b = new StringBuilder();
        for (String id : ids) b.append("- { id: ").append(id).append(", names: [").append(id).append(".many.example.test], challenge: { type: dns-01, dns: lab } }\n");
        return b.toString();
    }

    private static String[] args(List<String> ids, String ws) {
        List<String> a = new ArrayList<>(List.of("issue"));
        a.addAll(ids);
        a.addAll(List.of("--workspace", ws));
        return a.toArray(String[]::new);
    }

    @Test
    void oneIssuanceReadsTheCaDirectoryOnce() throws Exception {
        List<String> ids = List.of("single");
        try (CompositionRoot s = lab.workspace(dir.resolve("ws"), dns01(ids))) {
            long directoryReads = lab.primary.requests("GET /dir");
            long nonceFetches = lab.primary.requests("HEAD /nonce-plz");

            CliRun r = CliRun.run(args(ids, s.workspace().root().toString()));

            assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
            assertThat(s.operations().versions().latest("single")).isPresent();
            assertThat(lab.primary.requests("GET /dir") - directoryReads).as("directory reads at primary for one issuance").isEqualTo(1);
            // the session opened ahead also fetched the first nonce; every later one comes with an answer (Pebble may
            // refuse a nonce now and then: its badNonce answer carries the next)
            assertThat(lab.primary.requests("HEAD /nonce-plz") - nonceFetches).as("nonce fetches at primary for one issuance").isEqualTo(1);
        }
    }

    @Test
    void tenCertificatesInOneCommandGetTenSerialsFromOneSessionAndLoginPerCa() throws Exception {
        List<String> ids = ids(10);
        try (CompositionRoot s = lab.workspace(dir.resolve("ws"), dns01(ids))) {
            long nonceFetches = lab.primary.requests("HEAD /nonce-plz");
            long directoryReads = lab.primary.requests("GET /dir");
            long registrations = lab.primary.requests("POST /sign-me-up");
            long secondaryOrders = lab.secondary.requests("POST /order-plz");

            CliRun r = CliRun.run(args(ids, s.workspace().root().toString()));

            assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
            List<String> issued = new ArrayList<>();
            List<String> serials = new ArrayList<>();
            for (Matcher m = ISSUED.matcher(r.out()); m.find(); ) {
                issued.add(m.group(1));
                serials.add(m.group(2));
            }
            assertThat(issued).as(r.out()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(new HashSet<>(serials)).as("ten distinct serials").hasSize(10);
            for (int i = 0; i < ids.size(); i++) {
                assertThat(s.operations().versions().latest(issued.get(i)).orElseThrow().serial()).isEqualTo(serials.get(i));
            }
            assertThat(lab.primary.certStatusBySerial(serials.get(0))).contains("Valid");
            assertThat(r.out()).contains("Issuing 10 certificates, up to 10 at once; CA tried first: primary (10)", "Issued all 10 certificates (",
                    "Next: ./certops deploy c");
            // what the CA saw: one session (a fresh nonce fetched once, then each answer's nonce used for the next request)
            // and one account registered, for ten orders
            assertThat(lab.primary.requests("HEAD /nonce-plz") - nonceFetches).as("sessions opened with primary").isEqualTo(1);
            assertThat(lab.primary.requests("GET /dir") - directoryReads).as("directory reads at primary (acme4j alone asks per look-up)").isEqualTo(1);
            assertThat(lab.primary.requests("POST /sign-me-up") - registrations).as("account registrations at primary").isEqualTo(1);
            assertThat(lab.secondary.requests("POST /order-plz") - secondaryOrders).as("the secondary is never asked").isZero();
            assertThat(s.history().query(EventQuery.all().kind(EventKinds.ACME_ACCOUNT_CREATED))).hasSize(1);
            // each certificate under its own lease, taken and released through the operations layer
            List<HistoryEvent> leases = s.history().query(EventQuery.all().kind(EventKinds.LEASE_ACQUIRED));
            assertThat(leases).extracting(HistoryEvent::subject).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(leases).allSatisfy(e -> assertThat(e.details().toString()).contains("certops issue " + e.subject() + " (one of 10)"));
        }
    }

    @Test
    void oneCertificateTheCaCannotValidateAndOneLeasedElsewhereFailAloneAndTheExitCodeSaysSo() throws Exception {
        String certs = dns01(List.of("ok1", "ok2", "held")) + "- { id: lost, names: [lost.many.example.test], challenge: { type: http-01, host: nowhere } }\n";
        try (CompositionRoot s = lab.workspace(dir.resolve("ws"), certs);
             HeldLeases other = s.operations().lease("held", "deploy", "alice's deploy of held", n -> { })) {
            CliRun r = CliRun.run(args(List.of("ok1", "lost", "held", "ok2"), s.workspace().root().toString()));

            assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCodes.FAILED);
            assertThat(r.out()).containsPattern("(?m)^  ok1 +issued by primary: version 1, serial [0-9a-f]+, valid until")
                    .containsPattern("(?m)^  ok2 +issued by primary: version 1")
                    .containsPattern("(?m)^  lost +FAILED: primary: the CA could not validate lost.many.example.test \\(http-01\\)")
                    .containsPattern("(?m)^  held +FAILED: .*alice's deploy of held")
                    .contains("Issued 2 of 4; 2 failed: lost, held (", "Next: ./certops deploy ok1 ok2", "./certops issue lost")
                    .doesNotContain("Exception", "dev.certops");
            assertThat(s.operations().versions().latest("lost")).isEmpty();
            assertThat(s.operations().versions().latest("held")).isEmpty();
        }
    }

    @Test
    void withThePrimaryDownEachCertificateFailsOverAloneAndTheSecondarysOwnShareTheSlotsFromTheStart() throws Exception {
        String certs = dns01(List.of("a1", "a2", "a3"))
                + "- { id: b1, names: [b1.many.example.test], challenge: { type: dns-01, dns: lab }, cas: [secondary] }\n"
                + "- { id: b2, names: [b2.many.example.test], challenge: { type: dns-01, dns: lab }, cas: [secondary] }\n";
        lab.primary.stop();
        try (CompositionRoot s = lab.workspace(dir.resolve("ws"), certs)) {
            CliRun r = CliRun.run(concat(args(List.of("a1", "a2", "a3", "b1", "b2"), s.workspace().root().toString()), "--concurrency", "2", "--deadline", "1m"));

            assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).contains("Issuing 5 certificates, up to 2 at once; CA tried first: primary (3), secondary (2)", "Issued all 5 certificates (");
            for (String id : List.of("a1", "a2", "a3", "b1", "b2")) {
                assertThat(r.out()).containsPattern("(?m)^  " + id + "  issued by secondary: version 1, serial [0-9a-f]+");
            }
            // each of the primary's certificates failed over by itself, recorded as the single issuance records it
            assertThat(s.history().query(EventQuery.all().kind(EventKinds.ACME_FAILOVER))).extracting(HistoryEvent::subject)
                    .containsExactlyInAnyOrder("a1", "a2", "a3");
            // two slots: the CA that is down got one, the secondary's own certificates the other — not both to the first come
            List<HistoryEvent> leases = s.history().query(EventQuery.all().kind(EventKinds.LEASE_ACQUIRED));
            assertThat(leases.subList(0, 2)).extracting(HistoryEvent::subject).containsExactlyInAnyOrder("a1", "b1");
        } finally {
            lab.primary.start();
        }
    }

    private static String[] concat(String[] a, String... more) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void anUnknownCertificateAmongSeveralIsAUsageErrorBeforeAnythingIsOrdered() throws Exception {
        try (CompositionRoot s = lab.workspace(dir.resolve("ws"), dns01(List.of("ok1", "ok2")))) {
            long orders = lab.primary.requests("POST /order-plz");
            CliRun r = CliRun.run(args(List.of("ok1", "nope", "ok2"), s.workspace().root().toString()));
            assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).contains("no certificate 'nope'", "ok1");
            assertThat(lab.primary.requests("POST /order-plz") - orders).isZero();
        }
    }
}
