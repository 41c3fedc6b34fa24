package dev.certops.deploy;

import dev.certops.config.DeploymentConfig;
import dev.certops.crypto.CryptoException;
import dev.certops.crypto.PemReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The files one release holds on a host, built on the console before anything connects: the PEM
 * files, haproxy's combined file and Java keystores (PKCS#12, JKS, written by the JDK's KeyStore),
 * each with its mode (0644 for certificates, the deployment's key mode for anything holding the key),
 * and the owner and group to give them. cert.pem is always written: certops reads it to know what a
 * release holds (rollback, adopt, scan).
 */
public record ReleaseFiles(List<File> files, Optional<String> owner, Optional<String> group) {
    public static final String PKCS12 = "keystore.p12";
    public static final String JKS = "keystore.jks";

    /** One file: its name in the release, content, mode, and whether it holds the private key. */
    public record File(String name, byte[] content, int mode, boolean secret) {
        @Override public String toString() { return name + " (" + Integer.toOctalString(mode) + (secret ? ", holds the key" : "") + ")"; }
    }

    public ReleaseFiles { files = List.copyOf(files); }

    public List<String> names() { return files.stream().map(File::name).toList(); }

    /** The file names a deployment writes, in release order. */
    public static List<String> names(DeploymentConfig d, String service) {
        List<String> out = new ArrayList<>();
        for (String f : formats(d, service)) out.add(fileName(f));
        return out;
    }

    private static List<String> formats(DeploymentConfig d, String service) {
        List<String> wanted = d.files().isEmpty()
                ? ("haproxy".equals(service) ? List.of("cert", "chain", "fullchain", "privkey", "combined") : List.of("cert", "chain", "fullchain", "privkey"))
                : d.files();
        List<String> out = new ArrayList<>();
        if (!wanted.contains("cert")) out.add("cert");
        for (String f : DeploymentConfig.FORMATS) if (wanted.contains(f)) out.add(f);
        return out;
    }

    static String fileName(String format) {
        return switch (format) {
            case "cert" -> RemotePaths.CERT;
            case "chain" -> RemotePaths.CHAIN;
            case "fullchain" -> RemotePaths.FULLCHAIN;
            case "privkey" -> RemotePaths.PRIVKEY;
            case "combined" -> RemotePaths.COMBINED;
            case "pkcs12" -> PKCS12;
            case "jks" -> JKS;
            default -> throw new IllegalArgumentException("unknown format " + format);
        };
    }

    /** Where a keystore password comes from (the workspace's secrets/). */
    @FunctionalInterface
    public interface Passwords {
        Passwords NONE = name -> { throw new IOException("no secret store"); };
        char[] read(String secretName) throws IOException;
    }

    /** Builds every file of the deployment from the version; fails before any connection when a keystore password is missing. */
    public static ReleaseFiles build(DeployBundle bundle, DeploymentConfig d, String service, Passwords passwords) throws DeployException {
        List<File> out = new ArrayList<>();
        int keyMode = d.effectiveKeyMode();
        for (String f : formats(d, service)) {
            switch (f) {
                case "cert" -> out.add(new File(RemotePaths.CERT, bundle.leafPem(), 0644, false));
                case "chain" -> out.add(new File(RemotePaths.CHAIN, bundle.chainPem(), 0644, false));
                case "fullchain" -> out.add(new File(RemotePaths.FULLCHAIN, bundle.fullchainPem(), 0644, false));
                case "privkey" -> out.add(new File(RemotePaths.PRIVKEY, bundle.keyPem(), keyMode, true));
                case "combined" -> {
                    byte[] full = bundle.fullchainPem();
                    byte[] key = bundle.keyPem();
                    byte[] both = Arrays.copyOf(full, full.length + key.length);
                    System.arraycopy(key, 0, both, full.length, key.length);
                    out.add(new File(RemotePaths.COMBINED, both, keyMode, true));
                }
                case "pkcs12" -> out.add(new File(PKCS12, keystore("PKCS12", bundle, d, passwords), keyMode, true));
                case "jks" -> out.add(new File(JKS, keystore("JKS", bundle, d, passwords), keyMode, true));
                default -> throw new IllegalStateException(f);
            }
        }
        return new ReleaseFiles(out, d.owner(), d.group());
    }

    private static byte[] keystore(String type, DeployBundle bundle, DeploymentConfig d, Passwords passwords) throws DeployException {
        String secret = d.password().flatMap(p -> p.name()).orElseThrow(() -> invalid(bundle,
                "a " + type + " keystore needs password: secret:NAME in the certificate's deploy: section"));
        char[] pw;
        try {
            pw = passwords.read(secret);
        } catch (IOException e) {
            throw invalid(bundle, "the keystore password secret:" + secret + " cannot be read (" + e.getMessage() + ")",
                    "store it with ./certops secret set " + secret);
        }
        try {
            PrivateKey key = PemReader.readPrivateKey(new String(bundle.keyPem(), StandardCharsets.US_ASCII), "privkey.pem", Optional.empty());
            List<X509Certificate> chain = bundle.certificates();
            KeyStore ks = KeyStore.getInstance(type);
            ks.load(null, null);
            ks.setKeyEntry(d.alias().orElse(bundle.certificateId()), key, pw, chain.toArray(new Certificate[0]));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ks.store(out, pw);
            return out.toByteArray();
        } catch (CryptoException | GeneralSecurityException | IOException e) {
            throw invalid(bundle, "the " + type + " keystore cannot be written: " + e.getMessage());
        } finally {
            Arrays.fill(pw, '\0');
        }
    }

    private static DeployException invalid(DeployBundle b, String what) {
        return invalid(b, what, "check the certificate's deploy: section in certops.yaml");
    }

    private static DeployException invalid(DeployBundle b, String what, String next) {
        return new DeployException(null, "validate", b.certificateId() + " version " + b.versionLabel() + ": " + what, next + "; nothing was sent to any host");
    }
}
