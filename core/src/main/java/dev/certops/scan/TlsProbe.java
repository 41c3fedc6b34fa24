package dev.certops.scan;

import dev.certops.config.Endpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

/**
 * Reads the chain an endpoint serves: one TLS handshake with the right SNI, a connect timeout and
 * a handshake deadline (the socket is closed when the handshake is not done by then, so a server
 * that trickles bytes cannot hold a probe either). Trust is deliberately not decided here — an
 * expired, self-signed or wrongly-named certificate is still read and reported; the estate judges
 * it afterwards. No application data is ever sent over these connections.
 *
 * <p>Two modes. {@link #withDefaults()} completes the handshake (deploy verification: the server
 * really works with the new key). {@link #forScanning()} stops as soon as the server's Certificate
 * message has been read — the chain is all a scan needs, and skipping the key agreement and the
 * signature check makes a probe about 5x cheaper in CPU. It offers TLS 1.2 first (the chain travels
 * in clear, so no key share has to be computed) and falls back to TLS 1.3 for servers that refuse
 * 1.2 (remembered per endpoint for the next scan), and to {@link LegacyProbe} (TLS 1.0 / 1.1, read
 * but judged rejected) for servers that refuse both. Mail and directory endpoints are upgraded with
 * their protocol's STARTTLS first ({@link StartTls}). Sessions are never resumed in either mode (a
 * resumed session would report the certificate of an earlier handshake — exactly what must not
 * happen after a reload). Probes share one {@link SSLContext}; a probe is thread-safe.
 */
public final class TlsProbe {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    static final String[] TLS12 = {"TLSv1.2"};
    static final String[] TLS13 = {"TLSv1.3"};

    /** Connections a batch ({@link #fetchAll}) keeps open at once by default: waiting sockets cost a descriptor, not a thread. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 1024;

    /** Which endpoints need a plain-text opening (STARTTLS) before TLS, and a fresh one for each connection. */
    @FunctionalInterface
    public interface Openings {
        Optional<Opening> forEndpoint(Endpoint endpoint);

        /** Every endpoint speaks TLS from the first byte. */
        Openings NONE = e -> Optional.empty();

        /** Each endpoint's own {@code starttls:} protocol (smtp, imap, pop3, ldap, postgres), TLS from the first byte otherwise. */
        Openings BY_ENDPOINT = StartTls::opening;
    }

    /** How far a probe goes. */
    public enum Mode {
        /** Complete the handshake. */
        FULL_HANDSHAKE,
        /** Stop once the server's chain has been read (scans). */
        CHAIN_ONLY
    }

    private final Openings openings;
    private final int maxInFlight;
    private final Duration connectTimeout;
    private final Duration handshakeTimeout;
    private final Mode mode;
    private final Set<Endpoint> tls13Only = ConcurrentHashMap.newKeySet();

    /** A full-handshake probe. */
    public TlsProbe(Duration connectTimeout, Duration handshakeTimeout) {
        this(connectTimeout, handshakeTimeout, Mode.FULL_HANDSHAKE);
    }

    public TlsProbe(Duration connectTimeout, Duration handshakeTimeout, Mode mode) {
        this(connectTimeout, handshakeTimeout, mode, Openings.BY_ENDPOINT, DEFAULT_MAX_IN_FLIGHT);
    }

    /**
     * @param openings    the STARTTLS dialogues of {@link #fetchAll} (mail and directory ports)
     * @param maxInFlight connections {@link #fetchAll} keeps open at once
     */
    public TlsProbe(Duration connectTimeout, Duration handshakeTimeout, Mode mode, Openings openings, int maxInFlight) {
        if (maxInFlight < 1) throw new IllegalArgumentException("a probe must be allowed at least one connection at a time (got " + maxInFlight + ")");
        if (connectTimeout.isNegative() || connectTimeout.isZero() || handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("probe timeouts must be positive (got connect " + connectTimeout + ", handshake "
                    + handshakeTimeout + ") — a probe without a deadline could hang a scan");
        }
        this.connectTimeout = connectTimeout;
        this.handshakeTimeout = handshakeTimeout;
        this.mode = mode;
        this.openings = openings;
        this.maxInFlight = maxInFlight;
    }

    /** Full handshake; connect within 3 s, handshake within 5 s. */
    public static TlsProbe withDefaults() {
        return Defaults.PROBE;
    }

    /** Chain only (see the class comment); connect within 3 s, handshake within 5 s. A new instance: it learns which endpoints speak only TLS 1.3. */
    public static TlsProbe forScanning() {
        return new TlsProbe(Duration.ofSeconds(3), Duration.ofSeconds(5), Mode.CHAIN_ONLY);
    }

    public Mode mode() { return mode; }

    public Duration connectTimeout() { return connectTimeout; }
    public Duration handshakeTimeout() { return handshakeTimeout; }

    /**
     * Probes many endpoints at once without a thread per waiting socket (ADR 0013): at most
     * {@code maxInFlight} connections open, each with this probe's connect and handshake deadlines,
     * so a batch takes about as long as its slowest endpoint's deadline however many are silent.
     * Each future completes with what was served or fails with a {@link ProbeException}; all of them
     * complete. Endpoints listed twice are probed once.
     */
    public Map<Endpoint, CompletableFuture<ServedChain>> fetchAll(Collection<Endpoint> endpoints) {
        try {
            return new ProbeLoop(this::context, mode == Mode.CHAIN_ONLY, connectTimeout, handshakeTimeout, openings::forEndpoint, maxInFlight)
                    .start(endpoints, tls13Only);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for probing (too many open files?): " + e.getMessage(), e);
        }
    }

    /** The outcome of one probe of a {@link #fetchAll} batch: the chain, or the {@link ProbeException} saying why not. */
    public static ServedChain await(CompletableFuture<ServedChain> probe) throws ProbeException, InterruptedException {
        try {
            return probe.get();
        } catch (ExecutionException e) {
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                if (c instanceof ProbeException p) throw p;
            }
            throw new IllegalStateException("the probe failed unexpectedly: " + e.getCause(), e.getCause());
        }
    }

    /** Connects, handshakes and returns what was served; never throws for trust problems. */
    public ServedChain fetch(Endpoint endpoint) throws ProbeException {
        if (mode == Mode.FULL_HANDSHAKE) return attempt(endpoint, null);
        if (tls13Only.contains(endpoint)) return attempt(endpoint, TLS13);
        try {
            return attempt(endpoint, TLS12);
        } catch (ProbeException first) {
            if (first.reason() != ProbeException.Reason.HANDSHAKE) throw first;
            try {
                ServedChain served = attempt(endpoint, TLS13);
                tls13Only.add(endpoint);
                return served;
            } catch (ProbeException second) {
                if (second.reason() != ProbeException.Reason.HANDSHAKE) throw second;
                // neither TLS 1.2 nor 1.3: a server that speaks only TLS 1.0 / 1.1 still has a certificate to judge
                return LegacyProbe.read(endpoint, connectTimeout, handshakeTimeout).orElseThrow(() -> first);
            }
        }
    }

    private ServedChain attempt(Endpoint endpoint, String[] protocols) throws ProbeException {
        long start = System.nanoTime();
        AtomicBoolean deadlinePassed = new AtomicBoolean();
        ScheduledFuture<?> watchdog = null;
        try (Socket raw = new Socket()) {
            raw.setTcpNoDelay(true);
            raw.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), (int) connectTimeout.toMillis());
            raw.setSoTimeout((int) handshakeTimeout.toMillis());
            watchdog = Watchdog.DEADLINES.schedule(() -> closeAtDeadline(raw, deadlinePassed), handshakeTimeout.toMillis(), TimeUnit.MILLISECONDS);
            StartTls.upgrade(raw, endpoint);
            try (SSLSocket s = (SSLSocket) context().getSocketFactory().createSocket(raw, endpoint.sni(), endpoint.port(), true)) {
                SSLParameters params = s.getSSLParameters();
                if (!isIpLiteral(endpoint.sni())) params.setServerNames(List.of(new SNIHostName(endpoint.sni())));
                s.setSSLParameters(params);
                if (protocols != null) {
                    s.setEnabledProtocols(protocols);
                    return readChain(endpoint, s, start);
                }
                s.startHandshake();
                SSLSession session = s.getSession();
                List<X509Certificate> chain = new ArrayList<>();
                for (Certificate c : session.getPeerCertificates()) chain.add((X509Certificate) c);
                String protocol = session.getProtocol();
                session.invalidate(); // never resumed: the next probe must see what is served then
                return new ServedChain(endpoint, List.copyOf(chain), protocol, Duration.ofNanos(System.nanoTime() - start));
            }
        } catch (IOException e) {
            throw Unreachable.classify(endpoint, e, deadlinePassed.get(), connectTimeout, handshakeTimeout);
        } finally {
            if (watchdog != null) watchdog.cancel(false);
        }
    }

    /** Handshakes until the trust manager has seen the chain, then abandons the handshake. */
    private static ServedChain readChain(Endpoint endpoint, SSLSocket s, long start) throws IOException {
        try {
            s.startHandshake();
        } catch (SSLException e) {
            Optional<ChainCapture.Captured> captured = ChainCapture.find(e);
            if (captured.isEmpty()) throw e;
            return new ServedChain(endpoint, captured.get().chain(), captured.get().protocol(), Duration.ofNanos(System.nanoTime() - start));
        }
        throw new SSLException("the handshake finished without the server's certificate being seen");
    }

    /** JSSE's context for this mode, initialised when a probe first needs the TLS engine (a scan whose servers all answer plainly never does). */
    private SSLContext context() {
        return mode == Mode.CHAIN_ONLY ? ChainOnlyContext.CONTEXT : FullContext.CONTEXT;
    }

    private static void closeAtDeadline(Socket raw, AtomicBoolean deadlinePassed) {
        deadlinePassed.set(true);
        try {
            raw.close();
        } catch (IOException ignored) {
            // closing is all we want; the probe reports the timeout
        }
    }

    static boolean isIpLiteral(String s) {
        return s.contains(":") || IPV4.matcher(s).matches();
    }

    /** The blocking probe's deadline thread, started when a blocking probe first runs. */
    private static final class Watchdog {
        static final ScheduledThreadPoolExecutor DEADLINES = watchdog();
    }

    private static ScheduledThreadPoolExecutor watchdog() {
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "certops-probe-deadline");
            t.setDaemon(true);
            return t;
        });
        ex.setRemoveOnCancelPolicy(true);
        return ex;
    }

    /** The reading SSLContexts (one per mode, each made when first used): accept any chain (so it can be read), cache no sessions. */
    private static SSLContext readingContext(boolean abandon) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new ChainCapture(abandon)}, null);
            ctx.getClientSessionContext().setSessionCacheSize(1);
            ctx.getClientSessionContext().setSessionTimeout(1);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException("TLS is not available in this Java runtime", e);
        }
    }

    private static final class ChainOnlyContext {
        static final SSLContext CONTEXT = readingContext(true);
    }

    private static final class FullContext {
        static final SSLContext CONTEXT = readingContext(false);
    }

    private static final class Defaults {
        static final TlsProbe PROBE = new TlsProbe(Duration.ofSeconds(3), Duration.ofSeconds(5));
    }
}
