package dev.certops.team;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.cli.CliRun;
import dev.certops.config.Workspace;
import dev.certops.testing.ChallTestSrvFixture;
import dev.certops.testing.FreePort;
import dev.certops.testing.PebbleFixture;
import dev.certops.testing.PostgresFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@link TeamWorld}'s people on one team workspace: history in a new database of the shared real PostgreSQL,
 * a real Pebble CA (behind its own challtestsrv DNS) and one certificate {@code web} named {@code name}, validated
 * by HTTP-01 on 127.0.0.2; team/allowed_signers recorded by carol (admin). Shared per test class; closed by handle.
 */
public final class TeamCaWorkspace implements AutoCloseable {
    public final TeamWorld team;
    public final ChallTestSrvFixture dns;
    public final PebbleFixture ca;
    public final Workspace ws;

    private TeamCaWorkspace(TeamWorld team, ChallTestSrvFixture dns, PebbleFixture ca, Workspace ws) {
        this.team = team;
        this.dns = dns;
        this.ca = ca;
        this.ws = ws;
    }

    public static TeamCaWorkspace start(Path dir, String name) throws Exception {
        TeamWorld team = TeamWorld.start(dir.resolve("keys"));
        ChallTestSrvFixture dns = ChallTestSrvFixture.start(Files.createDirectories(dir.resolve("dns")));
        PebbleFixture ca = PebbleFixture.builder(dir.resolve("ca")).httpPort(FreePort.tcp()).dns(dns).start();
        dns.addA(name, "127.0.0.2");
        Workspace ws = new Workspace(dir.resolve("ws"));
        ws.create();
        Files.writeString(ws.configFile(), """
                history: { url: "%s", user: certops, ssl: disable }
                cas:
                  - { id: primary, directory: "%s", trust: "%s", agreeToTerms: true }
                hosts:
                  - { id: site, address: local, certDir: "%s", webroot: "%s" }
                certificates:
                  - { id: web, names: [%s], challenge: { type: http-01, host: site } }
                """.formatted(PostgresFixture.shared().newDatabase(), ca.directoryUrl(), ca.trustAnchorPem(), ws.root().resolve("live"),
                ws.root().resolve("webroot"), name));
        team.writeTeam(ws.root());
        TeamCaWorkspace w = new TeamCaWorkspace(team, dns, ca, ws);
        CliRun recorded = CliRun.run(w.env("carol"), "", "team", "record", "--workspace", ws.root().toString());
        assertThat(recorded.exitCode()).as(recorded.err()).isZero();
        return w;
    }

    /** {@code who}'s environment: signing as in {@link TeamWorld#as}, with the team database's password. */
    public Map<String, String> env(String who) {
        Map<String, String> env = new HashMap<>(team.as(who));
        env.put("CERTOPS_PG_PASSWORD", PostgresFixture.password());
        return env;
    }

    @Override
    public void close() {
        ca.close();
        dns.close();
        team.close();
    }
}
