package dev.certops.runbook.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.config.Workspace;
import dev.certops.crypto.CertificateBuilder;
import dev.certops.crypto.PemWriter;
import dev.certops.history.EventKinds;
import dev.certops.history.NewEvent;
import dev.certops.runbook.RunState;
import dev.certops.runbook.StepState;
import dev.certops.root.CompositionRoot;
import dev.certops.testing.FreePort;
import dev.certops.testing.NginxFixture;
import dev.certops.testing.Poll;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After failovers, configuration and issuance disagree: the mass-revocation runbook's select step
 * answers "issued by CA primary" from what is served (the serials certops recorded at issuance),
 * and "configured for CA primary" only when asked that by name. Real nginx serves every certificate.
 */
class IssuedBySelectionTest {
    @TempDir static Path dir;
    static NginxFixture nginx;
    static CompositionRoot session;
    static final Map<String, Integer> PORTS = new LinkedHashMap<>();

    @BeforeAll
    static void estateAfterFailovers() throws Exception {
        var root = CertificateBuilder.ca("Failover Root").build();
        nginx = NginxFixture.in(dir.resolve("nginx"));
        Map<String, String> issuedBy = new LinkedHashMap<>();
        // failed over to primary: configured [secondary, primary], served certificate issued by primary
        issuedBy.put("failed-over-to-primary", "primary");
        issuedBy.put("on-primary", "primary");
        // failed over away from primary: configured [primary, secondary], served certificate issued by secondary
        issuedBy.put("failed-over-to-secondary", "secondary");
        // configured for primary, but what it serves was made before certops (no CA of this workspace issued it)
        issuedBy.put("legacy", null);
        Map<String, CertificateBuilder.Issued> leaves = new LinkedHashMap<>();
        for (String id : issuedBy.keySet()) {
            var leaf = CertificateBuilder.leaf(id + ".failover.test").signedBy(root).build();
            leaves.put(id, leaf);
            Path d = Files.createDirectories(dir.resolve(id));
            Files.writeString(d.resolve("fullchain.pem"), PemWriter.certificate(leaf.certificate()));
            Files.writeString(d.resolve("privkey.pem"), PemWriter.privateKey(leaf.keys().getPrivate(), Optional.empty()));
            int port = FreePort.tcp();
            PORTS.put(id, port);
            nginx.addServer(id + ".failover.test", port, d.resolve("fullchain.pem"), d.resolve("privkey.pem"));
        }
        nginx.start();
        for (int p : PORTS.values()) Poll.until(Duration.ofSeconds(10), () -> Poll.accepts(p), "port " + p);
        Path ws = dir.resolve("ws");
        new Workspace(ws).create();
        StringBuilder y = new StringBuilder("cas:\n  - { id: primary, directory: \"https://127.0.0.1:1/dir\" }\n"
                + "  - { id: secondary, directory: \"https://127.0.0.1:2/dir\" }\ncertificates:\n");
        for (String id : issuedBy.keySet()) {
            String cas = id.equals("failed-over-to-primary") ? "[secondary, primary]" : id.equals("legacy") || id.equals("on-primary") ? "[primary]" : "[primary, secondary]";
            y.append("  - { id: ").append(id).append(", names: [").append(id).append(".failover.test], cas: ").append(cas)
                    .append(", endpoints: [{ host: 127.0.0.1, port: ").append(PORTS.get(id)).append(", sni: ").append(id).append(".failover.test }] }\n");
        }
        Files.writeString(new Workspace(ws).configFile(), y.toString());
        session = new CompositionRoot(new Workspace(ws), Map.of("USER", "tester"), Clock.systemUTC());
        for (var e : issuedBy.entrySet()) {
            if (e.getValue() == null) continue;
            session.history().append(new NewEvent(EventKinds.ACME_CERT_ISSUED, e.getKey(), "ok", Map.of("ca", e.getValue(), "staging", false,
                    "account", "https://127.0.0.1/acct/1", "names", List.of(e.getKey() + ".failover.test"),
                    "serial", leaves.get(e.getKey()).info().serial(), "notAfter", leaves.get(e.getKey()).certificate().getNotAfter().toInstant().toString())));
        }
    }

    @AfterAll
    static void stop() {
        if (session != null) session.close();
        if (nginx != null) nginx.close();
    }

    private static StepState select(Map<String, String> params) throws Exception {
        RunState s = RunbookLab.start(session, "mass-revocation", params, false).advance();
        return s.steps().stream().filter(x -> x.stepId().equals("select")).findFirst().orElseThrow();
    }

    private static List<String> strings(Object list) { return ((List<?>) list).stream().map(String::valueOf).toList(); }

    @Test
    void issuedByPrimarySelectsExactlyWhatPrimaryIssuedWhateverTheConfigurationSays() throws Exception {
        StepState select = select(Map.of("ca", "primary"));
        assertThat(select.status()).as(select.summary()).isEqualTo(StepState.Status.SUCCEEDED);
        assertThat(strings(select.outputs().get("set.affected"))).containsExactlyInAnyOrder("failed-over-to-primary", "on-primary");
    }

    @Test
    void estateAffectedAnswersFromTheSamePlaceAndNamesTheConfiguredFilterApart() throws Exception {
        String ws = session.workspace().root().toString();
        dev.certops.cli.CliRun issued = dev.certops.cli.CliRun.run("estate", "affected", "--ca", "primary", "--json", "--workspace", ws, "--timeout", "3000");
        assertThat(issued.out()).contains("\"id\" : \"failed-over-to-primary\"", "\"id\" : \"on-primary\"")
                .doesNotContain("\"id\" : \"failed-over-to-secondary\"", "\"id\" : \"legacy\"");
        dev.certops.cli.CliRun configured = dev.certops.cli.CliRun.run("estate", "affected", "--configured-ca", "primary", "--json", "--workspace", ws, "--timeout", "3000");
        assertThat(configured.out()).contains("\"id\" : \"on-primary\"", "\"id\" : \"failed-over-to-secondary\"", "\"id\" : \"legacy\"")
                .doesNotContain("\"id\" : \"failed-over-to-primary\"");
    }

    @Test
    void configuredForPrimaryIsASeparateNamedFilter() throws Exception {
        StepState select = select(Map.of("configured-ca", "primary"));
        assertThat(strings(select.outputs().get("set.affected"))).containsExactlyInAnyOrder("on-primary", "failed-over-to-secondary", "legacy");
    }
}
