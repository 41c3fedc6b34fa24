package dev.certops.deploy;

import dev.certops.config.HostConfig;
import dev.certops.config.SafeNames;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The release layout in a host's {@code certDir}, and the validation every value that ends up in a
 * remote path or command goes through before anything connects:
 * <pre>
 * certDir/releases/&lt;UTC timestamp&gt;-&lt;serial prefix&gt;/{fullchain,privkey,chain,cert}.pem
 * certDir/live -&gt; releases/&lt;current&gt;      (swapped atomically through certDir/live.tmp)
 * </pre>
 * Server configs point at {@code certDir/live/fullchain.pem} and {@code certDir/live/privkey.pem}.
 */
public record RemotePaths(String certDir) {
    public static final String FULLCHAIN = "fullchain.pem";
    public static final String PRIVKEY = "privkey.pem";
    public static final String CHAIN = "chain.pem";
    public static final String CERT = "cert.pem";
    /** fullchain + key in one file, for haproxy (written only for service: haproxy). */
    public static final String COMBINED = "combined.pem";
    /** Release folder names: 20261123T071613123Z-0a1b2c3d (time to the millisecond, UTC, then serial prefix). */
    private static final Pattern RELEASE = Pattern.compile("\\d{8}T\\d{9}Z-[0-9a-f]{1,16}");

    public RemotePaths {
        SafeNames.absolutePathProblem(certDir).ifPresent(p -> { throw new IllegalArgumentException("certDir: " + p); });
        certDir = certDir.endsWith("/") ? certDir.substring(0, certDir.length() - 1) : certDir;
    }

    public String releasesDir() { return certDir + "/releases"; }
    public String release(String name) {
        if (!isReleaseName(name)) throw new IllegalArgumentException("'" + SafeNames.printable(name) + "' is not a release name");
        return releasesDir() + "/" + name;
    }
    public String file(String release, String fileName) { return release(release) + "/" + fileName; }
    public String live() { return certDir + "/live"; }
    public String liveTmp() { return certDir + "/live.tmp"; }
    /** The link target written into live: relative, so that certDir can be moved or mounted elsewhere. */
    public static String linkTarget(String release) { return "releases/" + release; }

    /** The release a live link target names, when it is one of ours. */
    public static Optional<String> releaseOf(String linkTarget) {
        String name = linkTarget.startsWith("releases/") ? linkTarget.substring("releases/".length()) : linkTarget;
        int slash = name.lastIndexOf('/');
        if (slash >= 0) name = name.substring(slash + 1);
        return isReleaseName(name) ? Optional.of(name) : Optional.empty();
    }

    public static boolean isReleaseName(String name) { return name != null && RELEASE.matcher(name).matches(); }

    /**
     * Checks a host entry before any connection: id, address, user and certDir must be values
     * that cannot change the meaning of a remote command.
     */
    public static RemotePaths forHost(HostConfig host) throws DeployException {
        return forHost(host, host.certDir());
    }

    /** As {@link #forHost(HostConfig)}, for one certificate's folder on the host ({@link HostConfig#certDirFor}). */
    public static RemotePaths forHost(HostConfig host, String certDir) throws DeployException {
        String id = host.id();
        requireValid("host id", SafeNames.idProblem(id), null);
        requireValid("address", SafeNames.addressProblem(host.address()), id);
        if (host.user() == null || !host.user().matches("[a-z_][a-z0-9_.-]{0,31}")) {
            throw new DeployException(id, "validate", "user '" + SafeNames.printable(host.user()) + "' is not a user name",
                    "fix the host's user: in certops.yaml (lower-case letters, digits, _ . -)");
        }
        requireValid("certDir", SafeNames.absolutePathProblem(certDir), id);
        return new RemotePaths(certDir);
    }

    /** Checks a certificate id or version label that goes into names and history. */
    public static void requireId(String what, String value) throws DeployException {
        requireValid(what, SafeNames.idProblem(value), null);
    }

    private static void requireValid(String what, Optional<String> problem, String hostId) throws DeployException {
        if (problem.isPresent()) {
            throw new DeployException(hostId, "validate", what + ": " + problem.get(),
                    "fix the value (in certops.yaml or on the command line); nothing was sent to any host");
        }
    }
}
