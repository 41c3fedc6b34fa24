package dev.certops.acme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.config.Workspace;
import dev.certops.crypto.CertificateBuilder;
import dev.certops.crypto.SecretStore;
import dev.certops.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The version index never answers differently from the stored versions themselves. */
class LatestVersionsTest {
    @TempDir Path dir;
    private Workspace ws;
    private CertificateVersions versions;
    private LatestVersions index;
    private final CertificateBuilder.Issued ca = CertificateBuilder.ca("Index CA").build();
    private final List<String> ids = List.of("a", "b", "none");

    @BeforeEach
    void workspace() throws Exception {
        ws = new Workspace(dir.resolve("ws"));
        ws.create();
        versions = new CertificateVersions(ws, new SecretStore(ws.secretsDir(), Optional.empty()));
        index = new LatestVersions(ws, versions);
        store("a");
        store("a");
        store("b");
    }

    @Test
    void theFirstReadWritesTheIndexAndAgreesWithTheVersions() throws Exception {
        assertThat(index.read(ids)).isEqualTo(fromFiles());
        assertThat(index.file()).isRegularFile();
        assertThat(index.read(ids)).as("read from the index").isEqualTo(fromFiles());
    }

    @Test
    void aVersionStoredAfterTheIndexWasWrittenIsTheNewest() throws Exception {
        index.read(ids);
        store("b");
        assertThat(index.read(ids).get(1).orElseThrow().version().number()).isEqualTo(2);
        assertThat(index.read(ids)).isEqualTo(fromFiles());
    }

    @Test
    void aDeletedNewestVersionIsNoLongerTheNewest() throws Exception {
        index.read(ids);
        deleteTree(ws.certsDir().resolve("a").resolve("2"));
        assertThat(index.read(ids).get(0).orElseThrow().version().number()).isEqualTo(1);
        assertThat(index.read(ids)).isEqualTo(fromFiles());
    }

    @Test
    void anIncompleteNewerVersionDoesNotHideTheNewestComplete() throws Exception {
        index.read(ids);
        Files.createDirectories(ws.certsDir().resolve("a").resolve("3")); // a store() under way: version.json not yet written
        assertThat(index.read(ids)).isEqualTo(fromFiles());
        assertThat(index.read(ids).get(0).orElseThrow().version().number()).isEqualTo(2);
    }

    @Test
    void aVersionFileChangedAfterIndexingIsReadAgain() throws Exception {
        index.read(ids);
        Path meta = ws.certsDir().resolve("b").resolve("1").resolve("version.json");
        Files.writeString(meta, Files.readString(meta).replace("\"primary\"", "\"secondary\""));
        assertThat(index.read(ids).get(1).orElseThrow().version().ca()).isEqualTo("secondary");
    }

    @Test
    void aDamagedIndexIsIgnoredAndRewritten() throws Exception {
        index.read(ids);
        Files.writeString(index.file(), "[{\"certificate\":\"a\",\"vers");
        assertThat(index.read(ids)).isEqualTo(fromFiles());
        assertThat(Files.readString(index.file())).contains("\"certificate\":\"b\"");
    }

    @Test
    void aRemovedIndexIsRebuiltWithTheSameAnswer() throws Exception {
        List<Optional<LatestVersions.Latest>> first = index.read(ids);
        Files.delete(index.file());
        assertThat(index.read(ids)).isEqualTo(first);
        assertThat(index.file()).isRegularFile();
    }

    @Test
    void aStagingVersionStoredAfterAProductionOneDoesNotHideIt() throws Exception {
        store("b", true);
        assertThat(index.read(ids).get(1).orElseThrow().version().number()).isEqualTo(1);
        assertThat(index.read(ids).get(1).orElseThrow().version().staging()).isFalse();
    }

    @Test
    void aCertificateWithOnlyStagingVersionsHasNoStoredVersion() throws Exception {
        store("none", true);
        assertThat(index.read(ids).get(2)).isEmpty();
    }

    @Test
    void aProductionVersionStoredAfterAStagingOneIsTheNewest() throws Exception {
        store("b", true);
        index.read(ids);
        store("b");
        assertThat(index.read(ids).get(1).orElseThrow().version().number()).isEqualTo(3);
    }

    @Test
    void versionNumbersAreNamesOfOneToNineDigits() throws Exception {
        Path base = Files.createDirectories(dir.resolve("numbers"));
        for (String n : List.of("1", "12", "x3", "0012", "1234567890")) Files.createDirectories(base.resolve(n));
        Files.writeString(base.resolve("info.json"), "{}");
        assertThat(CertificateVersions.numbers(base).stream().mapToInt(Integer::intValue).max().orElse(-1)).isEqualTo(12);
        Path other = Files.createDirectories(dir.resolve("other").resolve("tmp"));
        assertThat(CertificateVersions.numbers(other.getParent())).isEmpty();
    }

    @Test
    void anIncompleteVersionAKilledIssuanceLeftIsIndexedOnceNotReadAgainEveryRun() throws Exception {
        Files.createDirectories(ws.certsDir().resolve("a").resolve("3")); // killed before version.json was written
        index.read(ids);
        Object written = Files.readAttributes(index.file(), java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        assertThat(index.read(ids).get(0).orElseThrow().version().number()).isEqualTo(2);
        assertThat(Files.readAttributes(index.file(), java.nio.file.attribute.BasicFileAttributes.class).fileKey())
                .as("the index was not rewritten").isEqualTo(written);
    }

    @Test
    void anIncompleteVersionThatIsCompletedLaterBecomesTheNewest() throws Exception {
        store("a");
        Path meta = ws.certsDir().resolve("a").resolve("3").resolve("version.json");
        String json = Files.readString(meta);
        Files.delete(meta); // a store() under way
        assertThat(index.read(ids).get(0).orElseThrow().version().number()).isEqualTo(2);
        Files.writeString(meta, json); // the store() finishes
        assertThat(index.read(ids).get(0).orElseThrow().version().number()).isEqualTo(3);
        assertThat(index.read(ids)).isEqualTo(fromFiles());
    }

    @Test
    void theNewestVersionIsFoundWithoutReadingTheOlderOnes() throws Exception {
        Files.writeString(ws.certsDir().resolve("a").resolve("1").resolve("version.json"), "{ damaged");
        assertThat(versions.latest("a").orElseThrow().number()).isEqualTo(2);
        assertThat(versions.any("a")).isTrue();
        assertThat(versions.any("none")).isFalse();
        assertThat(versions.latest("never-configured")).isEmpty();
    }

    @Test
    void anchoringAVersionKeepsWhatItsFileSaidAndAddsTheHistoryEvent() throws Exception {
        CertificateVersions.Version v = versions.latest("b").orElseThrow();
        Path meta = v.dir().resolve("version.json");
        String before = Files.readString(meta);
        versions.anchor(v, 42, "9f86d081");
        String after = Files.readString(meta);
        assertThat(after).startsWith(before.substring(0, before.lastIndexOf('"') + 1))
                .contains("\"historyAnchor\" : {\n    \"seq\" : 42,\n    \"hash\" : \"9f86d081\"\n  }");
        assertThat(versions.read("b", 1)).contains(v);
        assertThat(Json.mapper().readTree(after).path("historyAnchor").path("seq").asLong()).isEqualTo(42);
    }

    private List<Optional<LatestVersions.Latest>> fromFiles() throws Exception {
        List<Optional<LatestVersions.Latest>> out = new ArrayList<>();
        for (String id : ids) {
            Optional<CertificateVersions.Version> v = versions.latest(id);
            out.add(v.isPresent() ? Optional.of(new LatestVersions.Latest(v.get(), versions.info(v.get()))) : Optional.empty());
        }
        return out;
    }

    private void store(String id) throws Exception {
        store(id, false);
    }

    private void store(String id, boolean staging) throws Exception {
        Instant nb = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        var leaf = CertificateBuilder.leaf(id + ".example.test").validity(nb, nb.plus(Duration.ofDays(90))).signedBy(ca).build();
        versions.store(id, List.of(leaf.certificate(), ca.certificate()), leaf.keys().getPrivate(), "primary", staging, nb);
    }

    private static void deleteTree(Path p) throws Exception {
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(x);
        }
    }
}
