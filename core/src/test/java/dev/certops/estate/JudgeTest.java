package dev.certops.estate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.config.CertificateConfig;
import dev.certops.config.Endpoint;
import dev.certops.config.HostConfig;
import dev.certops.config.Thresholds;
import dev.certops.crypto.CertificateBuilder;
import dev.certops.crypto.ChainCheck;
import dev.certops.crypto.KeyType;
import dev.certops.scan.ClientTrust;
import dev.certops.scan.ServedChain;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Divergence between the hosts of one certificate, judged from what was read (no I/O here). */
class JudgeTest {
    static final CertificateBuilder.Issued CA = CertificateBuilder.ca("Judge CA").build();
    static final CertificateBuilder.Issued OLD = CertificateBuilder.leaf("app.example.test").signedBy(CA).build();
    static final CertificateBuilder.Issued NEW = CertificateBuilder.leaf("app.example.test").signedBy(CA).build();
    static final Endpoint A = new Endpoint("10.0.0.1", 443, "app.example.test");
    static final Endpoint B = new Endpoint("10.0.0.2", 443, "app.example.test");
    static final CertificateConfig CERT = new CertificateConfig("app", List.of("app.example.test"), KeyType.EC_P256, Optional.empty(), List.of(),
            List.of(List.of("web1", "web2")), List.of(A, B), Optional.empty(), false, Optional.empty(), Optional.empty());
    static final ClientTrust TRUST = ClientTrust.with(List.of(CA.certificate()));
    static final Map<String, HostConfig> HOSTS = Map.of("web1", host("web1", "10.0.0.1"), "web2", host("web2", "10.0.0.2"));

    final Judge judge = new Judge(Thresholds.DEFAULT, Instant.now(), new CaNames(Map.of(), Map.of(), List.of()), id -> Optional.ofNullable(HOSTS.get(id)));

    private static HostConfig host(String id, String address) {
        return new HostConfig(id, false, address, 22, "deploy", Optional.empty(), Optional.empty(), Optional.empty(), "nginx",
                Optional.empty(), Optional.empty(), "/etc/certops/app", Optional.empty(), 3);
    }

    private EndpointView served(Endpoint e, CertificateBuilder.Issued leaf) {
        var chain = List.of(leaf.certificate(), CA.certificate());
        return judge.endpoint(Optional.of("app"), e, new Observation.Served(new ServedChain(e, chain, "TLSv1.2", Duration.ZERO), leaf.info(), ChainCheck.analyze(chain),
                ClientVerdict.of(chain, ChainCheck.analyze(chain), TRUST, Instant.now())));
    }

    private DeploymentView live(String host, CertificateBuilder.Issued leaf) {
        return judge.deployment(CERT, HOSTS.get(host), EstateScanner.LiveCopy.read(Optional.of("r1"), leaf.info()));
    }

    @Test
    void hostsThatServeTheSameCertificateAsTheyHoldAreInStep() {
        CertificateView v = judge.certificate(CERT, List.of(served(A, NEW), served(B, NEW)), List.of(live("web1", NEW), live("web2", NEW)));
        assertThat(v.diverged()).isFalse();
        assertThat(v.attention()).isEqualTo(Attention.NONE);
    }

    @Test
    void hostsServingDifferentSerialsAreOutOfStep() {
        CertificateView v = judge.certificate(CERT, List.of(served(A, NEW), served(B, OLD)), List.of());
        assertThat(v.findings()).extracting(Finding::kind).containsExactly(Finding.Kind.HOSTS_DIFFER);
        assertThat(v.findings().get(0).message()).contains(NEW.info().serial(), OLD.info().serial(), "10.0.0.2:443");
    }

    @Test
    void hostsHoldingDifferentSerialsLiveAreOutOfStepAndTheStaleServerDiverges() {
        CertificateView v = judge.certificate(CERT, List.of(served(A, NEW), served(B, NEW)), List.of(live("web1", NEW), live("web2", OLD)));
        assertThat(v.findings()).extracting(Finding::kind).containsExactlyInAnyOrder(Finding.Kind.DIVERGED_FROM_DISK, Finding.Kind.HOSTS_DIFFER);
        assertThat(v.findings()).filteredOn(f -> f.kind() == Finding.Kind.DIVERGED_FROM_DISK).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("10.0.0.2:443", "web2"));
    }

    @Test
    void anUnreadableLiveCopyAsksForAWarningNotAction() {
        var unreadable = judge.deployment(CERT, HOSTS.get("web1"), EstateScanner.LiveCopy.unreadable("permission denied"));
        CertificateView v = judge.certificate(CERT, List.of(served(A, NEW), served(B, NEW)), List.of(unreadable));
        assertThat(v.findings()).extracting(Finding::kind).containsExactly(Finding.Kind.DISK_UNREADABLE);
        assertThat(v.attention()).isEqualTo(Attention.WARNING);
    }

    @Test
    void aHostWhereNothingWasDeployedYetIsNoProblem() {
        var never = judge.deployment(CERT, HOSTS.get("web1"), new EstateScanner.LiveCopy(Optional.empty(), Optional.empty(),
                Optional.of("nothing deployed yet"), false));
        CertificateView v = judge.certificate(CERT, List.of(served(A, NEW), served(B, NEW)), List.of(never));
        assertThat(v.findings()).isEmpty();
        assertThat(v.deployments()).singleElement().satisfies(d -> assertThat(d.error()).contains("nothing deployed yet"));
    }
}
