package dev.certops.app.settings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.app.common.BackgroundExecutor;
import dev.certops.config.Workspace;
import dev.certops.deploy.HostKeys;
import dev.certops.sandbox.Sandbox;
import dev.certops.root.CompositionRoot;
import dev.certops.testing.ChallTestSrvFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsViewModelTest {
    @TempDir Path dir;

    private static SettingsViewModel vm(CompositionRoot s) {
        return new SettingsViewModel(s, BackgroundExecutor.inline(), h -> {
            try {
                return s.connectors().hostKeys(h);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void showsTheWorkspacesCasHostsAndThresholdsAndALocalHostHasNoKeyToTrust() throws Exception {
        Workspace ws = new Workspace(dir.resolve("ws"));
        ws.create();
        Files.writeString(ws.configFile(), """
                cas:
                  - { id: main-ca, directory: "https://acme.example.test/dir", agreeToTerms: true }
                hosts:
                  - { id: web-1, address: local, certDir: /tmp/certs }
                certificates:
                  - { id: api, names: [api.example.test] }
                """);
        try (CompositionRoot s = new CompositionRoot(ws, Map.of("USER", "tester"), Clock.systemUTC())) {
            SettingsViewModel vm = vm(s);
            vm.reload();
            assertThat(vm.cas()).extracting(SettingsViewModel.Item::id).containsExactly("main-ca");
            assertThat(vm.hosts()).singleElement().satisfies(h -> assertThat(h.description()).startsWith("this machine"));
            assertThat(vm.thresholdsProperty().get()).startsWith("warning at 30 days left, critical at 15, emergency at 7");
            assertThat(vm.checks()).as("nothing referenced, nothing missing").isEmpty();
            vm.scanKey("web-1", k -> { throw new AssertionError("a local host has no key"); });
            assertThat(vm.messageProperty().get()).contains("without SSH", "no host key to trust");
        }
    }

    @Test
    void checksListWhatCertopsYamlPointsAtThatCannotBeUsedAsConfigCheckDoes() throws Exception {
        Workspace ws = new Workspace(dir.resolve("ws"));
        ws.create();
        Files.writeString(ws.configFile(), """
                hosts:
                  - { id: web-1, address: web-1.example.test, certDir: /etc/ssl/certops }
                alerts:
                  - { id: ops, type: webhook, url: "secret:ops-hook" }
                """);
        try (CompositionRoot s = new CompositionRoot(ws, Map.of("USER", "tester"), Clock.systemUTC())) {
            SettingsViewModel vm = vm(s);
            vm.reload();
            assertThat(vm.checks()).extracting(SettingsViewModel.Item::id).containsExactly("hosts[web-1].knownHosts", "alerts[ops].url");
            assertThat(vm.checks().get(0).description()).startsWith("note: ").contains("press Check and trust the SSH host key… for web-1 (Settings → Hosts)");
            assertThat(vm.checks().get(1).description()).startsWith("✘ the secret 'ops-hook' is not in secrets/").contains("store it with certops secret set ops-hook in a terminal (the console takes no secrets)");
            s.secrets().write("ops-hook", "https://hooks.example.test/x".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            vm.reload();
            assertThat(vm.checks()).extracting(SettingsViewModel.Item::id).containsExactly("hosts[web-1].knownHosts");
        }
    }

    @Test
    void anEditThatBreaksCertopsYamlIsAMessageWithTheNextStep() throws Exception {
        Workspace ws = new Workspace(dir.resolve("ws"));
        ws.create();
        try (CompositionRoot s = new CompositionRoot(ws, Map.of("USER", "tester"), Clock.systemUTC())) {
            SettingsViewModel vm = vm(s);
            Files.writeString(ws.configFile(), "hosts:\n  - { id: web-1 }\n");
            vm.reload();
            assertThat(vm.messageProperty().get()).startsWith("certops.yaml has an error").contains("then Reload");
        }
    }

    /** Against the sandbox's real sshd: with known_hosts emptied, the key is read, shown, and only then trusted. */
    @Test
    void anUnknownSshKeyIsTrustedOnlyAfterItsFingerprintWasShown() throws Exception {
        Sandbox sandbox = new Sandbox(dir.resolve("sandbox"));
        sandbox.up();
        try (CompositionRoot s = new CompositionRoot(sandbox.workspace(), Map.of("USER", "tester"), Clock.systemUTC())) {
            var host = s.config().hosts().stream().filter(h -> h.id().equals("web1")).findFirst().orElseThrow();
            Path knownHosts = sandbox.workspace().resolve(host.knownHosts().orElseThrow());
            Files.writeString(knownHosts, "");
            SettingsViewModel vm = vm(s);
            vm.reload();
            List<HostKeys.HostKeyInfo> shown = new ArrayList<>();
            vm.scanKey("web1", shown::add);
            assertThat(shown).singleElement().satisfies(k -> assertThat(k.fingerprint()).startsWith("SHA256:"));
            assertThat(Files.readString(knownHosts)).as("nothing is trusted by reading the key").isEmpty();
            vm.trust("web1", shown.get(0));
            assertThat(vm.messageProperty().get()).contains("is trusted", shown.get(0).fingerprint());
            assertThat(Files.readString(knownHosts)).contains(shown.get(0).knownHostsLine().strip());
        } finally {
            sandbox.down();
        }
    }

    @Test
    void testDnsRunsTheProviderTestOffTheUiThreadAndSaysTheOutcomeInWords() throws Exception {
        try (ChallTestSrvFixture lab = ChallTestSrvFixture.start(Files.createDirectories(dir.resolve("dns")))) {
            Workspace ws = new Workspace(dir.resolve("ws"));
            ws.create();
            Files.writeString(ws.configFile(), """
                    resolvers: ["%s"]
                    dns:
                      - { id: lab, type: challtestsrv, url: "%s", pollInterval: 100ms }
                    certificates:
                      - { id: api, names: ["*.api.example.test"], challenge: { type: dns-01, dns: lab } }
                    """.formatted(lab.dnsHostPort(), lab.managementUrl()));
            try (CompositionRoot s = new CompositionRoot(ws, Map.of("USER", "tester"), Clock.systemUTC())) {
                List<String> ran = new ArrayList<>();
                SettingsViewModel vm = new SettingsViewModel(s, recording(ran), h -> java.util.Optional.empty());
                vm.reload();
                assertThat(vm.suggestedDnsName("lab")).isEqualTo("api.example.test");

                vm.testDns("lab", vm.suggestedDnsName("lab"));

                assertThat(ran).contains("Testing DNS provider lab");
                assertThat(vm.messageProperty().get()).startsWith("dns provider 'lab' works for api.example.test (all 5 steps in ");
                assertThat(vm.detailsProperty().get()).contains("✔ publish TXT _acme-challenge.api.example.test.", "✔ see it gone from every authoritative server");
            }
        }
    }

    @Test
    void testDnsWithoutANameSaysWhatToGive() throws Exception {
        Workspace ws = new Workspace(dir.resolve("ws"));
        ws.create();
        Files.writeString(ws.configFile(), """
                dns:
                  - { id: lab, type: challtestsrv, url: "http://127.0.0.1:1" }
                """);
        try (CompositionRoot s = new CompositionRoot(ws, Map.of("USER", "tester"), Clock.systemUTC())) {
            SettingsViewModel vm = vm(s);
            vm.reload();
            vm.testDns("lab", " ");
            assertThat(vm.messageProperty().get()).startsWith("Give a name to test with");
        }
    }

    /** Runs work on the calling thread like {@link BackgroundExecutor#inline()}, recording each task's title. */
    private static BackgroundExecutor recording(List<String> titles) {
        BackgroundExecutor inline = BackgroundExecutor.inline();
        return new BackgroundExecutor() {
            @Override
            public <T> void run(String title, java.util.concurrent.Callable<T> work, java.util.function.Consumer<T> onDone,
                                java.util.function.Consumer<Throwable> onError) {
                titles.add(title);
                inline.run(title, work, onDone, onError);
            }
        };
    }
}
