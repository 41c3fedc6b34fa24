package dev.certops.acme;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.certops.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;
import org.shredzone.acme4j.exception.AcmeException;

/**
 * Whether a CA's ACME directory offers renewal information, read with one plain GET
 * ({@link HttpURLConnection}, the connection closed afterwards). acme4j's {@code java.net.http}
 * client would leave its selector thread waiting in native code, and a JVM exiting with such a
 * thread waits 300 ms for it: most of a renew dry run's exit when the CA has no ARI (Pebble 2.4).
 */
final class DirectoryProbe {
    private static final ObjectMapper JSON = Json.mapper();
    private static final int TIMEOUT_MILLIS = 10_000; // acme4j's default network timeout

    private DirectoryProbe() { }

    /**
     * True when the directory names a {@code renewalInfo} resource.
     *
     * @throws RenewalInformation.Unreachable the CA cannot be reached (network, TLS, timeout) or answers
     *         HTTP 5xx or 429 (down, overloaded or limiting requests)
     * @throws IOException the {@code trust} file cannot be read
     * @throws AcmeException the CA answered, but not with a directory
     */
    static boolean offersRenewalInfo(URI directory, Optional<Path> trust) throws IOException, AcmeException {
        SSLSocketFactory tls = CaTls.sslContext(trust).getSocketFactory();
        try {
            return read(directory, tls, TIMEOUT_MILLIS).hasNonNull("renewalInfo");
        } catch (AcmeException e) {
            throw e;
        } catch (IOException e) {
            throw new RenewalInformation.Unreachable(e.getMessage(), e);
        }
    }

    /**
     * The directory object, within {@code timeoutMillis} for connecting and for each read.
     *
     * @throws RenewalInformation.Unreachable HTTP 5xx or 429
     * @throws IOException the network or TLS failed ({@link CaTls#untrusted} names an untrusted certificate)
     * @throws AcmeException the CA answered, but not with a directory (another status, not JSON, not an object)
     */
    static JsonNode read(URI directory, SSLSocketFactory tls, int timeoutMillis) throws IOException, AcmeException {
        HttpURLConnection c = (HttpURLConnection) directory.toURL().openConnection();
        try {
            if (c instanceof HttpsURLConnection https) https.setSSLSocketFactory(tls);
            c.setConnectTimeout(timeoutMillis);
            c.setReadTimeout(timeoutMillis);
            c.setRequestProperty("Accept", "application/json");
            c.setRequestProperty("Connection", "close");
            int status = c.getResponseCode();
            if (status / 100 == 5 || status == 429) {
                throw new RenewalInformation.Unreachable("the ACME directory " + directory + " answered HTTP " + status
                        + " (the CA is down or limiting requests; renew asks again on its next run)", null);
            }
            if (status / 100 != 2) throw new AcmeException("the ACME directory " + directory + " answered HTTP " + status);
            JsonNode dir;
            try (InputStream in = c.getInputStream()) {
                dir = JSON.readTree(in);
            } catch (JacksonException e) {
                throw new AcmeException("the ACME directory " + directory + " is not JSON: " + e.getOriginalMessage());
            }
            if (dir == null || !dir.isObject()) throw new AcmeException("the ACME directory " + directory + " is not a JSON object");
            return dir;
        } finally {
            c.disconnect();
        }
    }
}
