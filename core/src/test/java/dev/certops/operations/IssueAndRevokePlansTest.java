package dev.certops.operations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.acme.AcmeLab;
import dev.certops.acme.CertificateVersions;
import dev.certops.acme.FailoverPolicy;
import dev.certops.acme.IssuanceListener;
import dev.certops.acme.IssuanceService.RevocationReason;
import dev.certops.acme.IssueRequest;
import dev.certops.root.CompositionRoot;
import dev.certops.runbook.Run;
import dev.certops.runbook.RunListener;
import dev.certops.runbook.RunState;
import dev.certops.runbook.RunbookDefinition;
import dev.certops.runbook.StepState;
import dev.certops.runbook.RunbookLoader;
import dev.certops.runbook.action.RunbookServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an issuance's or a revocation's gate shows is the object then executed — its CAs in their order, its
 * version and serial — whoever asks (the operations layer, a runbook step), even when certops.yaml or the stored
 * versions change between the gate and the approval. Against two real Pebbles (one lab for the class).
 */
class IssueAndRevokePlansTest {
    @TempDir static Path labDir;
    @TempDir Path dir;
    static AcmeLab lab;

    static final String API = "- { id: api, names: [api.example.test], challenge: { type: dns-01, dns: lab } }";

    @BeforeAll
    static void start() throws Exception { lab = new AcmeLab(labDir); }

    @AfterAll
    static void stop() { lab.close(); }

    private CompositionRoot workspace() throws Exception {
        return lab.workspace(dir.resolve("ws"), "", API, lab.primary.directoryUrl(), lab.secondary.directoryUrl(), Clock.systemUTC());
    }

    /** The operator edits certops.yaml while a gate is open: api now orders from the secondary only. */
    private static void onlySecondaryFromNowOn(CompositionRoot session) throws Exception {
        Path file = session.workspace().configFile();
        Files.writeString(file, Files.readString(file).replace("dns: lab } }", "dns: lab }, cas: [secondary] }"));
        assertThat(session.reloadConfig().casFor(session.config().certificate("api").orElseThrow())).extracting(c -> c.id())
                .containsExactly("secondary");
    }

    private static Run start(CompositionRoot session, String stepYaml) throws Exception {
        RunbookServices rb = session.runbooks();
        RunbookDefinition def = new RunbookLoader(rb.actions().types()).parse(Path.of("one.yaml"), "one.yaml", """
                name: one-step
                title: One step
                steps:
                  - %s
                """.formatted(stepYaml));
        return rb.engine().start(def, Map.of(), false, RunListener.NONE);
    }

    /** A new version of api, issued through the operations layer. */
    private static CertificateVersions.Version issued(CertificateOperations ops) throws Exception {
        return ops.issue(ops.planIssue(IssueRequest.of("api"), FailoverPolicy.defaults(), false), IssuanceListener.NONE, "test issue", n -> { },
                Optional.empty());
    }

    @Test
    void theIssuanceOrdersFromTheCasItsPlanNamedEvenWhenCertopsYamlChangedMeanwhile() throws Exception {
        try (CompositionRoot session = workspace()) {
            CertificateOperations ops = session.operations();
            IssuePlan plan = ops.planIssue(IssueRequest.of("api"), FailoverPolicy.defaults(), false);
            assertThat(plan.summary()).contains("'primary' then 'secondary'");
            onlySecondaryFromNowOn(session);

            CertificateVersions.Version v = ops.issue(plan, IssuanceListener.NONE, "test issue", n -> { }, Optional.empty());

            assertThat(v.ca()).as("issued from the plan's first CA, not from what certops.yaml says now").isEqualTo(plan.firstCa().id())
                    .isEqualTo("primary");
        }
    }

    @Test
    void aRunbookIssueStepOrdersFromTheCaItsGateNamedEvenWhenCertopsYamlChangedMeanwhile() throws Exception {
        try (CompositionRoot session = workspace()) {
            Run run = start(session, "{ id: issue, title: Issue, action: issue, with: { certificate: api } }");
            String gate = String.join("\n", run.preview().orElseThrow().details());
            assertThat(gate).contains("from CA 'primary'", "failing over to 'secondary'");
            onlySecondaryFromNowOn(session);

            RunState s = run.advance();

            assertThat(s.steps()).as(s.steps().toString()).allMatch(x -> x.status() == StepState.Status.SUCCEEDED);
            assertThat(run.state().steps().get(0).outputs()).containsEntry("ca", "primary");
        }
    }

    @Test
    void aRunbookRevokeStepRevokesTheSerialItsGateShowedWhenANewerVersionIsStoredMeanwhile() throws Exception {
        try (CompositionRoot session = workspace()) {
            CertificateOperations ops = session.operations();
            CertificateVersions.Version first = issued(ops);
            Run run = start(session, "{ id: revoke, title: Revoke, action: revoke, with: { certificate: api, reason: superseded } }");
            String gate = String.join("\n", run.preview().orElseThrow().details());
            assertThat(gate).contains("revoke serial " + first.serial());
            CertificateVersions.Version second = issued(ops);

            RunState s = run.advance();

            assertThat(s.steps()).as(s.steps().toString()).allMatch(x -> x.status() == StepState.Status.SUCCEEDED);
            assertThat(run.state().steps().get(0).outputs()).containsEntry("serial", first.serial());
            assertThat(lab.primary.certStatusBySerial(first.serial())).contains("Revoked");
            assertThat(lab.primary.certStatusBySerial(second.serial())).doesNotContain("Revoked");
        }
    }

    @Test
    void theRevocationRevokesThePlannedVersionWhenANewerVersionIsStoredMeanwhile() throws Exception {
        try (CompositionRoot session = workspace()) {
            CertificateOperations ops = session.operations();
            CertificateVersions.Version first = issued(ops);
            RevokePlan plan = ops.planRevoke("api", Optional.empty(), RevocationReason.SUPERSEDED);
            assertThat(plan.summary()).contains("serial " + first.serial(), "CA 'primary'");
            issued(ops);

            CertificateVersions.Version revoked = ops.revoke(plan, "test revoke", n -> { });

            assertThat(revoked.serial()).isEqualTo(plan.version().serial()).isEqualTo(first.serial());
            assertThat(lab.primary.certStatusBySerial(first.serial())).contains("Revoked");
        }
    }
}
