package dev.certops.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.acme.AcmeLab;
import com.sun.net.httpserver.HttpsServer;
import dev.certops.acme.RenewalInformation;
import dev.certops.testing.FaultProxy;
import dev.certops.testing.TestHttps;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.certops.acme.CertificateVersions;
import dev.certops.cli.CliRun;
import dev.certops.config.Workspace;
import dev.certops.crypto.SecretStore;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.root.CompositionRoot;
import dev.certops.testing.CertbotRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real certbot (Debian {@code certbot}) issues two lineages from Pebble into a folder — one by
 * webroot (HTTP-01 through the lab's nginx), renewed once so its archive holds two versions, and
 * one by {@code --manual} DNS-01 whose auth hook publishes the TXT record in challtestsrv — and
 * {@code import certbot} brings both in.
 */
class CertbotImportTest {
    @TempDir static Path dir;
    static AcmeLab lab;
    static Path certbot;

    @BeforeAll
    static void certbotIssuesTwoLineages() throws Exception {
        lab = new AcmeLab(dir.resolve("lab"));
        certbot = dir.resolve("letsencrypt");
        Path hook = dir.resolve("auth-hook.sh");
        Files.writeString(hook, "#!/bin/sh\ncurl -sf -X POST -d '{\"host\":\"_acme-challenge.'\"$CERTBOT_DOMAIN\"'.\",\"value\":\"'\"$CERTBOT_VALIDATION\"'\"}' "
                + lab.dns.managementUrl() + "/set-txt\n");
        hook.toFile().setExecutable(true);
        certbot("certonly", "--webroot", "-w", lab.webroot.toString(), "-d", "web.certbot.test", "--key-type", "ecdsa");
        certbot("renew", "--cert-name", "web.certbot.test", "--force-renewal");
        certbot("certonly", "--manual", "--preferred-challenges", "dns", "--manual-auth-hook", hook.toString(), "-d", "mail.certbot.test",
                "--key-type", "rsa", "--rsa-key-size", "2048");
    }

    private static void certbot(String... args) throws Exception {
        new CertbotRunner(dir, certbot, lab.primary.directoryUrl(), lab.primary.trustAnchorPem()).run(args);
    }

    @AfterAll
    static void stop() {
        if (lab != null) lab.close();
    }

    private static Path workspace(String name) throws Exception {
        Path root = dir.resolve(name);
        // a deploy target whose config test and reload are no-ops: what is checked is the swap to the imported or renewed files
        String target = "- { id: target, address: local, certDir: " + root.resolve("target") + ", test: \"true\", reload: \"true\" }";
        lab.workspace(root, target, "[]", lab.primary.directoryUrl(), lab.secondary.directoryUrl(), Clock.systemUTC()).close();
        return root;
    }

    @Test
    void aDryRunShowsTheEntriesAndVersionsAndChangesNothing() throws Exception {
        Path ws = workspace("dry");
        String before = Files.readString(ws.resolve("certops.yaml"));
        CliRun r = CliRun.run("import", "certbot", "--dir", certbot.toString(), "--dry-run", "--workspace", ws.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("- id: web.certbot.test").contains("- id: mail.certbot.test").contains("# versions that would be stored:");
        assertThat(r.out().lines().filter(l -> l.startsWith("#   web.certbot.test  serial"))).hasSize(2);
        assertThat(Files.readString(ws.resolve("certops.yaml"))).isEqualTo(before);
        assertThat(ws.resolve("certs/web.certbot.test")).doesNotExist();
    }

    @Test
    void bothLineagesComeInWithEveryVersionThenOneIsRenewedFromPebbleAndTheOtherDeployedAsImported() throws Exception {
        Path ws = workspace("real");
        CliRun r = CliRun.run("import", "certbot", "--dir", certbot.toString(), "--workspace", ws.toString());
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("web.certbot.test: added to certops.yaml — 2 version(s) stored")
                .contains("mail.certbot.test: added to certops.yaml — 1 version(s) stored").contains("to do: certbot ran manual hooks");
        String config = Files.readString(ws.resolve("certops.yaml"));
        assertThat(config).contains("names: [web.certbot.test]").contains("key: ec-p256").contains("cas: [primary]")
                .contains("challenge: { type: http-01, host: web }").contains("names: [mail.certbot.test]").contains("key: rsa-2048");
        assertThat(CliRun.run("config", "check", "--workspace", ws.toString()).exitCode()).isZero();

        Workspace w = new Workspace(ws);
        CertificateVersions versions = new CertificateVersions(w, new SecretStore(w.secretsDir(), Optional.empty()));
        List<CertificateVersions.Version> web = versions.list("web.certbot.test");
        assertThat(web).hasSize(2).allSatisfy(v -> assertThat(v.ca()).isEqualTo("primary"));
        assertThat(web.get(0).issuedAt()).isBefore(web.get(1).issuedAt());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(w.secretsDir().resolve(web.get(1).keyRef())))).isEqualTo("rw-------");
        try (CompositionRoot s = new CompositionRoot(w, Map.of(), Clock.systemUTC())) {
            List<String> serials = new ArrayList<>();
            s.history().forEach(EventQuery.all().kind(EventKinds.RATELIMIT_IMPORTED), e -> serials.add(e.details()));
            assertThat(serials).as("the budget counts every imported issuance").hasSize(3);
        }
        assertThat(CliRun.run("import", "certbot", "--dir", certbot.toString(), "--workspace", ws.toString()).out())
                .as("importing again changes nothing").contains("web.certbot.test: already configured — 0 version(s) stored, 2 already there");

        // the webroot lineage renews from Pebble through certops (HTTP-01 through the host's webroot) and deploys
        String withDeploy = Files.readString(ws.resolve("certops.yaml")).replace("    challenge: { type: http-01, host: web }\n",
                "    challenge: { type: http-01, host: web }\n    deploy: { waves: [[target]] }\n");
        Files.writeString(ws.resolve("certops.yaml"), withDeploy);
        CliRun issue = CliRun.run("issue", "web.certbot.test", "--workspace", ws.toString());
        assertThat(issue.exitCode()).as(issue.out() + issue.err()).isZero();
        assertThat(versions.list("web.certbot.test")).hasSize(3);
        CliRun deploy = CliRun.run("deploy", "web.certbot.test", "--workspace", ws.toString());
        // the local target serves no endpoint, so nothing can prove the new files are served: deployed, with a warning (exit 1)
        assertThat(deploy.exitCode()).as(deploy.out() + deploy.err()).isEqualTo(1);
        assertThat(deploy.out()).contains("NOT verified");
        String live = Files.readString(ws.resolve("target/live/fullchain.pem"));
        assertThat(live).isEqualTo(versions.fullchainPem(versions.list("web.certbot.test").get(2)));
    }

    @Test
    void theDnsLineageIsDeployedAsImported() throws Exception {
        Path ws = workspace("asis");
        assertThat(CliRun.run("import", "certbot", "--dir", certbot.toString(), "--workspace", ws.toString()).exitCode()).isZero();
        String config = Files.readString(ws.resolve("certops.yaml")).replace("    names: [mail.certbot.test]\n",
                "    names: [mail.certbot.test]\n    deploy: { waves: [[target]] }\n");
        Files.writeString(ws.resolve("certops.yaml"), config);
        CliRun deploy = CliRun.run("deploy", "mail.certbot.test", "--workspace", ws.toString());
        // the local target serves no endpoint, so nothing can prove the new files are served: deployed, with a warning (exit 1)
        assertThat(deploy.exitCode()).as(deploy.out() + deploy.err()).isEqualTo(1);
        assertThat(deploy.out()).contains("NOT verified");
        Workspace w = new Workspace(ws);
        CertificateVersions versions = new CertificateVersions(w, new SecretStore(w.secretsDir(), Optional.empty()));
        assertThat(Files.readString(ws.resolve("target/live/fullchain.pem")))
                .isEqualTo(versions.fullchainPem(versions.list("mail.certbot.test").get(0)))
                .isEqualTo(Files.readString(certbot.resolve("archive/mail.certbot.test/fullchain1.pem")));
    }
    @Test
    void theFirstRenewalOfAnImportedLineageAsksTheSameCaToReplaceTheImportedCertificate() throws Exception {
        Path ws = workspace("ari");
        assertThat(CliRun.run("import", "certbot", "--dir", certbot.toString(), "--workspace", ws.toString()).exitCode()).isZero();
        Workspace w = new Workspace(ws);
        CertificateVersions versions = new CertificateVersions(w, new SecretStore(w.secretsDir(), Optional.empty()));
        String importedAriId = RenewalInformation.ariId(versions.leaf(versions.list("web.certbot.test").get(1)));
        // Pebble 2.4 has no ARI: a proxy adds renewalInfo to its directory, answered in process (the window has begun)
        HttpsServer ari = TestHttps.server(lab.primary.tls());
        ari.createContext("/renewal-info/", ex -> {
            byte[] b = ("{\"suggestedWindow\":{\"start\":\"" + Instant.now().minus(Duration.ofDays(1)) + "\",\"end\":\""
                    + Instant.now().plus(Duration.ofDays(1)) + "\"}}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        ari.start();
        try (FaultProxy proxy = new FaultProxy(lab.primary, lab.primary.tls().certPem(), lab.primary.tls().keyPem())) {
            proxy.addToDirectory("renewalInfo", "https://127.0.0.1:" + ari.getAddress().getPort() + "/renewal-info");
            Files.writeString(ws.resolve("certops.yaml"), Files.readString(ws.resolve("certops.yaml"))
                    .replace(lab.primary.directoryUrl().toString(), proxy.directoryUrl().toString()));

            CliRun renew = CliRun.run("renew", "--cert", "web.certbot.test", "--workspace", ws.toString());

            assertThat(versions.list("web.certbot.test")).as(renew.out() + renew.err()).hasSize(3).last().satisfies(v -> assertThat(v.ca()).isEqualTo("primary"));
            List<String> orders = proxy.requests().stream().filter(r -> r.path().startsWith("/order-plz")).map(CertbotImportTest::payload).toList();
            assertThat(orders).singleElement().satisfies(o -> assertThat(o).contains("\"replaces\":\"" + importedAriId + "\""));
        } finally {
            ari.stop(0);
        }
    }

    /** The decoded payload of a JWS request (flattened JSON). */
    private static String payload(FaultProxy.Request r) {
        Matcher m = Pattern.compile("\"payload\"\\s*:\\s*\"([^\"]*)\"").matcher(r.bodyText());
        return m.find() ? new String(Base64.getUrlDecoder().decode(m.group(1)), StandardCharsets.UTF_8) : "";
    }
}
