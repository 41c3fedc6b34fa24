package dev.certops.renew;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.acme.AcmeLab;
import dev.certops.acme.FailoverPolicy;
import dev.certops.alert.AlertCondition;
import dev.certops.alert.ConditionKind;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.operations.CertificateOperations;
import dev.certops.operations.RenewalPlan;
import dev.certops.operations.RenewalResult;
import dev.certops.testing.FaultProxy;
import dev.certops.testing.FreePort;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renew runs against two real Pebbles, real nginx per host and the real deploy path: what is due is
 * issued and deployed (verified by handshake), what is not is left alone, a CA outage fails over,
 * a total outage needs a person and backs off.
 */
class RenewRunTest {
    @TempDir static Path labDir;
    @TempDir Path dir;
    static AcmeLab lab;
    static FaultProxy primaryProxy;
    RenewWorld world;
    final RenewWorld.RecordingAlerts alerts = new RenewWorld.RecordingAlerts();

    @BeforeAll
    static void startLab() throws Exception {
        lab = new AcmeLab(labDir);
        primaryProxy = new FaultProxy(lab.primary, lab.primary.tls().certPem(), lab.primary.tls().keyPem());
    }

    @AfterAll
    static void stopLab() {
        primaryProxy.close();
        lab.close();
    }

    @AfterEach
    void closeWorld() {
        if (world != null) world.close();
    }

    private static URI dead() { return URI.create("https://127.0.0.1:" + FreePort.tcp() + "/dir"); }

    private RenewService service() {
        return new RenewService(world.session, alerts, FailoverPolicy.defaults().withBackoff(Duration.ofMillis(20)), 4);
    }

    private RenewService.Result run() throws Exception {
        RenewService.Attempt a = service().run(RenewService.Request.all(), RenewProgress.NONE);
        assertThat(a).isInstanceOf(RenewService.Ran.class);
        return ((RenewService.Ran) a).result();
    }

    private static Map<String, RenewOutcome> byId(RenewService.Result r) {
        return r.outcomes().stream().collect(Collectors.toMap(RenewOutcome::certificateId, Function.identity()));
    }

    private long events(String kind) throws Exception {
        return world.session.history().query(EventQuery.all().kind(kind)).size();
    }

    @Test
    void renewsExactlyTheDueCertificatesByLifetimeAndAriThenASecondRunDoesNothing() throws Exception {
        world = new RenewWorld(lab, dir, primaryProxy.directoryUrl(), lab.secondary.directoryUrl());
        primaryProxy.addToDirectory("renewalInfo", world.startRenewalInfo(lab.primary.tls()) + "/renewal-info");

        RenewService.Result first = run();

        assertThat(first.exit()).as(first.outcomes().toString()).isZero();
        Map<String, RenewOutcome> o = byId(first);
        assertThat(o.get("due")).isInstanceOf(RenewOutcome.Renewed.class);
        assertThat(o.get("ari")).isInstanceOf(RenewOutcome.Renewed.class);
        assertThat(o.get("fresh")).isInstanceOf(RenewOutcome.NotDue.class);
        assertThat(first.decisions()).filteredOn(d -> d.certificateId().equals("ari")).singleElement()
                .satisfies(d -> assertThat(d.reason()).contains("renewal window"));
        assertThat(first.decisions()).filteredOn(d -> d.certificateId().equals("due")).singleElement()
                .satisfies(d -> assertThat(d.reason()).contains("less than renewBefore"));
        for (String id : List.of("due", "ari")) {
            RenewOutcome.Renewed r = (RenewOutcome.Renewed) o.get(id);
            assertThat(r.ca()).isEqualTo("primary");
            world.awaitServed(id, r.serial()); // served by handshake, steadily (an old nginx worker may answer once more)
        }
        assertThat(world.served("fresh")).isEqualTo(world.seededSerial.get("fresh"));
        assertThat(events(EventKinds.ACME_ORDER_CREATED)).isEqualTo(2);
        assertThat(primaryProxy.requests()).anySatisfy(rq -> assertThat(rq.path()).startsWith("/order-plz"));

        RenewService.Result second = run();

        assertThat(second.exit()).isZero();
        assertThat(second.nothingDone()).as(second.outcomes().toString()).isTrue();
        assertThat(events(EventKinds.ACME_ORDER_CREATED)).as("no new order on the second run").isEqualTo(2);
        assertThat(events(EventKinds.RENEW_RUN_FINISHED)).isEqualTo(2);
        assertThat(alerts.reports).allSatisfy(r -> assertThat(r).isEmpty());
    }

    @Test
    void renewNowExecutesThePlanItsConfirmationShowedCaHostsAndRelease() throws Exception {
        world = new RenewWorld(lab, dir, primaryProxy.directoryUrl(), lab.secondary.directoryUrl());
        CertificateOperations ops = world.session.operations();
        RenewalPlan plan = ops.planRenew("fresh");
        assertThat(plan.summary()).contains("'primary' then 'secondary'", "h-fresh", RenewalPlan.NEW_RELEASE);
        assertThat(plan.hosts()).containsExactly("h-fresh");

        RenewalResult result = ops.renew(plan, line -> { }, "console renew now", notice -> { });

        assertThat(result.plan()).as("the executed plan is the object the confirmation showed").isSameAs(plan);
        assertThat(result).as(result.summary()).isInstanceOfSatisfying(RenewalResult.Renewed.class, r -> {
            assertThat(r.issued().orElseThrow().ca()).isEqualTo(plan.cas().get(0).id());
            assertThat(r.deploy().orElseThrow().plan().hosts()).isEqualTo(plan.hosts());
            assertThat(r.deploy().orElseThrow().ok()).isTrue();
            assertThat(r.summary()).contains("into release " + r.deploy().get().plan().release());
            world.awaitServed("fresh", r.serial());
        });
        assertThat(world.session.history().query(EventQuery.all().kind(EventKinds.RENEW_SUCCEEDED).subject("fresh"))).singleElement()
                .satisfies(e -> assertThat(e.details()).contains("\"ca\":\"primary\""));
    }

    @Test
    void renewsFromTheSecondaryWhenThePrimaryIsDown() throws Exception {
        world = new RenewWorld(lab, dir, dead(), lab.secondary.directoryUrl());

        RenewService.Result r = run();

        assertThat(r.exit()).isZero();
        RenewOutcome due = byId(r).get("due");
        assertThat(due).isInstanceOfSatisfying(RenewOutcome.Renewed.class, x -> assertThat(x.ca()).isEqualTo("secondary"));
        world.awaitServed("due", ((RenewOutcome.Renewed) due).serial()); // an old nginx worker may answer once more after the verified reload
        assertThat(events(EventKinds.ACME_FAILOVER)).isEqualTo(1);
    }

    @Test
    void withEveryCaDownTheRunNeedsAPersonAlertsLeavesTheServedCertificateAndTheNextRunBacksOff() throws Exception {
        world = new RenewWorld(lab, dir, dead(), dead());

        RenewService.Result r = run();

        assertThat(r.exit()).isEqualTo(RunExit.PERSON_NEEDED);
        assertThat(byId(r).get("due")).isInstanceOfSatisfying(RenewOutcome.Failed.class, f -> {
            assertThat(f.noCaWorked()).isTrue();
            assertThat(f.stage()).isEqualTo("issue");
        });
        assertThat(world.served("due")).as("the served certificate is untouched").isEqualTo(world.seededSerial.get("due"));
        List<AlertCondition> reported = alerts.reports.get(0);
        assertThat(reported).filteredOn(c -> c.kind() == ConditionKind.RENEWAL_FAILED).singleElement().satisfies(c -> {
            assertThat(c.subject()).isEqualTo("due");
            assertThat(c.facts()).containsEntry("hosts", "h-due").containsEntry("failure", "ca-unavailable").containsKey("daysLeft");
            assertThat(c.facts().get("daysLeft")).isIn("9", "10");
            assertThat(c.nextStep()).isEqualTo("./certops runbook run renewal-failing --param certificate=due");
        });
        assertThat(alerts.scopes.get(0).covers(ConditionKind.RENEWAL_FAILED, "fresh")).isTrue();

        long attemptsBefore = events(EventKinds.ACME_ATTEMPT);
        RenewService.Result next = run();

        assertThat(byId(next).get("due")).isInstanceOf(RenewOutcome.BackedOff.class);
        assertThat(events(EventKinds.RENEW_BACKED_OFF)).isEqualTo(1);
        assertThat(events(EventKinds.ACME_ATTEMPT)).as("the backed-off run asked no CA").isEqualTo(attemptsBefore);
        assertThat(next.exit()).isEqualTo(RunExit.PERSON_NEEDED);
        assertThat(alerts.reports.get(1)).extracting(AlertCondition::kind).contains(ConditionKind.RENEWAL_FAILED);
    }
}
