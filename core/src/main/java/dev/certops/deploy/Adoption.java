package dev.certops.deploy;

import dev.certops.config.SafeNames;
import dev.certops.crypto.CryptoException;
import dev.certops.crypto.PemReader;
import dev.certops.history.EventKinds;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code certops hosts adopt HOST --cert ID [--from DIR]}: takes what a host serves today into
 * certops' layout as release zero, with no moment of nothing served, so that the first certops
 * deploy can roll back to it.
 * <ul>
 *   <li>A foreign {@code live} link (to {@code releases/0-initial}, to /etc/letsencrypt/live/x, …):
 *       its files are copied into {@code releases/00000000T000000000Z-SERIAL} and live is swapped to it
 *       atomically (a new link renamed over the old one). The foreign folder is left as it was.</li>
 *   <li>Plain files in a folder the server reads ({@code --from DIR}): copied into release zero, live
 *       created, then each of those files is replaced — atomically, one rename each — by a link to
 *       {@code live/<same name>}. The server keeps reading the same path and the same bytes.</li>
 * </ul>
 * Nothing is reloaded (the bytes served do not change); the endpoints are checked to still serve the
 * adopted certificate.
 */
final class Adoption {
    /** Sorts before every release certops names by time: rollback reaches it last. */
    static final String ZERO_PREFIX = "00000000T000000000Z-";
    private static final List<String> NAMES = List.of(RemotePaths.CERT, RemotePaths.CHAIN, RemotePaths.FULLCHAIN, RemotePaths.PRIVKEY, RemotePaths.COMBINED);

    private final HostDeployment.Target target;
    private final DeployJournal journal;
    private final DeployContext ctx;

    Adoption(HostDeployment.Target target, DeployJournal journal, DeployContext ctx) {
        this.target = target;
        this.journal = journal;
        this.ctx = ctx;
    }

    /** What was adopted: the release name and the leaf's serial. */
    record Adopted(String release, String serial, String from, List<String> linkedFiles, Optional<String> verifyProblem) { }

    Adopted run(Optional<String> from) throws DeployException {
        String h = target.host().id();
        RemotePaths paths = target.paths();
        Duration timeout = ctx.settings().commandTimeout();
        try (HostChannel ch = ctx.open(target.host())) {
            Optional<String> link = ch.readLink(paths.live());
            String source;
            if (from.isPresent()) {
                source = from.get();
                if (link.isPresent() || ch.list(paths.certDir()).contains("live")) {
                    throw fail(paths.live() + " already exists", "adopt plain files only into a certificate folder without live, or adopt the live link itself (without --from)");
                }
            } else if (link.isPresent()) {
                if (RemotePaths.releaseOf(link.get()).isPresent()) {
                    throw fail(paths.live() + " already points to a certops release (" + RemotePaths.releaseOf(link.get()).get() + "): there is nothing to adopt",
                            "deploy with ./certops deploy " + journal.certificateId());
                }
                source = link.get().startsWith("/") ? link.get() : paths.certDir() + "/" + link.get();
            } else if (ch.list(paths.certDir()).contains("live")) {
                throw fail(paths.live() + " is a folder, which cannot be swapped for a link without a gap",
                        "point the server at the files through another path, or adopt them with --from " + paths.live() + " into another certDir");
            } else {
                throw fail("there is no live link at " + paths.live() + " and no --from DIR was given",
                        "give the folder whose files the server reads today: --from /etc/ssl/" + journal.certificateId());
            }
            if (SafeNames.absolutePathProblem(source).isPresent() || source.contains("/../") || source.endsWith("/..")) {
                throw fail("'" + SafeNames.printable(source) + "' is not a plain absolute folder", "give an absolute path without .. or special characters");
            }
            Map<String, byte[]> files = new LinkedHashMap<>();
            for (String n : NAMES) ch.read(source + "/" + n).ifPresent(b -> files.put(n, b));
            if (!files.containsKey(RemotePaths.PRIVKEY) || !files.containsKey(RemotePaths.FULLCHAIN) && !files.containsKey(RemotePaths.CERT)) {
                throw fail(source + " holds " + (files.isEmpty() ? "none of " + NAMES : "only " + files.keySet()) + ": adopt needs privkey.pem and fullchain.pem (or cert.pem)",
                        "rename the files the server reads to these names, or deploy a new version instead");
            }
            X509Certificate leaf = leaf(files, source);
            String serial = ReleaseOps.serial(leaf);
            String release = ZERO_PREFIX + (serial.length() > 8 ? serial.substring(0, 8) : serial);
            fillIn(files, leaf);
            ReleaseOps ops = new ReleaseOps(ch, paths, timeout);
            ops.upload(release, new ReleaseFiles(files.entrySet().stream().map(e -> new ReleaseFiles.File(e.getKey(), e.getValue(),
                    e.getKey().equals(RemotePaths.PRIVKEY) || e.getKey().equals(RemotePaths.COMBINED) ? 0600 : 0644, false)).toList(), Optional.empty(), Optional.empty()));
            journal.step(h, "adopt", release, true, "copied " + String.join(", ", files.keySet()) + " from " + source);
            ServiceGate gate = ctx.gate(target.host());
            gate.swapping(() -> { ops.pointLiveAt(release); return null; });
            List<String> linked = new ArrayList<>();
            if (from.isPresent()) {
                for (String n : files.keySet()) {
                    if (ch.read(source + "/" + n).isEmpty()) continue;
                    gate.swapping(() -> { ch.replaceLink(paths.live() + "/" + n, source + "/" + n, timeout); return null; });
                    linked.add(source + "/" + n);
                }
            }
            Optional<String> problem = ctx.verify(ch, target.endpoints(), DeployBundle.sha256Hex(leaf));
            journal.record(Deployer.event(EventKinds.DEPLOY_STEP, journal.certificateId(), problem.isEmpty(), Deployer.details(
                    "host", h, "step", "adopt", "release", release, "detail", "live -> releases/" + release + (linked.isEmpty() ? "" : "; now links: " + linked)
                            + problem.map(p -> "; " + p).orElse(target.endpoints().isEmpty() ? "; " + HostOutcome.NOT_VERIFIED : "; still served"))));
            return new Adopted(release, serial, source, linked, problem);
        }
    }

    /** Writes the files a certops release always has (cert, chain, fullchain) from what was found. */
    private static void fillIn(Map<String, byte[]> files, X509Certificate leaf) throws DeployException {
        if (files.containsKey(RemotePaths.FULLCHAIN) && (!files.containsKey(RemotePaths.CERT) || !files.containsKey(RemotePaths.CHAIN))) {
            String full = ReleaseOps.text(files.get(RemotePaths.FULLCHAIN));
            int second = full.indexOf("-----BEGIN CERTIFICATE-----", full.indexOf("-----END CERTIFICATE-----"));
            String leafPem = second < 0 ? full : full.substring(0, second);
            String chainPem = second < 0 ? "" : full.substring(second);
            files.putIfAbsent(RemotePaths.CERT, leafPem.getBytes(StandardCharsets.US_ASCII));
            files.putIfAbsent(RemotePaths.CHAIN, chainPem.getBytes(StandardCharsets.US_ASCII));
        }
        if (!files.containsKey(RemotePaths.FULLCHAIN)) {
            DeployBundle b = new DeployBundle("adopted", "0", files.get(RemotePaths.CERT), files.getOrDefault(RemotePaths.CHAIN, new byte[0]), new byte[0]);
            files.put(RemotePaths.FULLCHAIN, b.fullchainPem());
            files.putIfAbsent(RemotePaths.CHAIN, new byte[0]);
        }
    }

    private static X509Certificate leaf(Map<String, byte[]> files, String source) throws DeployException {
        byte[] pem = files.containsKey(RemotePaths.CERT) ? files.get(RemotePaths.CERT) : files.get(RemotePaths.FULLCHAIN);
        try {
            return PemReader.readCertificates(ReleaseOps.text(pem), source).get(0);
        } catch (CryptoException e) {
            throw new DeployException(null, "adopt", source + ": " + e.getMessage(), "check the files the server reads");
        }
    }

    private DeployException fail(String what, String next) {
        return new DeployException(target.host().id(), "adopt", what + "; nothing was changed", next);
    }
}
