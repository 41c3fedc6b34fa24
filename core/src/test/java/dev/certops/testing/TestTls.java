package dev.certops.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway CA and a leaf for localhost / 127.0.0.1, made with the openssl CLI (keys PKCS#8:
 * OpenSSL 3 and Go reject some SEC1 encodings). For servers the tests start (Pebble's HTTPS).
 */
public record TestTls(Path caPem, Path certPem, Path keyPem) {

    public static TestTls create(Path dir) throws IOException {
        return create(dir, "DNS:localhost,IP:127.0.0.1");
    }

    /** As {@link #create(Path)}, with a leaf for {@code subjectAltName} (openssl syntax, e.g. "DNS:mail.example.org"). */
    public static TestTls create(Path dir, String subjectAltName) throws IOException {
        Files.createDirectories(dir);
        Path caKey = dir.resolve("ca.key");
        Path ca = dir.resolve("ca.pem");
        Path key = dir.resolve("localhost.key");
        Path csr = dir.resolve("localhost.csr");
        Path cert = dir.resolve("localhost.pem");
        Path ext = dir.resolve("ext.cnf");
        Files.writeString(ext, "subjectAltName=" + subjectAltName + "\nbasicConstraints=CA:FALSE\n"
                + "keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n");
        openssl(dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", caKey.toString());
        openssl(dir, "req", "-x509", "-new", "-key", caKey.toString(), "-days", "30", "-subj", "/CN=certops test CA", "-out", ca.toString());
        openssl(dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key.toString());
        openssl(dir, "req", "-new", "-key", key.toString(), "-subj", "/CN=localhost", "-out", csr.toString());
        openssl(dir, "x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey", caKey.toString(), "-CAcreateserial",
                "-days", "30", "-extfile", ext.toString(), "-out", cert.toString());
        return new TestTls(ca, cert, key);
    }

    private static void openssl(Path dir, String... args) throws IOException {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        Path log = dir.resolve("openssl.log");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("openssl " + String.join(" ", args) + " failed: " + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** This leaf's serial in hex, as certops prints it. */
    public String serial() throws IOException {
        try (var in = Files.newInputStream(certPem)) {
            return ((java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in))
                    .getSerialNumber().toString(16);
        } catch (java.security.cert.CertificateException e) {
            throw new IOException(e);
        }
    }

    /** Stores this leaf, its CA and key as version {@code version} of {@code certificateId} in a workspace, as issuance would. */
    public void storeAs(dev.certops.config.Workspace ws, String certificateId, String version) throws IOException {
        Path v = Files.createDirectories(ws.certsDir().resolve(certificateId).resolve(version));
        Files.copy(certPem, v.resolve("cert.pem"));
        Files.copy(caPem, v.resolve("chain.pem"));
        Files.copy(keyPem, ws.secretsDir().resolve(certificateId + "-" + version + ".key"));
    }

    /** The serial (hex) of the leaf served at 127.0.0.1:port for {@code sni}. */
    public static String servedSerial(int port, String sni) throws Exception {
        return dev.certops.scan.TlsProbe.withDefaults().fetch(new dev.certops.config.Endpoint("127.0.0.1", port, sni)).leaf().getSerialNumber().toString(16);
    }

    /**
     * Waits (10 s at most) until three handshakes in a row to 127.0.0.1:port see {@code serial}: after a
     * verified reload an old nginx worker may still answer a connection or two with the previous certificate.
     */
    public static void awaitServedSteadily(int port, String sni, String serial) {
        int[] streak = {0};
        Poll.until(java.time.Duration.ofSeconds(10), () -> {
            streak[0] = serial.equalsIgnoreCase(servedSerial(port, sni)) ? streak[0] + 1 : 0;
            return streak[0] >= 3;
        }, "127.0.0.1:" + port + " (" + sni + ") to serve serial " + serial + " steadily");
    }
}
