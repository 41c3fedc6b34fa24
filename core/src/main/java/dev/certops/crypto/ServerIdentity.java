package dev.certops.crypto;

import com.google.common.net.InetAddresses;
import com.google.common.net.InternetDomainName;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiFunction;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.HandshakeCompletedListener;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The HTTPS name check of a server's certificate (RFC 2818, RFC 6125), made here for the ACME CAs' connections (Java's
 * HTTP client over an {@link SSLEngine}) while the wrapped trust manager still judges the chain with
 * everything the JDK applies to it (the session's signature algorithms, the disabled algorithms).
 *
 * <p>Why not the JDK's own check: before comparing names it reads Java's whole trust store once per process, to learn
 * whether the chain ends at a public CA ({@code AnchorCertificates}); that is ~0.1 s of CPU in every issuance
 * (docs/decisions/0017). The rules here are the JDK's, stricter where the JDK is lenient:
 * <ul>
 *   <li>an IP address is matched against the certificate's IP address names only;</li>
 *   <li>a host name against its DNS names, or, when it has none, against the subject's most specific common name;</li>
 *   <li>a wildcard only as the whole left-most label ({@code *.example.com}), matching exactly one label, never over a
 *       public suffix ({@code *.co.uk}) whoever issued it (the JDK refuses that for public CAs only, and accepts
 *       {@code f*.example.com});</li>
 *   <li>the name asked for by SNI first, then the peer's host name when it differs (as the JDK does).</li>
 * </ul>
 * Over an {@link SSLSocket} ({@code HttpsURLConnection}: the directory probe) the same. Other identification algorithms
 * than HTTPS, and connections that ask for none, keep the JDK's behaviour.
 */
public final class ServerIdentity {
    private ServerIdentity() { }

    /** {@code chain}'s verdict on the chain, and the HTTPS name check made here (over an engine or a connected socket). */
    public static X509ExtendedTrustManager checkedHere(X509ExtendedTrustManager chain) {
        return new NamesHere(chain);
    }

    /**
     * Whether {@code leaf} names {@code host} (a DNS name or an IP address literal, IPv6 with or without brackets).
     *
     * @throws CertificateException naming what the certificate is for and what was asked for
     */
    public static void check(String host, X509Certificate leaf) throws CertificateException {
        if (host == null || host.isBlank()) {
            throw new CertificateException("the server's name is unknown, so its certificate cannot be checked against it");
        }
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (InetAddresses.isInetAddress(h)) {
            InetAddress wanted = InetAddresses.forString(h);
            List<String> ips = altNames(leaf, 7);
            for (String ip : ips) {
                if (InetAddresses.isInetAddress(ip) && InetAddresses.forString(ip).equals(wanted)) return;
            }
            throw notFor(h, leaf);
        }
        List<String> names = altNames(leaf, 2);
        if (names.isEmpty()) names = commonName(leaf);
        for (String pattern : names) {
            if (NameMatch.covers(pattern, h) && !overPublicSuffix(pattern)) return;
        }
        throw notFor(h, leaf);
    }

    /** A certificate that does not name the server asked for: what was asked for, and what it is for, in words. */
    public static final class NotFor extends CertificateException {
        private static final long serialVersionUID = 1L;
        private final String host;
        private final String isFor;

        NotFor(String host, String isFor) {
            super("the server's certificate is not for " + host + " (" + isFor + ")");
            this.host = host;
            this.isFor = isFor;
        }

        /** The name or address asked for. */
        public String host() { return host; }

        /** "it is for a.example, 192.0.2.1" (every name it has), "it is for x, its common name", "it names no server at all". */
        public String isFor() { return isFor; }
    }

    /** How many of a certificate's names a refusal lists. */
    static final int NAMES_SHOWN = 8;

    /**
     * "the server's certificate is not for H (it is for A, B)": its names, DNS and IP (the first {@value #NAMES_SHOWN}),
     * else its common name. The server chose them: control characters are shown as '?', never written to a terminal.
     */
    private static NotFor notFor(String host, X509Certificate leaf) throws CertificateException {
        List<String> names = altNames(leaf, 2);
        names.addAll(altNames(leaf, 7));
        String is;
        if (!names.isEmpty()) {
            List<String> shown = names.stream().limit(NAMES_SHOWN).map(ServerIdentity::printable).toList();
            is = "it is for " + String.join(", ", shown) + (names.size() > NAMES_SHOWN ? " and " + (names.size() - NAMES_SHOWN) + " more" : "");
        } else {
            List<String> cn = commonName(leaf);
            is = cn.isEmpty() ? "it names no server at all" : "it is for " + printable(cn.get(0)) + ", its common name";
        }
        return new NotFor(printable(host), is);
    }

    private static String printable(String s) {
        String cut = s.length() > 253 ? s.substring(0, 253) + "..." : s;
        return cut.codePoints().map(c -> c < 0x20 || c == 0x7f || Character.getType(c) == Character.CONTROL ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    /** {@code *.co.uk}: a wildcard whose remaining labels are a public suffix covers other people's domains. */
    static boolean overPublicSuffix(String pattern) {
        if (!pattern.startsWith("*.")) return false;
        String rest = NameMatch.ascii(pattern.substring(2));
        return InternetDomainName.isValid(rest) && InternetDomainName.from(rest).isPublicSuffix();
    }

    private static List<String> altNames(X509Certificate c, int type) throws CertificateException {
        try {
            return CertificateInfo.altNames(c, type);
        } catch (CertificateParsingException e) {
            throw new CertificateException("the server's certificate has names that cannot be read: " + e.getMessage(), e);
        }
    }

    /** The subject's most specific common name (the last CN in the name's order from the root down). */
    private static List<String> commonName(X509Certificate c) {
        try {
            List<Rdn> rdns = new LdapName(c.getSubjectX500Principal().getName()).getRdns(); // least specific first
            for (int i = rdns.size() - 1; i >= 0; i--) {
                if (rdns.get(i).getType().equalsIgnoreCase("CN")) return List.of(String.valueOf(rdns.get(i).getValue()));
            }
        } catch (InvalidNameException e) {
            // an unreadable subject names nothing
        }
        return List.of();
    }

    /** The names to check a server against: SNI's host name, then the peer's host name when it differs (as the JDK). */
    static List<String> hostsOf(SSLSession session) {
        Set<String> out = new LinkedHashSet<>();
        if (session instanceof ExtendedSSLSession ext) {
            for (SNIServerName n : ext.getRequestedServerNames()) {
                if (n instanceof SNIHostName h) out.add(h.getAsciiName().toLowerCase(Locale.ROOT));
            }
        }
        String peer = session == null ? null : session.getPeerHost();
        if (peer != null && !peer.isBlank()) out.add(peer.toLowerCase(Locale.ROOT));
        return new ArrayList<>(out);
    }

    /** Passes when {@code leaf} names one of the session's server names; else the first name's refusal. */
    private static void checkNames(SSLSession session, X509Certificate leaf) throws CertificateException {
        List<String> hosts = hostsOf(session);
        CertificateException first = null;
        for (String host : hosts.isEmpty() ? List.of("") : hosts) {
            try {
                check(host, leaf);
                return;
            } catch (CertificateException e) {
                if (first == null) first = e;
            }
        }
        throw first;
    }

    private static boolean https(SSLParameters p) {
        return "HTTPS".equalsIgnoreCase(p.getEndpointIdentificationAlgorithm());
    }

    private static SSLParameters withoutIdentification(SSLParameters p) {
        p.setEndpointIdentificationAlgorithm(null);
        return p;
    }

    private static final class NamesHere extends ForwardingTrustManager {
        NamesHere(X509ExtendedTrustManager chain) { super(chain); }

        @Override
        public void checkServerTrusted(X509Certificate[] certs, String authType, SSLEngine engine) throws CertificateException {
            if (engine == null || !https(engine.getSSLParameters())) {
                delegate.checkServerTrusted(certs, authType, engine); // no check asked for, or another kind: the JDK's
                return;
            }
            delegate.checkServerTrusted(certs, authType, new ChainOnly(engine));
            checkNames(engine.getHandshakeSession(), certs[0]);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] certs, String authType, Socket socket) throws CertificateException {
            if (!(socket instanceof SSLSocket s) || !s.isConnected() || !https(s.getSSLParameters())) {
                delegate.checkServerTrusted(certs, authType, socket);
                return;
            }
            delegate.checkServerTrusted(certs, authType, new ChainOnlySocket(s));
            checkNames(s.getHandshakeSession(), certs[0]);
        }
    }

    /**
     * The socket as the chain's judge sees it (connected, the same handshake and parameters, no identification
     * algorithm). Only read during the check; it never carries traffic.
     */
    static final class ChainOnlySocket extends SSLSocket {
        private final SSLSocket d;

        ChainOnlySocket(SSLSocket d) { this.d = d; }

        @Override public boolean isConnected() { return d.isConnected(); }
        @Override public SSLParameters getSSLParameters() { return withoutIdentification(d.getSSLParameters()); }
        @Override public SSLSession getHandshakeSession() { return d.getHandshakeSession(); }
        @Override public SSLSession getSession() { return d.getSession(); }
        @Override public String getApplicationProtocol() { return d.getApplicationProtocol(); }
        @Override public String getHandshakeApplicationProtocol() { return d.getHandshakeApplicationProtocol(); }
        @Override public String[] getSupportedCipherSuites() { return d.getSupportedCipherSuites(); }
        @Override public String[] getEnabledCipherSuites() { return d.getEnabledCipherSuites(); }
        @Override public String[] getSupportedProtocols() { return d.getSupportedProtocols(); }
        @Override public String[] getEnabledProtocols() { return d.getEnabledProtocols(); }
        @Override public boolean getUseClientMode() { return d.getUseClientMode(); }
        @Override public boolean getNeedClientAuth() { return d.getNeedClientAuth(); }
        @Override public boolean getWantClientAuth() { return d.getWantClientAuth(); }
        @Override public boolean getEnableSessionCreation() { return d.getEnableSessionCreation(); }
        @Override public InetAddress getInetAddress() { return d.getInetAddress(); }
        @Override public int getPort() { return d.getPort(); }

        // a view for the trust check: nothing that would change the socket or move data
        @Override public void setEnabledCipherSuites(String[] suites) { throw readOnly(); }
        @Override public void setEnabledProtocols(String[] protocols) { throw readOnly(); }
        @Override public void addHandshakeCompletedListener(HandshakeCompletedListener l) { throw readOnly(); }
        @Override public void removeHandshakeCompletedListener(HandshakeCompletedListener l) { throw readOnly(); }
        @Override public void startHandshake() { throw readOnly(); }
        @Override public void setUseClientMode(boolean mode) { throw readOnly(); }
        @Override public void setNeedClientAuth(boolean need) { throw readOnly(); }
        @Override public void setWantClientAuth(boolean want) { throw readOnly(); }
        @Override public void setEnableSessionCreation(boolean flag) { throw readOnly(); }
        @Override public void setSSLParameters(SSLParameters params) { throw readOnly(); }
    }

    private static UnsupportedOperationException readOnly() {
        return new UnsupportedOperationException("a view of the connection for its certificate check only");
    }

    /**
     * The engine as the chain's judge sees it: the same handshake, parameters and algorithm constraints, with no
     * identification algorithm (the name is checked here). Only read during the check; it never carries traffic.
     */
    static final class ChainOnly extends SSLEngine {
        private final SSLEngine d;

        ChainOnly(SSLEngine d) {
            super(d.getPeerHost(), d.getPeerPort());
            this.d = d;
        }

        @Override
        public SSLParameters getSSLParameters() { return withoutIdentification(d.getSSLParameters()); }

        @Override public SSLSession getHandshakeSession() { return d.getHandshakeSession(); }
        @Override public SSLSession getSession() { return d.getSession(); }
        @Override public String getApplicationProtocol() { return d.getApplicationProtocol(); }
        @Override public String getHandshakeApplicationProtocol() { return d.getHandshakeApplicationProtocol(); }
        @Override public BiFunction<SSLEngine, List<String>, String> getHandshakeApplicationProtocolSelector() {
            return d.getHandshakeApplicationProtocolSelector();
        }
        @Override public String[] getSupportedCipherSuites() { return d.getSupportedCipherSuites(); }
        @Override public String[] getEnabledCipherSuites() { return d.getEnabledCipherSuites(); }
        @Override public String[] getSupportedProtocols() { return d.getSupportedProtocols(); }
        @Override public String[] getEnabledProtocols() { return d.getEnabledProtocols(); }
        @Override public boolean getUseClientMode() { return d.getUseClientMode(); }
        @Override public boolean getNeedClientAuth() { return d.getNeedClientAuth(); }
        @Override public boolean getWantClientAuth() { return d.getWantClientAuth(); }
        @Override public boolean getEnableSessionCreation() { return d.getEnableSessionCreation(); }
        @Override public SSLEngineResult.HandshakeStatus getHandshakeStatus() { return d.getHandshakeStatus(); }
        @Override public boolean isInboundDone() { return d.isInboundDone(); }
        @Override public boolean isOutboundDone() { return d.isOutboundDone(); }

        // a view for the trust check: nothing that would change the engine or move data
        @Override public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst) throws SSLException { throw readOnly(); }
        @Override public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length) throws SSLException { throw readOnly(); }
        @Override public Runnable getDelegatedTask() { throw readOnly(); }
        @Override public void closeInbound() throws SSLException { throw readOnly(); }
        @Override public void closeOutbound() { throw readOnly(); }
        @Override public void setEnabledCipherSuites(String[] suites) { throw readOnly(); }
        @Override public void setEnabledProtocols(String[] protocols) { throw readOnly(); }
        @Override public void beginHandshake() throws SSLException { throw readOnly(); }
        @Override public void setUseClientMode(boolean mode) { throw readOnly(); }
        @Override public void setNeedClientAuth(boolean need) { throw readOnly(); }
        @Override public void setWantClientAuth(boolean want) { throw readOnly(); }
        @Override public void setEnableSessionCreation(boolean flag) { throw readOnly(); }
        @Override public void setSSLParameters(SSLParameters params) { throw readOnly(); }
        @Override public void setHandshakeApplicationProtocolSelector(BiFunction<SSLEngine, List<String>, String> selector) { throw readOnly(); }
    }
}
