package dev.certops.scan;

import dev.certops.config.Endpoint;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import org.bouncycastle.tls.TlsClientProtocol;

/**
 * One batch of probes on non-blocking sockets (see ADR 0013). A single selector thread waits for
 * every socket at once; a socket that is ready (connected, readable, writable again) is handed to a
 * small pool of workers (one per core) that advances its {@link SSLEngine} as far as the bytes at
 * hand allow and gives it back. A silent server costs one open socket and a deadline entry, never a
 * thread. A clear TLS 1.2 read ({@link ClearChainReader}) is stepped on the selector thread itself: its
 * steps are a few system calls each. At most {@code maxInFlight} connections are open at once; the others wait their turn and
 * their deadlines start when their connection does. The selector thread closes every connection
 * whose deadline has passed (connect deadline while connecting, handshake deadline from the
 * connect on). Names are resolved on a few resolver threads, each name once per batch.
 */
final class ProbeLoop {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final int RESOLVERS = 8;
    static final int PER_DESTINATION = 128;
    /** The protocols of a legacy attempt (TLS 1.1 and 1.0, through Bouncy Castle's client: Java 17 refuses them, see {@link LegacyProbe}). */
    private static final String[] LEGACY = {"TLSv1.1", "TLSv1"};
    /** The protocols of a chain-only probe's first attempt: TLS 1.2 read in clear without a TLS engine ({@link ClearChainReader}). */
    private static final String[] CLEAR = {"TLSv1.2"};

    private final Supplier<SSLContext> context;
    private final boolean chainOnly;
    private final Duration connectTimeout;
    private final Duration handshakeTimeout;
    private final Function<Endpoint, Optional<Opening>> openings;
    private final int maxInFlight;

    private final Selector selector;
    private final ExecutorService workers;
    private final ExecutorService resolvers;
    private final Queue<Conn> incoming = new ConcurrentLinkedQueue<>();
    private final Queue<Conn> finished = new ConcurrentLinkedQueue<>();
    private final Map<InetSocketAddress, Destination> destinations = new HashMap<>(); // selector thread only
    private final Queue<Destination> ready = new ArrayDeque<>(); // selector thread only: destinations with a free slot and a waiting connection
    private int inFlight; // selector thread only
    private final Queue<Runnable> selectorTasks = new ConcurrentLinkedQueue<>();
    private final Set<Conn> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger unfinished = new AtomicInteger();
    private final Map<String, CompletableFuture<InetAddress>> resolved = new ConcurrentHashMap<>();
    private volatile long earliestDeadline = Long.MAX_VALUE;
    private volatile Thread selectorThread;

    /** @param context the JSSE context, asked for only when a connection needs the TLS engine */
    ProbeLoop(Supplier<SSLContext> context, boolean chainOnly, Duration connectTimeout, Duration handshakeTimeout,
              Function<Endpoint, Optional<Opening>> openings, int maxInFlight) throws IOException {
        this.context = context;
        this.chainOnly = chainOnly;
        this.connectTimeout = connectTimeout;
        this.handshakeTimeout = handshakeTimeout;
        this.openings = openings;
        this.maxInFlight = maxInFlight;
        this.selector = Selector.open();
        this.workers = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), daemon("certops-probe-work"));
        this.resolvers = Executors.newFixedThreadPool(RESOLVERS, daemon("certops-probe-dns"));
    }

    /**
     * Starts a probe of every endpoint; each future completes with the chain or fails with a
     * {@link ProbeException}. The loop's threads end when the last probe has finished.
     */
    Map<Endpoint, CompletableFuture<ServedChain>> start(Collection<Endpoint> endpoints, Set<Endpoint> tls13Only) {
        Map<Endpoint, CompletableFuture<ServedChain>> out = new LinkedHashMap<>();
        for (Endpoint e : endpoints) out.putIfAbsent(e, null);
        unfinished.set(out.size());
        if (out.isEmpty()) {
            shutdown();
            return out;
        }
        for (Endpoint e : out.keySet()) {
            CompletableFuture<ServedChain> f = probe(e, tls13Only);
            f.whenComplete((ok, failed) -> {
                if (unfinished.decrementAndGet() == 0) selector.wakeup();
            });
            out.put(e, f);
        }
        Thread t = new Thread(this::loop, "certops-probe-io");
        t.setDaemon(true);
        t.start();
        return out;
    }

    /**
     * Chain-only: TLS 1.2 read in clear first; a server that leaves that plain path gets JSSE's probe as
     * {@link TlsProbe#fetch} does it (TLS 1.2, TLS 1.3 when the server refuses 1.2 (remembered), TLS 1.0 / 1.1).
     */
    private CompletableFuture<ServedChain> probe(Endpoint e, Set<Endpoint> tls13Only) {
        if (!chainOnly) return attempt(e, null);
        if (tls13Only.contains(e)) return attempt(e, TlsProbe.TLS13);
        return attempt(e, CLEAR).handle((served, failed) -> {
            if (failed == null) return CompletableFuture.completedFuture(served);
            ProbeException why = unwrap(failed);
            return why instanceof Deviated ? throughJsse(e, tls13Only) : CompletableFuture.<ServedChain>failedFuture(why);
        }).thenCompose(Function.identity());
    }

    /** JSSE's chain-only probe: TLS 1.2, then TLS 1.3 (remembered), then TLS 1.0 / 1.1 through Bouncy Castle. */
    private CompletableFuture<ServedChain> throughJsse(Endpoint e, Set<Endpoint> tls13Only) {
        return attempt(e, TlsProbe.TLS12).handle((served, failed) -> {
            if (failed == null) return CompletableFuture.completedFuture(served);
            ProbeException first = unwrap(failed);
            if (first.reason() != ProbeException.Reason.HANDSHAKE) return CompletableFuture.<ServedChain>failedFuture(first);
            return attempt(e, TlsProbe.TLS13).handle((again, second) -> {
                if (second == null) {
                    tls13Only.add(e);
                    return CompletableFuture.completedFuture(again);
                }
                ProbeException s = unwrap(second);
                if (s.reason() != ProbeException.Reason.HANDSHAKE) return CompletableFuture.<ServedChain>failedFuture(s);
                // neither TLS 1.2 nor 1.3: a server that speaks only TLS 1.0 / 1.1 still has a certificate to judge
                return attempt(e, LEGACY).handle((old, third) -> {
                    if (third == null) return old;
                    ProbeException t = unwrap(third);
                    throw new CompletionException(t.reason() == ProbeException.Reason.HANDSHAKE ? first : t);
                });
            }).thenCompose(Function.identity());
        }).thenCompose(Function.identity());
    }

    /** The server left the plain TLS 1.2 path of {@link ClearChainReader}: JSSE's probe decides. Never reported. */
    private static final class Deviated extends ProbeException {
        private static final long serialVersionUID = 1L;

        Deviated(Endpoint e) { super(e, Reason.HANDSHAKE, "the server answered TLS 1.2 otherwise than plainly; asking again through JSSE"); }
    }

    private static ProbeException unwrap(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ProbeException p) return p;
        }
        throw new IllegalStateException("probe failed unexpectedly", t);
    }

    private CompletableFuture<ServedChain> attempt(Endpoint e, String[] protocols) {
        Conn c = new Conn(e, protocols);
        address(e.host()).whenComplete((addr, failed) -> {
            if (failed != null) {
                c.fail(new ProbeException(e, ProbeException.Reason.DNS, "the name does not resolve — check DNS for " + e.host()));
            } else {
                c.destination = new InetSocketAddress(addr, e.port());
                incoming.add(c);
                selector.wakeup();
            }
        });
        return c.result;
    }

    private CompletableFuture<InetAddress> address(String host) {
        if (TlsProbe.isIpLiteral(host)) {
            try {
                return CompletableFuture.completedFuture(InetAddress.getByName(host)); // a literal: parsed, not looked up
            } catch (UnknownHostException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return resolved.computeIfAbsent(host, h -> CompletableFuture.supplyAsync(() -> {
            try {
                return InetAddress.getByName(h);
            } catch (UnknownHostException e) {
                throw new CompletionException(e);
            }
        }, resolvers));
    }

    // ---- the selector thread ----

    private void loop() {
        selectorThread = Thread.currentThread();
        try {
            while (unfinished.get() > 0) {
                admit();
                Runnable task;
                while ((task = selectorTasks.poll()) != null) task.run();
                long now = System.nanoTime();
                if (now - earliestDeadline >= 0) expire(now);
                long waitMs = earliestDeadline == Long.MAX_VALUE ? 100 : Math.max(1, (earliestDeadline - now) / 1_000_000 + 1);
                selector.select(Math.min(waitMs, 100));
                for (SelectionKey k : selector.selectedKeys()) {
                    Conn c = (Conn) k.attachment();
                    try {
                        boolean connecting = k.isConnectable();
                        k.interestOps(0);
                        if (connecting) c.finishConnect();
                        else c.dispatch();
                    } catch (CancelledKeyException closedMeanwhile) {
                        // finished (a deadline) meanwhile
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | RuntimeException e) {
            for (Conn c : open) c.fail(new ProbeException(c.endpoint, ProbeException.Reason.HANDSHAKE, "the probe loop failed: " + e.getMessage()));
        } finally {
            shutdown();
        }
    }

    /**
     * Opens waiting connections while there is room: at most {@code maxInFlight} in all and
     * {@value #PER_DESTINATION} per address and port (a server's listen queue overflows when a
     * thousand connections arrive at once, and its dropped SYNs would cost seconds), destinations
     * taken in turn.
     */
    private void admit() {
        Conn c;
        while ((c = finished.poll()) != null) {
            Destination d = destinations.get(c.destination);
            d.open--;
            inFlight--;
            d.offerIfReady();
        }
        while ((c = incoming.poll()) != null) {
            Destination d = destinations.computeIfAbsent(c.destination, a -> new Destination());
            d.waiting.add(c);
            d.offerIfReady();
        }
        while (inFlight < maxInFlight && !ready.isEmpty()) {
            Destination d = ready.poll();
            d.queued = false;
            Conn next = d.waiting.poll();
            d.open++;
            inFlight++;
            next.connect();
            d.offerIfReady();
        }
    }

    /** One address and port: its open connections and those waiting for a slot. */
    private final class Destination {
        final Queue<Conn> waiting = new ArrayDeque<>();
        int open;
        boolean queued;

        void offerIfReady() {
            if (!queued && open < PER_DESTINATION && !waiting.isEmpty()) {
                queued = true;
                ready.add(this);
            }
        }
    }

    private void expire(long now) {
        long next = Long.MAX_VALUE;
        for (Conn c : open) {
            if (c.ourTurn) {
                next = Math.min(next, now + 10_000_000L); // look again soon
                continue;
            }
            // a clear read is stepped on this thread, so its answer may have come while this thread was busy with
            // others: it reads what is there before the server is called silent
            if (now - c.deadline >= 0 && c.connected && c.protocols == CLEAR) c.dispatch();
            if (c.done.get()) continue;
            if (now - c.deadline >= 0) c.timeOut();
            else next = Math.min(next, c.deadline);
        }
        earliestDeadline = next;
    }

    private void noteDeadline(long at) {
        if (at - earliestDeadline < 0) earliestDeadline = at;
    }

    /** Asks the selector thread for readiness events ({@code ops}) on this connection. */
    private void want(Conn c, int ops) {
        c.deadline += System.nanoTime() - c.turnStarted; // the time spent on our side does not count against the server
        c.ourTurn = false;
        Runnable ask = () -> {
            try {
                if (c.key != null && c.key.isValid()) c.key.interestOps(ops);
            } catch (CancelledKeyException closedMeanwhile) {
                // the connection finished (a deadline) while this request was queued
            }
        };
        if (onSelectorThread()) {
            ask.run();
        } else {
            selectorTasks.add(ask);
            selector.wakeup();
        }
    }

    private boolean onSelectorThread() { return Thread.currentThread() == selectorThread; }

    private void shutdown() {
        workers.shutdown();
        resolvers.shutdown();
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing registered any more
        }
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** One connection: connect, optional plain-text opening, handshake until the chain is read. */
    private final class Conn {
        final Endpoint endpoint;
        final String[] protocols;
        final CompletableFuture<ServedChain> result = new CompletableFuture<>();
        final AtomicBoolean done = new AtomicBoolean();
        InetSocketAddress destination;
        /** Queued for or running on a worker: the server has answered and it is our turn, so its deadline waits. */
        volatile boolean ourTurn;
        volatile long turnStarted;
        SocketChannel ch;
        SelectionKey key;
        volatile long deadline;
        long started;
        volatile boolean connected;
        Opening opening;
        SSLEngine engine;
        TlsClientProtocol legacy;
        LegacyProbe.Reader legacyReader;
        ClearChainReader clear;
        ByteBuffer netIn;
        ByteBuffer netOut;
        ByteBuffer appIn;

        Conn(Endpoint endpoint, String[] protocols) {
            this.endpoint = endpoint;
            this.protocols = protocols;
        }

        /** On the selector thread: open the socket and start connecting. */
        void connect() {
            started = System.nanoTime();
            deadline = started + connectTimeout.toNanos();
            open.add(this);
            noteDeadline(deadline);
            try {
                ch = SocketChannel.open();
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                boolean now = ch.connect(destination);
                key = ch.register(selector, now ? 0 : SelectionKey.OP_CONNECT, this);
                if (now) connected();
            } catch (IOException e) {
                fail(Unreachable.classify(endpoint, e, false, connectTimeout, handshakeTimeout));
            }
        }

        /** On the selector thread: the socket is connectable (connected or refused); a cheap call, so connect deadlines measure the network only. */
        void finishConnect() {
            try {
                if (ch.finishConnect()) connected();
                else key.interestOps(SelectionKey.OP_CONNECT);
            } catch (IOException e) {
                fail(Unreachable.classify(endpoint, e, false, connectTimeout, handshakeTimeout));
            }
        }

        private void connected() {
            connected = true;
            deadline = System.nanoTime() + handshakeTimeout.toNanos();
            dispatch();
        }

        /**
         * Hands this connection to a worker (a clear read: steps it here, on the selector thread). Its deadline pauses while it waits for our CPU rather than
         * for the server: on a busy machine a thousand answers queued for two cores must not turn into
         * timeouts. Only the server's silence counts.
         */
        void dispatch() {
            turnStarted = System.nanoTime();
            ourTurn = true;
            // a clear read's step is a few system calls and a lookup in the X.509 factory's cache: handing it to a
            // worker and back would cost more than the step (two thread wake-ups per step)
            if (protocols == CLEAR) step();
            else workers.execute(this::step);
        }

        /** On a worker: advance as far as the bytes at hand allow, then ask for the next event. */
        void step() {
            if (done.get()) return;
            try {
                if (opening == null && engine == null && legacy == null && clear == null) {
                    opening = openings.apply(endpoint).orElse(null);
                    // a clear read needs a few KB (its buffers grow for a larger flight); a thousand connections at once
                    // with a TLS record's worth each would be 34 MB to allocate, zero and collect
                    boolean small = opening == null && protocols == CLEAR;
                    netIn = ByteBuffer.allocate(small ? 4 * 1024 : 17 * 1024);
                    netOut = ByteBuffer.allocate(small ? 512 : 17 * 1024);
                    if (opening != null) {
                        netOut.put(opening.first());
                    } else {
                        startTls();
                    }
                }
                if (opening != null) {
                    speakPlainText();
                } else {
                    tls();
                }
            } catch (SSLException e) {
                Optional<ChainCapture.Captured> captured = ChainCapture.find(e);
                if (captured.isPresent()) {
                    succeed(captured.get().chain(), captured.get().protocol());
                } else {
                    fail(Unreachable.classify(endpoint, e, false, connectTimeout, handshakeTimeout));
                }
            } catch (IOException e) {
                fail(Unreachable.classify(endpoint, e, done.get(), connectTimeout, handshakeTimeout));
            } catch (RuntimeException e) {
                fail(new ProbeException(endpoint, ProbeException.Reason.HANDSHAKE, "the probe failed unexpectedly: " + e.getMessage()));
            }
        }

        private void startTls() throws IOException {
            if (protocols == CLEAR) {
                Optional<byte[]> hello = ClearChainReader.clientHello(endpoint.sni());
                if (hello.isEmpty()) {
                    fail(new Deviated(endpoint));
                    return;
                }
                clear = new ClearChainReader();
                if (hello.get().length > netOut.remaining()) netOut = grow(netOut, netOut.position() + hello.get().length);
                netOut.put(hello.get());
                return;
            }
            if (protocols == LEGACY) {
                legacyReader = new LegacyProbe.Reader(endpoint);
                legacy = new TlsClientProtocol(); // non-blocking: bytes in with offerInput, out with readOutput
                legacy.connect(legacyReader.client());
                return;
            }
            engine = context.get().createSSLEngine(endpoint.sni(), endpoint.port());
            engine.setUseClientMode(true);
            SSLParameters params = engine.getSSLParameters();
            if (!TlsProbe.isIpLiteral(endpoint.sni())) params.setServerNames(List.of(new SNIHostName(endpoint.sni())));
            engine.setSSLParameters(params);
            if (protocols != null) engine.setEnabledProtocols(protocols);
            appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
            engine.beginHandshake();
        }

        /** STARTTLS and the like: the server's bytes to the opening, its answers to the server, until it says TLS starts. */
        private void speakPlainText() throws IOException {
            while (true) {
                if (!flush()) return;
                netIn.flip();
                Opening.Reply reply = opening.onBytes(netIn);
                netIn.compact();
                if (reply instanceof Opening.Reply.Send s) {
                    if (s.bytes().length > netOut.remaining()) netOut = grow(netOut, netOut.position() + s.bytes().length);
                    netOut.put(s.bytes());
                } else if (reply instanceof Opening.Reply.StartTls) {
                    opening = null;
                    netIn.clear(); // the server waits for our ClientHello: nothing of TLS is in here
                    startTls();
                    tls();
                    return;
                } else if (reply instanceof Opening.Reply.Refuse r) {
                    fail(new ProbeException(endpoint, ProbeException.Reason.NO_TLS, r.why()));
                    return;
                } else {
                    if (!netIn.hasRemaining()) {
                        fail(new ProbeException(endpoint, ProbeException.Reason.NO_TLS, "STARTTLS " + endpoint.starttls().label()
                                + ": the server said too much before TLS — is this the right port and protocol?"));
                        return;
                    }
                    int n = ch.read(netIn);
                    if (n < 0) throw new EOFException("the server closed the connection before TLS started");
                    if (n == 0) {
                        want(this, SelectionKey.OP_READ);
                        return;
                    }
                }
            }
        }

        private void tls() throws IOException {
            if (done.get()) return;
            if (clear != null) clearHandshake();
            else if (legacy != null) legacyHandshake();
            else handshake();
        }

        /**
         * TLS 1.2 in clear: the ClientHello out, the server's records in until its Certificate message. Whatever
         * else happens once connected (an alert, a reset, a close, bytes that are not TLS 1.2) is a deviation,
         * so that JSSE's probe meets it and says what it says.
         */
        private void clearHandshake() {
            try {
                while (true) {
                    if (!flush()) return;
                    netIn.flip();
                    ClearChainReader.Step s = clear.offer(netIn);
                    netIn.compact();
                    if (s.deviated()) {
                        fail(new Deviated(endpoint));
                        return;
                    }
                    if (s.chain().isPresent()) {
                        ch.write(ByteBuffer.wrap(ClearChainReader.ABANDON)); // as JSSE's probe leaves it: certificate_unknown, best effort
                        succeed(s.chain().get(), "TLSv1.2");
                        return;
                    }
                    if (!netIn.hasRemaining()) netIn = grow(netIn, netIn.capacity() * 2);
                    int n = ch.read(netIn);
                    if (n < 0) {
                        fail(new Deviated(endpoint));
                        return;
                    }
                    if (n == 0) {
                        want(this, SelectionKey.OP_READ);
                        return;
                    }
                }
            } catch (IOException e) {
                fail(new Deviated(endpoint)); // a no-op when the deadline closed the connection: it already failed, with a timeout
            }
        }

        /** Writes what is pending; false (and OP_WRITE asked for) when the socket cannot take it all now. */
        private boolean flush() throws IOException {
            if (netOut.position() == 0) return true;
            netOut.flip();
            ch.write(netOut);
            netOut.compact();
            if (netOut.position() == 0) return true;
            want(this, SelectionKey.OP_WRITE);
            return false;
        }

        private void handshake() throws IOException {
            while (true) {
                if (!flush()) return;
                switch (engine.getHandshakeStatus()) {
                    case NEED_WRAP -> {
                        SSLEngineResult r = engine.wrap(EMPTY, netOut);
                        if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) netOut = grow(netOut, engine.getSession().getPacketBufferSize());
                        else if (r.getStatus() == SSLEngineResult.Status.CLOSED) throw new SSLException("the TLS session closed during the handshake");
                    }
                    case NEED_TASK -> {
                        Runnable task;
                        while ((task = engine.getDelegatedTask()) != null) task.run();
                    }
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        netIn.flip();
                        SSLEngineResult r = engine.unwrap(netIn, appIn);
                        netIn.compact();
                        switch (r.getStatus()) {
                            case BUFFER_UNDERFLOW -> {
                                if (!netIn.hasRemaining()) netIn = grow(netIn, engine.getSession().getPacketBufferSize());
                                int n = ch.read(netIn);
                                if (n < 0) throw new EOFException("the server closed the connection during the TLS handshake");
                                if (n == 0) {
                                    want(this, SelectionKey.OP_READ);
                                    return;
                                }
                            }
                            case BUFFER_OVERFLOW -> appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
                            case CLOSED -> throw new SSLException("the server ended the TLS session during the handshake");
                            default -> { /* progress: look at the handshake status again */ }
                        }
                    }
                    default -> {
                        if (engine.getSession().getPeerCertificates().length == 0) throw new SSLException("the handshake finished without the server's certificate");
                        flush(); // our Finished, best effort: the chain is read
                        SSLSession session = engine.getSession();
                        List<X509Certificate> chain = new ArrayList<>();
                        for (Certificate cert : session.getPeerCertificates()) chain.add((X509Certificate) cert);
                        String protocol = session.getProtocol();
                        session.invalidate(); // never resumed: the next probe must see what is served then
                        succeed(List.copyOf(chain), protocol);
                        return;
                    }
                }
            }
        }

        /** TLS 1.0 / 1.1 through Bouncy Castle: until its client has read the server's Certificate message (then it abandons on purpose). */
        private void legacyHandshake() throws IOException {
            while (true) {
                int pending = legacy.getAvailableOutputBytes();
                if (pending > 0) {
                    if (pending > netOut.remaining()) netOut = grow(netOut, netOut.position() + pending);
                    legacy.readOutput(netOut, pending);
                }
                if (!flush()) return;
                int n = ch.read(netIn);
                if (n < 0) throw new EOFException("the server closed the connection during the TLS handshake");
                if (n == 0) {
                    want(this, SelectionKey.OP_READ);
                    return;
                }
                netIn.flip();
                byte[] in = new byte[netIn.remaining()];
                netIn.get(in);
                netIn.clear();
                try {
                    legacy.offerInput(in);
                } catch (IOException abandoned) {
                    Optional<List<X509Certificate>> chain = legacyReader.chain();
                    if (chain.isEmpty()) throw new SSLException("no TLS 1.0 or 1.1 either: " + abandoned.getMessage(), abandoned);
                    succeed(chain.get(), legacyReader.protocol());
                    return;
                }
            }
        }

        private ByteBuffer grow(ByteBuffer b, int atLeast) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(atLeast, b.capacity() * 2));
            b.flip();
            bigger.put(b);
            return bigger;
        }

        /** On the selector thread: the deadline passed. */
        void timeOut() {
            IOException why = connected ? new SocketTimeoutException("deadline") : new SocketTimeoutException("connect timed out");
            fail(Unreachable.classify(endpoint, why, connected, connectTimeout, handshakeTimeout));
        }

        private void succeed(List<X509Certificate> chain, String protocol) {
            if (finish()) result.complete(new ServedChain(endpoint, chain, protocol, Duration.ofNanos(System.nanoTime() - started)));
        }

        void fail(ProbeException e) {
            if (finish()) result.completeExceptionally(e);
        }

        private boolean finish() {
            if (!done.compareAndSet(false, true)) return false;
            try {
                if (ch != null) ch.close();
            } catch (IOException ignored) {
                // closing is all we want
            }
            if (open.remove(this)) {
                finished.add(this);
                if (!onSelectorThread()) selector.wakeup(); // a slot is free for the next waiting connection
            }
            return true;
        }
    }
}
