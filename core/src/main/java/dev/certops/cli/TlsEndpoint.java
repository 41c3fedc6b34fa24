package dev.certops.cli;

import dev.certops.crypto.CertificateBuilder;
import dev.certops.crypto.Csr;
import dev.certops.crypto.PemWriter;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * The training run's TLS server on loopback (a port the system picks; nothing else connects to it): a
 * certificate made with certops' own crypto code, served until the run ends, so the training's
 * {@code estate scan} does a real handshake and judges a real chain.
 */
final class TlsEndpoint implements AutoCloseable {
    private static final String NAME = "training.certops.invalid";
    private final ServerSocket server;
    private final Path caFile;

    private TlsEndpoint(ServerSocket server, Path caFile) {
        this.server = server;
        this.caFile = caFile;
    }

    static TlsEndpoint start(Path dir) throws IOException {
        try {
            CertificateBuilder.Issued ca = CertificateBuilder.ca("certops training").build();
            CertificateBuilder.Issued leaf = CertificateBuilder.leaf(NAME).signedBy(ca).build();
            Csr.create(leaf.keys(), List.of(NAME));
            PemWriter.privateKey(leaf.keys().getPrivate(), Optional.empty());
            Path caFile = dir.resolve("training-ca.pem");
            Files.writeString(caFile, PemWriter.certificate(ca.certificate()));
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            char[] pw = "training".toCharArray();
            ks.setKeyEntry("leaf", leaf.keys().getPrivate(), pw, new X509Certificate[] {leaf.certificate(), ca.certificate()});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pw);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(kmf.getKeyManagers(), null, null);
            SSLServerSocket server = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
            TlsEndpoint endpoint = new TlsEndpoint(server, caFile);
            Thread accept = new Thread(endpoint::serve, "training-tls");
            accept.setDaemon(true);
            accept.start();
            return endpoint;
        } catch (GeneralSecurityException e) {
            throw new IOException("the training's TLS endpoint could not be made: " + e.getMessage(), e);
        }
    }

    /** Points the workspace's certops.yaml at this endpoint (and trusts its CA). */
    void scanFrom(Path workspace) throws IOException {
        Path yaml = workspace.resolve("certops.yaml");
        if (!Files.exists(yaml)) return;
        Files.writeString(yaml, "trust: [" + caFile + "]\nendpoints:\n  - { host: 127.0.0.1, port: " + server.getLocalPort()
                + ", sni: " + NAME + " }\n");
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                ((SSLSocket) s).startHandshake();
                try (InputStream in = s.getInputStream()) {
                    in.read();
                }
            } catch (IOException e) {
                // a probe that stops after the certificate, or the end of the run
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
