package dev.certops.acme.dns;

import dev.certops.config.DnsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExecProviderTest {
    @TempDir Path dir;

    private Path script(String body) throws Exception {
        Path s = dir.resolve("hook.sh");
        Files.writeString(s, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwx------"));
        return s;
    }

    private static DnsProvider provider(Map<String, String> settings) throws DnsProviderException {
        return DnsProviders.build(new DnsConfig("hook", "exec", settings, 7), n -> null);
    }

    @Test
    void scriptGetsActionNameAndValueAsSeparateArguments() throws Exception {
        Path args = dir.resolve("args.txt");
        DnsProvider p = provider(Map.of("command", script("for a in \"$@\"; do echo \"[$a]\" >> '" + args + "'; done").toString()));

        p.present("_acme-challenge.example.test.", "value with 'quotes' $HOME");
        p.cleanUp("_acme-challenge.example.test.", "value with 'quotes' $HOME");

        assertThat(Files.readAllLines(args)).containsExactly(
                "[present]", "[_acme-challenge.example.test.]", "[value with 'quotes' $HOME]",
                "[cleanup]", "[_acme-challenge.example.test.]", "[value with 'quotes' $HOME]");
    }

    @Test
    void scriptAlsoGetsTheContractsEnvironmentVariables() throws Exception {
        Path env = dir.resolve("env.txt");
        DnsProvider p = provider(Map.of("command", script("echo \"$CERTOPS_DNS_ACTION|$CERTOPS_DNS_NAME|$CERTOPS_DNS_VALUE|$CERTOPS_DNS_PROVIDER\" >> '"
                + env + "'").toString()));

        p.present("_acme-challenge.example.test.", "digest");

        assertThat(Files.readAllLines(env)).containsExactly("present|_acme-challenge.example.test.|digest|hook");
    }

    @Test
    void nonZeroExitIsReportedWithTheScriptsStderr() throws Exception {
        DnsProvider p = provider(Map.of("command", script("echo 'zone example.test is locked' >&2; exit 3").toString()));

        assertThatThrownBy(() -> p.present("_acme-challenge.example.test.", "v"))
                .isInstanceOf(DnsProviderException.class)
                .hasMessageStartingWith("exec: ")
                .hasMessageContaining("present _acme-challenge.example.test. failed with exit code 3: zone example.test is locked");
    }

    @Test
    void scriptThatHangsIsStoppedAtTheTimeout() throws Exception {
        DnsProvider p = provider(Map.of("command", script("exec sleep 30").toString(), "timeout", "300ms"));

        assertThatThrownBy(() -> p.present("_acme-challenge.example.test.", "v"))
                .isInstanceOf(DnsProviderException.class)
                .hasMessageContaining("did not finish within 300ms and was stopped");
    }

    @Test
    void commandThatIsNotExecutableIsRejectedWhenBuilt() throws Exception {
        Path plain = Files.writeString(dir.resolve("plain.sh"), "#!/bin/sh\n");

        assertThatThrownBy(() -> provider(Map.of("command", plain.toString())))
                .isInstanceOf(DnsProviderException.class)
                .hasMessage("exec: key 'command' names " + plain.toAbsolutePath() + ", which is not an executable file;"
                        + " give the path of a script and make it executable (chmod +x) (dns provider 'hook', certops.yaml line 7)");
    }
}
