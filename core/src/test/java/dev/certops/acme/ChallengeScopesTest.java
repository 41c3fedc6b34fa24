package dev.certops.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.certops.config.Workspace;
import dev.certops.root.CompositionRoot;
import dev.certops.testing.FreePort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How challenges are answered, and the problems that are reported before anything is ordered (config validation catches the rest). */
class ChallengeScopesTest {
    @TempDir Path dir;

    private CompositionRoot workspace(String hosts, String certificates) throws Exception {
        Workspace ws = new Workspace(dir.resolve("ws"));
        ws.create();
        Files.writeString(ws.configFile(), """
                cas:
                  - { id: ca, directory: "https://127.0.0.1:1/dir", agreeToTerms: true }
                hosts:
                %s
                certificates:
                %s
                """.formatted(hosts.indent(2), certificates.indent(2)));
        return new CompositionRoot(ws, Map.of("USER", "tester"), Clock.systemUTC());
    }

    @Test
    void aHostThatCannotBeReachedIsReportedNamingTheHost() throws Exception {
        int closed = FreePort.tcp();
        try (CompositionRoot s = workspace("- { id: far, address: 127.0.0.1, port: " + closed + ", user: certops, certDir: /tmp/certs, webroot: /var/www }",
                "- { id: api, names: [api.example.test], challenge: { type: http-01, host: far } }")) {
            var cert = s.config().certificate("api").orElseThrow();
            assertThatThrownBy(() -> new ChallengeScopes(s.config(), s.connectors(), s.secrets(), s.clock(), Optional.empty()).open(cert))
                    .hasMessageContaining("HTTP-01 needs host 'far' to place the token, and it cannot be reached");
        }
    }

    @Test
    void theInProcessResponderAnswersHttp01WithoutTouchingTheHost() throws Exception {
        try (CompositionRoot s = workspace("- { id: web, address: local, certDir: /tmp/certs, webroot: " + dir.resolve("webroot") + " }",
                "- { id: api, names: [api.example.test], challenge: { type: http-01, host: web } }");
             Http01Responder responder = Http01Responder.start(new java.net.InetSocketAddress("127.0.0.1", 0));
             ChallengeScopes.Scope scope = new ChallengeScopes(s.config(), s.connectors(), s.secrets(), s.clock(), Optional.of(responder)).open(s.config().certificate("api").orElseThrow())) {
            assertThat(scope.publisher()).isInstanceOf(ChallengePublisher.Responder.class);
        }
    }
}
