package dev.certops.scan;

import dev.certops.crypto.CertificateBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A real JDK TLS server on a loopback port, serving one of several certificates (switchable, like
 * a reload), with the protocols it is told to allow and session resumption on (the JDK default).
 */
final class InProcessTlsServer implements AutoCloseable {
    private final SSLServerSocket server;
    private final AtomicReference<String> alias = new AtomicReference<>("0");
    private final List<Socket> open = Collections.synchronizedList(new ArrayList<>());

    InProcessTlsServer(List<CertificateBuilder.Issued> leaves, CertificateBuilder.Issued issuer, String... protocols) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        for (int i = 0; i < leaves.size(); i++) {
            ks.setKeyEntry(String.valueOf(i), leaves.get(i).keys().getPrivate(), "pw".toCharArray(),
                    new X509Certificate[] {leaves.get(i).certificate(), issuer.certificate()});
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
        kmf.init(ks, "pw".toCharArray());
        X509ExtendedKeyManager km = switchable((X509ExtendedKeyManager) kmf.getKeyManagers()[0]);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(new javax.net.ssl.KeyManager[] {km}, null, null);
        server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        if (protocols.length > 0) server.setEnabledProtocols(protocols);
        Thread t = new Thread(this::acceptLoop, "tls-server-" + server.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    int port() { return server.getLocalPort(); }

    /** Serve leaf number {@code n} from now on (a reload). */
    void serve(int n) { alias.set(String.valueOf(n)); }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                SSLSocket s = (SSLSocket) server.accept();
                open.add(s);
                Thread t = new Thread(() -> drain(s), "tls-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static void drain(SSLSocket s) {
        try (s; InputStream in = s.getInputStream()) {
            s.startHandshake();
            while (in.read() >= 0) { /* until the client goes */ }
        } catch (IOException expected) {
            // clients abandon handshakes on purpose
        }
    }

    private X509ExtendedKeyManager switchable(X509ExtendedKeyManager d) {
        return new X509ExtendedKeyManager() {
            @Override public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) { return alias.get(); }
            @Override public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) { return alias.get(); }
            @Override public String[] getServerAliases(String keyType, Principal[] issuers) { return d.getServerAliases(keyType, issuers); }
            @Override public String[] getClientAliases(String keyType, Principal[] issuers) { return null; }
            @Override public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) { return null; }
            @Override public X509Certificate[] getCertificateChain(String a) { return d.getCertificateChain(a); }
            @Override public PrivateKey getPrivateKey(String a) { return d.getPrivateKey(a); }
        };
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (open) {
            for (Socket s : open) s.close();
        }
    }
}
