package dev.certops.acme;

import dev.certops.acme.dns.DnsProviderException;
import dev.certops.acme.dns.DnsRouting;
import dev.certops.acme.dns.PropagationChecker;
import dev.certops.config.HostConfig;
import dev.certops.deploy.DeployException;
import dev.certops.deploy.HostChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.LoggerFactory;

/**
 * Puts a challenge response where the CA will look, and takes it away again — on success and on
 * failure. HTTP-01 writes the token file into the host's webroot through the deploy port; DNS-01
 * publishes a TXT record through a DNS provider and waits until it is visible.
 */
interface ChallengePublisher {

    /** Publishes and waits until it can be seen (DNS propagation). Returns a description for the log. */
    String publish(String name, String tokenOrRecord, String content) throws PublishException;

    void remove(String name, String tokenOrRecord, String content);

    /** Whether this publisher answers DNS-01 (a TXT record) rather than HTTP-01 (a token). */
    default boolean dns() { return false; }

    /** A publication that could not be made; the message says where and why. */
    final class PublishException extends Exception {
        private static final long serialVersionUID = 1L;
        PublishException(String message, Throwable cause) { super(message, cause); }
    }

    /** HTTP-01 through a host's webroot: {@code webroot/.well-known/acme-challenge/TOKEN}. */
    final class Webroot implements ChallengePublisher {
        private final HostConfig host;
        private final HostChannel channel;

        Webroot(HostConfig host, HostChannel channel) {
            this.host = host;
            this.channel = channel;
        }

        private String path(String token) {
            if (!token.matches("[A-Za-z0-9_-]{1,256}")) throw new IllegalArgumentException("the CA sent a token that is not base64url");
            return host.webroot().orElseThrow() + "/.well-known/acme-challenge/" + token;
        }

        @Override
        public String publish(String name, String token, String content) throws PublishException {
            try {
                channel.mkdirs(host.webroot().orElseThrow() + "/.well-known/acme-challenge", 0755);
                channel.write(path(token), content.getBytes(StandardCharsets.US_ASCII), 0644);
                return "token for " + name + " placed in " + host.id() + ":" + path(token);
            } catch (DeployException e) {
                throw new PublishException("HTTP-01 token for " + name + " could not be written on " + host.id() + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void remove(String name, String token, String content) {
            try {
                channel.delete(path(token));
            } catch (DeployException | RuntimeException e) {
                LoggerFactory.getLogger(Webroot.class).warn("HTTP-01 token for {} could not be removed from {}: {}", name, host.id(), e.getMessage());
            }
        }
    }

    /**
     * HTTP-01 behind a load balancer: the token is written to every host's webroot, so whichever backend
     * the CA reaches has it; removed from all of them (each failure only logged, as for one host).
     */
    final class Webroots implements ChallengePublisher {
        private final List<Webroot> webroots;

        Webroots(List<Webroot> webroots) { this.webroots = List.copyOf(webroots); }

        @Override
        public String publish(String name, String token, String content) throws PublishException {
            List<String> placed = new ArrayList<>();
            for (Webroot w : webroots) placed.add(w.publish(name, token, content));
            return String.join("; ", placed);
        }

        @Override
        public void remove(String name, String token, String content) {
            for (Webroot w : webroots) w.remove(name, token, content);
        }
    }

    /** HTTP-01 answered by the in-process {@link Http01Responder}: nothing on disk, gone when removed. */
    final class Responder implements ChallengePublisher {
        private final Http01Responder responder;

        Responder(Http01Responder responder) { this.responder = responder; }

        @Override
        public String publish(String name, String token, String content) {
            responder.put(token, content);
            return "token for " + name + " served in-process on " + responder.where();
        }

        @Override
        public void remove(String name, String token, String content) { responder.remove(token); }
    }

    /**
     * DNS-01 through the provider that owns the end of the record's CNAME chain, waiting until every
     * authoritative server of that zone answers the value before the CA is asked.
     */
    final class Dns implements ChallengePublisher {
        private final DnsRouting routing;
        private final Map<String, DnsRouting.Route> routes = new ConcurrentHashMap<>();

        Dns(DnsRouting routing) { this.routing = routing; }

        @Override
        public boolean dns() { return true; }

        @Override
        public String publish(String name, String record, String digest) throws PublishException {
            try {
                DnsRouting.Route route = routing.route(record);
                routes.put(record + " " + digest, route);
                route.provider().present(route.target(), digest);
                PropagationChecker.Seen seen = route.propagation().awaitTxt(route.target(), digest, route.timing());
                return "TXT " + route.describe() + " published and visible on "
                        + (seen.servers().size() == 1 ? seen.servers().get(0) : "all " + seen.servers().size() + " servers");
            } catch (DnsProviderException e) {
                throw new PublishException("DNS-01 record for " + name + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void remove(String name, String record, String digest) {
            try {
                DnsRouting.Route route = routes.remove(record + " " + digest);
                if (route == null) route = routing.route(record);
                route.provider().cleanUp(route.target(), digest);
            } catch (DnsProviderException | RuntimeException e) {
                LoggerFactory.getLogger(Dns.class).warn("DNS-01 record {} could not be removed: {}", record, e.getMessage());
            }
        }
    }

    /**
     * Removes in the background: the record of an authorization the CA found valid is taken down while the order is
     * finalized and the certificate downloaded, not before (a DNS provider's change is a round trip or more: some
     * 0.1–0.5 s for a cloud API). The next publication waits for every removal under way first (the authorizations of a
     * wildcard and of its base name share one record name, and a provider may clear every value of it), and
     * {@link #close} waits for all of them: a command never ends before it tried to remove what it published. A removal
     * that fails is logged by the publisher, as before.
     */
    final class RemovedInBackground implements ChallengePublisher, AutoCloseable {
        private final ChallengePublisher inner;
        private final List<Thread> removals = new ArrayList<>();

        RemovedInBackground(ChallengePublisher inner) { this.inner = inner; }

        @Override
        public boolean dns() { return inner.dns(); }

        @Override
        public String publish(String name, String where, String content) throws PublishException {
            awaitRemovals();
            return inner.publish(name, where, content);
        }

        @Override
        public void remove(String name, String where, String content) {
            Thread t = new Thread(() -> inner.remove(name, where, content), "certops-challenge-cleanup");
            t.setDaemon(true);
            synchronized (removals) {
                removals.add(t);
            }
            t.start();
        }

        /** Waits for every removal started; an interrupt is kept for the caller, the removals go on. */
        void awaitRemovals() {
            List<Thread> started;
            synchronized (removals) {
                started = new ArrayList<>(removals);
                removals.clear();
            }
            for (Thread t : started) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        @Override
        public void close() { awaitRemovals(); }
    }
}
