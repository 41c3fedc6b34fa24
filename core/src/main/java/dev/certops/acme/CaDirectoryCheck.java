package dev.certops.acme;

import com.fasterxml.jackson.databind.JsonNode;
import dev.certops.config.CaConfig;
import dev.certops.config.Workspace;
import dev.certops.words.Causes;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLSocketFactory;
import org.shredzone.acme4j.exception.AcmeException;

/**
 * {@code config check}'s look at each CA: one GET of its ACME directory (and of its staging
 * directory), bounded by a timeout, with the CA entry's {@code trust:} exactly as issuance uses it.
 */
public final class CaDirectoryCheck {
    /** What the directory answered: ok, a configuration problem, or a network one. */
    public enum Kind { OK, UNTRUSTED_TLS, WRONG_TLS_NAME, NOT_A_DIRECTORY, UNREACHABLE, CA_ERROR, NOT_ASKED }

    /**
     * One directory's answer, in words.
     *
     * @param ca        the CA entry's label ("letsencrypt", "letsencrypt (staging)")
     * @param directory the URL asked
     * @param detail    what was found, as a sentence
     */
    public record Result(String ca, URI directory, Kind kind, String detail) {
        /** Untrusted TLS, a CA certificate for another name and a URL that is no ACME directory are certops.yaml's to fix; the network may come back. */
        public boolean configProblem() { return kind == Kind.UNTRUSTED_TLS || kind == Kind.WRONG_TLS_NAME || kind == Kind.NOT_A_DIRECTORY; }

        @Override
        public String toString() { return ca + " (" + directory + "): " + detail; }
    }

    private CaDirectoryCheck() { }

    /** Every CA's directory, and its staging directory when it has one, in certops.yaml's order. */
    public static List<Result> check(List<CaConfig> cas, Workspace ws, Duration timeout) {
        List<Result> out = new ArrayList<>();
        for (CaConfig ca : cas) {
            for (CaEndpoint e : ca.staging().isPresent() ? List.of(new CaEndpoint(ca, false), new CaEndpoint(ca, true)) : List.of(new CaEndpoint(ca, false))) {
                out.add(check(e, ca.trust().map(ws::resolve), timeout));
            }
        }
        return out;
    }

    static Result check(CaEndpoint ca, Optional<Path> trust, Duration timeout) {
        URI dir = ca.directory();
        SSLSocketFactory tls;
        try {
            tls = CaTls.sslContext(trust).getSocketFactory();
        } catch (IOException e) {
            return new Result(ca.label(), dir, Kind.NOT_ASKED, "not asked: " + e.getMessage());
        }
        try {
            JsonNode d = DirectoryProbe.read(dir, tls, (int) Math.max(1, timeout.toMillis()));
            List<String> missing = new ArrayList<>();
            for (String key : List.of("newNonce", "newAccount", "newOrder")) {
                if (!d.hasNonNull(key)) missing.add(key);
            }
            if (!missing.isEmpty()) {
                return new Result(ca.label(), dir, Kind.NOT_A_DIRECTORY, "not an ACME directory: the JSON it answered has no " + String.join(", ", missing)
                        + " — check the directory URL in certops.yaml");
            }
            return new Result(ca.label(), dir, Kind.OK, "ok");
        } catch (RenewalInformation.Unreachable e) {
            return new Result(ca.label(), dir, Kind.CA_ERROR, e.getMessage());
        } catch (AcmeException e) {
            return new Result(ca.label(), dir, Kind.NOT_A_DIRECTORY, "not an ACME directory: " + e.getMessage().replace("the ACME directory " + dir + " ", "it ")
                    + " — check the directory URL in certops.yaml");
        } catch (IOException e) {
            Optional<String> untrusted = CaTls.untrusted(e);
            if (untrusted.isPresent()) return new Result(ca.label(), dir, Kind.UNTRUSTED_TLS, "untrusted TLS: " + untrusted.get());
            Optional<String> wrongName = CaTls.wrongName(e);
            if (wrongName.isPresent()) return new Result(ca.label(), dir, Kind.WRONG_TLS_NAME, "TLS for another name: " + wrongName.get());
            return new Result(ca.label(), dir, Kind.UNREACHABLE, "unreachable: " + unreachable(dir, e, timeout));
        }
    }

    private static String unreachable(URI dir, IOException e, Duration timeout) {
        String where = dir.getHost() + ":" + (dir.getPort() > 0 ? dir.getPort() : 443);
        if (e instanceof ConnectException) return "connection refused at " + where + " (nothing listens there: is the CA down, or the URL's port wrong?)";
        if (e instanceof UnknownHostException) return "the name " + dir.getHost() + " does not resolve (check the URL and this machine's DNS)";
        if (e instanceof SocketTimeoutException) return "no answer from " + where + " within " + timeout.toSeconds() + " s";
        return Causes.of(e);
    }
}
