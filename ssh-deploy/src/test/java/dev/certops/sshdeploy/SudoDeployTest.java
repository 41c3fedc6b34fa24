package dev.certops.sshdeploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.config.CertificateConfig;
import dev.certops.config.DeploymentConfig;
import dev.certops.deploy.DeployBundle;
import dev.certops.deploy.HostCheck;
import dev.certops.deploy.HostOutcome;
import dev.certops.deploy.RolloutResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real non-root deploy user (useradd) logging in over the real sshd, with {@code sudo: true}:
 * the certificate folders are root's, nginx runs as root. The sudoers entry is written by the
 * test into /etc/sudoers.d (0440, checked with visudo) and removed after each test.
 */
class SudoDeployTest {
    static final String USER = "certopsfleet";
    static final String LINE = USER + " ALL=(root) NOPASSWD: /usr/bin/mkdir, /usr/bin/install, /usr/bin/mv, /usr/bin/ln, /usr/bin/rm, "
            + "/usr/bin/chown, /usr/bin/base64, /usr/sbin/nginx";
    static final Path SUDOERS = Path.of("/etc/sudoers.d/certops-fleet-test");
    @TempDir static Path dir;
    private static DeployLab lab;
    private static boolean createdUser;

    @BeforeAll
    static void start() throws Exception {
        if (run("id", "-u", USER) != 0) {
            assertThat(run("useradd", "-m", "-s", "/bin/sh", USER)).isZero();
            createdUser = true;
        }
        assertThat(run("usermod", "-p", "*", USER)).as("no password, but not locked: sshd refuses a locked account").isZero();
        lab = DeployLab.start(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        lab.close();
        Files.deleteIfExists(SUDOERS);
        if (createdUser) run("userdel", "-r", USER);
    }

    @AfterEach
    void removeSudoers() throws IOException {
        Files.deleteIfExists(SUDOERS);
    }

    @Test
    void withoutTheSudoersEntryTheDeployFailsNamingTheLineToAddAndNothingChanges() throws Exception {
        lab.addSudoHost("locked", USER, List.of("api"));
        CertificateConfig api = lab.certificateServedAt("api", List.of(List.of("locked")));
        Path folder = lab.certFolder("locked", "api");
        List<String> before = names(folder.resolve("releases"));

        RolloutResult r = lab.deployerByCertificate().deploy(api, lab.hosts(), lab.newVersion("api", "2"), Set.of(), (h, s, w) -> { });

        assertThat(r.ok()).isFalse();
        assertThat(r.hosts().get(0)).isInstanceOfSatisfying(HostOutcome.Failed.class, f -> {
            assertThat(f.liveTouched()).isFalse();
            assertThat(f.reason()).contains("sudo on locked refused 'mkdir", "without a password", "nothing was changed",
                    "visudo -f /etc/sudoers.d/certops", LINE);
        });
        assertThat(lab.liveRelease("locked", "api")).isEqualTo(DeployLab.INITIAL_RELEASE);
        assertThat(names(folder.resolve("releases"))).isEqualTo(before);
        lab.awaitServedAt("api", lab.oldSha256());
        assertThat(stagingFoldersLeft()).isEmpty();
    }

    @Test
    void withTheSudoersEntryDeployReloadAndRollbackWorkWithOwnerGroupAndModesApplied() throws Exception {
        writeSudoers(LINE);
        lab.addSudoHost("fleet1", USER, List.of("shop"));
        CertificateConfig shop = lab.certificateServedAt("shop", List.of(List.of("fleet1")))
                .withDeployment(new DeploymentConfig(Optional.empty(), List.of(), Optional.of("root"), Optional.of(USER), Optional.empty(), Optional.empty(), Optional.empty()));
        assertThat(HostCheck.run(lab.connectors(), lab.host("fleet1"), List.of(shop), Duration.ofSeconds(30)))
                .allSatisfy(l -> assertThat(l.ok()).as(l.what() + ": " + l.detail()).isTrue())
                .anySatisfy(l -> assertThat(l.what()).isEqualTo("sudo"));
        DeployBundle next = lab.newVersion("shop", "2");

        RolloutResult r = lab.deployerByCertificate().deploy(shop, lab.hosts(), next, Set.of(), (h, s, w) -> { });

        assertThat(r.ok()).as(r.summary()).isTrue();
        lab.awaitServedAt("shop", next.leafSha256());
        Path live = lab.certFolder("fleet1", "shop").resolve("live");
        PosixFileAttributes key = Files.readAttributes(live.resolve("privkey.pem"), PosixFileAttributes.class);
        assertThat(key.owner().getName()).isEqualTo("root");
        assertThat(key.group().getName()).isEqualTo(USER);
        assertThat(PosixFilePermissions.toString(key.permissions())).isEqualTo("rw-r-----");
        PosixFileAttributes cert = Files.readAttributes(live.resolve("fullchain.pem"), PosixFileAttributes.class);
        assertThat(PosixFilePermissions.toString(cert.permissions())).isEqualTo("rw-r--r--");
        assertThat(cert.owner().getName()).isEqualTo("root");
        assertThat(Files.getOwner(Files.readSymbolicLink(live).isAbsolute() ? live : live.getParent().resolve(Files.readSymbolicLink(live))).getName()).isEqualTo("root");

        HostOutcome back = lab.deployerByCertificate().rollback(shop, lab.hosts(), "fleet1", (h, s, w) -> { });

        assertThat(back).isInstanceOfSatisfying(HostOutcome.RolledBack.class, rb -> assertThat(rb.restoredVerified()).as(rb.summary()).isTrue());
        assertThat(lab.liveRelease("fleet1", "shop")).isEqualTo(DeployLab.INITIAL_RELEASE);
        lab.awaitServedAt("shop", lab.oldSha256());
        assertThat(stagingFoldersLeft()).isEmpty();
    }

    private static void writeSudoers(String line) throws Exception {
        Path tmp = SUDOERS.resolveSibling(".certops-fleet-test.tmp");
        Files.writeString(tmp, line + "\n");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("r--r-----"));
        assertThat(run("visudo", "-c", "-q", "-f", tmp.toString())).as("visudo accepts " + line).isZero();
        Files.move(tmp, SUDOERS, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static List<String> stagingFoldersLeft() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/tmp"))) {
            return s.filter(p -> p.getFileName().toString().startsWith("certops-staging.")).filter(p -> {
                try {
                    return Files.getOwner(p).getName().equals(USER);
                } catch (IOException e) {
                    return false;
                }
            }).map(Path::toString).toList();
        }
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static int run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }
}
