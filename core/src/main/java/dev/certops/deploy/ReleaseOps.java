package dev.certops.deploy;

import dev.certops.config.SafeNames;
import dev.certops.crypto.CryptoException;
import dev.certops.crypto.PemReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The release folder and live-link operations on one host, every command as quoted argv. */
final class ReleaseOps {
    private final HostChannel ch;
    private final RemotePaths paths;
    private final Duration timeout;

    ReleaseOps(HostChannel ch, RemotePaths paths, Duration timeout) {
        this.ch = ch;
        this.paths = paths;
        this.timeout = timeout;
    }

    HostChannel channel() { return ch; }

    /** The release live points to; empty when there is no live link yet. Refuses a live that is not our link. */
    Optional<String> liveRelease() throws DeployException {
        Optional<String> target = ch.readLink(paths.live());
        return liveRelease(target, target.isEmpty() && ch.list(paths.certDir()).contains("live"));
    }

    /** As {@link #liveRelease()}, from what was already read: live's link target, or whether live exists without being a link. */
    Optional<String> liveRelease(Optional<String> target, boolean liveIsNotALink) throws DeployException {
        if (target.isEmpty()) {
            if (liveIsNotALink) {
                throw fail("inspect", paths.live() + " exists but is not a symbolic link",
                        "move it away (certops manages " + paths.live() + " as a link to releases/)");
            }
            return Optional.empty();
        }
        Optional<String> release = RemotePaths.releaseOf(target.get());
        if (release.isEmpty()) {
            throw fail("inspect", paths.live() + " points to '" + SafeNames.printable(target.get()) + "', not to a certops release",
                    "take it over with ./certops hosts adopt " + ch.hostId() + " --cert CERT_ID (it becomes release zero, served throughout)");
        }
        return release;
    }

    List<String> releases() throws DeployException {
        List<String> out = new ArrayList<>();
        for (String n : ch.list(paths.releasesDir())) if (RemotePaths.isReleaseName(n)) out.add(n);
        out.sort(null);
        return out;
    }

    /**
     * Uploads the release's files into a new release folder, then reads each back over the same file
     * channel and compares its SHA-256 with what was sent: no remote command, so no login shell per
     * host, and no dependency on the host having sha256sum. Owner and group, when configured, are
     * applied here, before the swap.
     */
    void upload(String release, ReleaseFiles files) throws DeployException {
        ch.mkdirs(paths.release(release), 0755);
        for (ReleaseFiles.File f : files.files()) ch.write(paths.file(release, f.name()), f.content(), f.mode());
        for (ReleaseFiles.File f : files.files()) {
            String expected = sha256(f.content());
            Optional<byte[]> back = ch.read(paths.file(release, f.name()));
            String got = back.map(ReleaseOps::sha256).orElse(null);
            if (!expected.equals(got)) {
                throw fail("upload", f.name() + " arrived damaged (SHA-256 on the host " + (got == null ? "missing" : ServedCheck.shortFp(got))
                        + ", sent " + ServedCheck.shortFp(expected) + ")", "check the disk on the host and deploy again");
            }
        }
        if (files.owner().isPresent() || files.group().isPresent()) {
            List<String> argv = new ArrayList<>(List.of("chown", files.owner().orElse("") + files.group().map(g -> ":" + g).orElse(""), "--"));
            for (ReleaseFiles.File f : files.files()) argv.add(paths.file(release, f.name()));
            ExecResult r = ch.execAsRoot(argv, timeout);
            if (!r.ok()) throw fail("upload", "could not give the files to " + ownerText(files) + ": " + r.output(),
                    "check that the user and group exist on the host, and that certops may change owners (root, or sudo: true)");
        }
    }

    /**
     * After the swap: the live files have the owner, group and modes configured (a umask, an ACL
     * default or a failed chown would otherwise go unnoticed until the service cannot read its key).
     * Empty when they do; else what differs.
     */
    Optional<String> checkOwnership(ReleaseFiles files) throws DeployException {
        List<String> argv = new ArrayList<>(List.of("stat", "-c", "%n|%U|%u|%G|%g|%a", "--"));
        for (ReleaseFiles.File f : files.files()) argv.add(paths.live() + "/" + f.name());
        ExecResult r = ch.exec(argv, timeout);
        if (!r.ok()) return Optional.of("cannot read the live files' owner and mode: " + r.output());
        List<String> wrong = new ArrayList<>();
        String[] lines = r.stdout().split("\n");
        for (int i = 0; i < files.files().size() && i < lines.length; i++) {
            ReleaseFiles.File f = files.files().get(i);
            String[] p = lines[i].split("\\|");
            if (p.length < 6) { wrong.add(f.name() + ": unreadable stat output"); continue; }
            if (files.owner().isPresent() && !files.owner().get().equals(p[1]) && !files.owner().get().equals(p[2])) wrong.add(f.name() + " is owned by " + p[1] + ", not " + files.owner().get());
            if (files.group().isPresent() && !files.group().get().equals(p[3]) && !files.group().get().equals(p[4])) wrong.add(f.name() + " has group " + p[3] + ", not " + files.group().get());
            if (Integer.parseInt(p[5], 8) != f.mode()) wrong.add(f.name() + " has mode 0" + p[5] + ", not 0" + Integer.toOctalString(f.mode()));
        }
        if (lines.length < files.files().size()) wrong.add("stat listed " + lines.length + " of " + files.files().size() + " files");
        return wrong.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", wrong));
    }

    private static String ownerText(ReleaseFiles f) {
        return f.owner().orElse("(same owner)") + f.group().map(g -> ":" + g).orElse("");
    }

    /** Points live at {@code release} atomically: a new link live.tmp renamed over live (mv -T). */
    void pointLiveAt(String release) throws DeployException {
        paths.release(release);
        ch.replaceLink(RemotePaths.linkTarget(release), paths.live(), timeout);
    }

    /** Removes the live link (a first deploy being undone: there is nothing older to point at). */
    void removeLive() throws DeployException {
        ch.delete(paths.live());
    }

    /** Deletes a release folder and the files in it (releases hold files only). */
    void removeRelease(String release) throws DeployException {
        String dir = paths.release(release);
        for (String name : ch.list(dir)) ch.delete(dir + "/" + name);
        ch.delete(dir);
    }

    /** Release folders newer than live are leftovers of interrupted or rolled-back deploys. */
    List<String> removeStale(Optional<String> live) throws DeployException {
        List<String> removed = new ArrayList<>();
        if (live.isEmpty()) return removed;
        for (String r : releases()) {
            if (r.compareTo(live.get()) > 0) {
                removeRelease(r);
                removed.add(r);
            }
        }
        return removed;
    }

    /** Keeps the newest {@code keep} releases, never the live one or {@code previous}. */
    List<String> prune(int keep, String live, Optional<String> previous) throws DeployException {
        List<String> all = releases();
        List<String> removed = new ArrayList<>();
        for (int i = 0; i < all.size() - keep; i++) {
            String r = all.get(i);
            if (r.equals(live) || previous.map(r::equals).orElse(false)) continue;
            removeRelease(r);
            removed.add(r);
        }
        return removed;
    }

    /** The leaf certificate of a release, or empty when its cert.pem is missing or unreadable. */
    Optional<X509Certificate> leaf(String release) throws DeployException {
        Optional<byte[]> pem = ch.read(paths.file(release, RemotePaths.CERT));
        if (pem.isEmpty()) return Optional.empty();
        try {
            return Optional.of(PemReader.readCertificates(text(pem.get()), release + "/cert.pem").get(0));
        } catch (CryptoException e) {
            return Optional.empty();
        }
    }

    /** The serial (lower-case hex) of a release's leaf, or empty. */
    Optional<String> leafSerial(String release) throws DeployException {
        return leaf(release).map(ReleaseOps::serial);
    }

    /** How certops writes a certificate's serial: lower-case hex. */
    static String serial(X509Certificate leaf) { return leaf.getSerialNumber().toString(16); }

    private DeployException fail(String step, String message, String next) {
        return new DeployException(ch.hostId(), step, message, next);
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String text(byte[] b) { return new String(b, StandardCharsets.UTF_8); }
}
