package dev.certops.acme.dns;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.certops.config.DnsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Route 53 provider against a local HTTP server that follows the published Route 53 API reference
 * (version 2013-04-01) — AWS cannot be reached from here; {@code certops dns test} is the check against
 * a real account. The server recomputes every request's Signature Version 4 with its own
 * implementation ({@link SigV4}, written from the AWS documents and checked against the AWS SigV4 test
 * suite's {@code get-vanilla} vector), never with the signer the product uses.
 * <ul>
 *   <li>Signature V4: https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html ;
 *       test suite: https://docs.aws.amazon.com/general/latest/gr/signature-v4-test-suite.html ; a wrong
 *       signature answers 403 {@code SignatureDoesNotMatch} —
 *       https://docs.aws.amazon.com/Route53/latest/APIReference/CommonErrors.html</li>
 *   <li>{@code GET /2013-04-01/hostedzonesbyname?dnsname=&hostedzoneid=&maxitems=}, paged with
 *       {@code IsTruncated, NextDNSName, NextHostedZoneId}, {@code Config/PrivateZone} —
 *       https://docs.aws.amazon.com/Route53/latest/APIReference/API_ListHostedZonesByName.html</li>
 *   <li>{@code GET /2013-04-01/hostedzone/Id/rrset?name=&type=&maxitems=} (the listing starts at name) —
 *       https://docs.aws.amazon.com/Route53/latest/APIReference/API_ListResourceRecordSets.html</li>
 *   <li>{@code POST /2013-04-01/hostedzone/Id/rrset/} with a {@code ChangeBatch} of {@code UPSERT}/{@code DELETE};
 *       DELETE must match the existing set exactly, else 400 {@code InvalidChangeBatch} —
 *       https://docs.aws.amazon.com/Route53/latest/APIReference/API_ChangeResourceRecordSets.html</li>
 *   <li>{@code GET /2013-04-01/change/Id}: {@code PENDING} then {@code INSYNC} —
 *       https://docs.aws.amazon.com/Route53/latest/APIReference/API_GetChange.html</li>
 *   <li>TXT values in double quotes — https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/ResourceRecordTypes.html#TXTFormat</li>
 * </ul>
 */
class Route53ProviderTest {
    private static final String ACCESS_KEY = "AKIDEXAMPLECERTOPS";
    private static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY-certops";
    private static final String NS = "https://route53.amazonaws.com/doc/2013-04-01/";
    static HttpServer server;
    /** name → quoted values of the TXT set in the public zone. */
    static final TreeMap<String, List<String>> txt = new TreeMap<>();
    static final List<String> requests = new CopyOnWriteArrayList<>();
    static final Map<String, Integer> changePolls = new LinkedHashMap<>();
    static int changes;

    @BeforeAll static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.createContext("/2013-04-01/", Route53ProviderTest::handle);
        server.start();
    }

    @AfterAll static void stop() { server.stop(0); }

    @BeforeEach void clear() {
        synchronized (txt) {
            txt.clear();
        }
        requests.clear();
    }

    /** An independent SigV4 (AWS4-HMAC-SHA256) as the AWS documents describe it. */
    static final class SigV4 {
        static String signature(String secretKey, String method, String path, String rawQuery, Map<String, String> headers,
                                List<String> signedHeaders, byte[] payload, String date, String region, String service) throws Exception {
            StringBuilder canonicalHeaders = new StringBuilder();
            for (String h : signedHeaders) canonicalHeaders.append(h).append(':').append(headers.get(h).trim().replaceAll(" +", " ")).append('\n');
            String canonical = method + "\n" + path + "\n" + canonicalQuery(rawQuery) + "\n" + canonicalHeaders + "\n"
                    + String.join(";", signedHeaders) + "\n" + hex(sha256(payload));
            String scope = date.substring(0, 8) + "/" + region + "/" + service + "/aws4_request";
            String toSign = "AWS4-HMAC-SHA256\n" + date + "\n" + scope + "\n" + hex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
            byte[] k = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), date.substring(0, 8));
            k = hmac(k, region);
            k = hmac(k, service);
            k = hmac(k, "aws4_request");
            return hex(hmac(k, toSign));
        }

        private static String canonicalQuery(String raw) {
            if (raw == null || raw.isEmpty()) return "";
            TreeMap<String, String> sorted = new TreeMap<>();
            for (String kv : raw.split("&")) {
                int eq = kv.indexOf('=');
                String k = eq < 0 ? kv : kv.substring(0, eq);
                String v = eq < 0 ? "" : kv.substring(eq + 1);
                sorted.put(uriEncode(URLDecoder.decode(k, StandardCharsets.UTF_8)), uriEncode(URLDecoder.decode(v, StandardCharsets.UTF_8)));
            }
            List<String> parts = new ArrayList<>();
            sorted.forEach((k, v) -> parts.add(k + "=" + v));
            return String.join("&", parts);
        }

        private static String uriEncode(String s) {
            StringBuilder out = new StringBuilder();
            for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
                char c = (char) (b & 0xff);
                if (Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_' || c == '.' || c == '~') out.append(c);
                else out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
            }
            return out.toString();
        }

        private static byte[] sha256(byte[] b) throws Exception { return MessageDigest.getInstance("SHA-256").digest(b); }

        private static byte[] hmac(byte[] key, String data) throws Exception {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        }

        private static String hex(byte[] b) { return HexFormat.of().formatHex(b); }
    }

    @Test
    void theTestServersOwnSigV4MatchesTheAwsTestSuiteGetVanillaVector() throws Exception {
        // aws-sig-v4-test-suite/get-vanilla: GET / with Host and X-Amz-Date, empty body
        String sig = SigV4.signature("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "GET", "/", "",
                Map.of("host", "example.amazonaws.com", "x-amz-date", "20150830T123600Z"), List.of("host", "x-amz-date"),
                new byte[0], "20150830T123600Z", "us-east-1", "service");

        assertThat(sig).isEqualTo("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    }

    private static final Pattern AUTH = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})");

    private static void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getRawPath();
            String rawQuery = ex.getRequestURI().getRawQuery();
            requests.add(method + " " + path + (rawQuery == null ? "" : "?" + rawQuery));
            Matcher m = AUTH.matcher(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            String date = ex.getRequestHeaders().getFirst("X-Amz-Date");
            boolean valid = false;
            if (m.matches() && date != null && m.group(2).equals(date.substring(0, 8)) && m.group(3).equals("us-east-1") && m.group(4).equals("route53")) {
                Map<String, String> headers = new LinkedHashMap<>();
                ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
                List<String> signed = List.of(m.group(5).split(";"));
                try {
                    String expected = SigV4.signature(SECRET_KEY, method, path, rawQuery, headers, signed, body, date, "us-east-1", "route53");
                    valid = m.group(1).equals(ACCESS_KEY) && signed.contains("host") && signed.contains("x-amz-date") && expected.equals(m.group(6));
                } catch (Exception e) {
                    valid = false;
                }
            }
            if (!valid) {
                error(ex, 403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.");
                return;
            }
            Map<String, String> q = ApiStub.query(rawQuery);
            if (method.equals("GET") && path.equals("/2013-04-01/hostedzonesbyname")) {
                zonesByName(ex, q);
            } else if (method.equals("GET") && path.equals("/2013-04-01/hostedzone/ZPUBLIC/rrset")) {
                listRrsets(ex, q);
            } else if (method.equals("POST") && path.equals("/2013-04-01/hostedzone/ZPUBLIC/rrset/")) {
                changeBatch(ex, new String(body, StandardCharsets.UTF_8));
            } else if (method.equals("GET") && path.startsWith("/2013-04-01/change/")) {
                String id = path.substring(path.lastIndexOf('/') + 1);
                int polls = changePolls.merge(id, 1, Integer::sum);
                reply(ex, 200, "<GetChangeResponse xmlns=\"" + NS + "\"><ChangeInfo><Id>/change/" + id + "</Id><Status>"
                        + (polls < 2 ? "PENDING" : "INSYNC") + "</Status><SubmittedAt>2026-12-06T05:00:00Z</SubmittedAt></ChangeInfo></GetChangeResponse>");
            } else {
                error(ex, 404, "NoSuchHostedZone", "No hosted zone found with ID: " + path);
            }
        }
    }

    /** Two zones named example.com. (a private one first, as the listing orders them by id) and one page per zone. */
    private static void zonesByName(HttpExchange ex, Map<String, String> q) throws IOException {
        String dnsName = q.getOrDefault("dnsname", "");
        boolean second = "ZPUBLIC".equals(q.get("hostedzoneid"));
        String zone = second ? zone("ZPUBLIC", false) : zone("ZPRIVATE", true);
        String paging = second || !dnsName.equals("example.com.") ? "<IsTruncated>false</IsTruncated>"
                : "<IsTruncated>true</IsTruncated><NextDNSName>example.com.</NextDNSName><NextHostedZoneId>ZPUBLIC</NextHostedZoneId>";
        String zones = dnsName.equals("example.com.") ? zone : "";
        reply(ex, 200, "<ListHostedZonesByNameResponse xmlns=\"" + NS + "\"><HostedZones>" + zones + "</HostedZones><DNSName>" + dnsName
                + "</DNSName>" + paging + "<MaxItems>" + q.getOrDefault("maxitems", "100") + "</MaxItems></ListHostedZonesByNameResponse>");
    }

    private static String zone(String id, boolean isPrivate) {
        return "<HostedZone><Id>/hostedzone/" + id + "</Id><Name>example.com.</Name><CallerReference>ref-" + id + "</CallerReference><Config><PrivateZone>"
                + isPrivate + "</PrivateZone></Config><ResourceRecordSetCount>2</ResourceRecordSetCount></HostedZone>";
    }

    private static void listRrsets(HttpExchange ex, Map<String, String> q) throws IOException {
        StringBuilder sets = new StringBuilder();
        synchronized (txt) {
            // the listing starts at name: the first set at or after it, which may be another name
            for (Map.Entry<String, List<String>> e : txt.tailMap(q.get("name")).entrySet()) {
                sets.append("<ResourceRecordSet><Name>").append(e.getKey()).append("</Name><Type>TXT</Type><TTL>60</TTL><ResourceRecords>");
                for (String v : e.getValue()) sets.append("<ResourceRecord><Value>").append(v).append("</Value></ResourceRecord>");
                sets.append("</ResourceRecords></ResourceRecordSet>");
                break;
            }
        }
        reply(ex, 200, "<ListResourceRecordSetsResponse xmlns=\"" + NS + "\"><ResourceRecordSets>" + sets
                + "</ResourceRecordSets><IsTruncated>false</IsTruncated><MaxItems>1</MaxItems></ListResourceRecordSetsResponse>");
    }

    private static void changeBatch(HttpExchange ex, String body) throws IOException {
        String action = between(body, "<Action>", "</Action>");
        String name = between(body, "<Name>", "</Name>");
        List<String> values = new ArrayList<>();
        for (String part : body.split("<Value>")) if (part.contains("</Value>")) values.add(part.substring(0, part.indexOf("</Value>")));
        if (!body.contains("<ChangeResourceRecordSetsRequest xmlns=\"" + NS + "\">") || !body.contains("<Type>TXT</Type>") || !body.contains("<TTL>")) {
            error(ex, 400, "InvalidInput", "Invalid XML ; cvc-complex-type");
            return;
        }
        synchronized (txt) {
            if (action.equals("UPSERT")) {
                txt.put(name, values);
            } else if (action.equals("DELETE")) {
                if (!values.equals(txt.get(name))) {
                    error(ex, 400, "InvalidChangeBatch", "[Tried to delete resource record set [name='" + name
                            + "', type='TXT'] but the values provided do not match the current values]");
                    return;
                }
                txt.remove(name);
            } else {
                error(ex, 400, "InvalidInput", "Invalid action " + action);
                return;
            }
        }
        String id = "C" + (++changes);
        reply(ex, 200, "<ChangeResourceRecordSetsResponse xmlns=\"" + NS + "\"><ChangeInfo><Id>/change/" + id
                + "</Id><Status>PENDING</Status><SubmittedAt>2026-12-06T05:00:00Z</SubmittedAt></ChangeInfo></ChangeResourceRecordSetsResponse>");
    }

    private static String between(String s, String a, String b) {
        int i = s.indexOf(a);
        return i < 0 ? "" : s.substring(i + a.length(), s.indexOf(b, i));
    }

    private static void error(HttpExchange ex, int status, String code, String message) throws IOException {
        reply(ex, status, "<ErrorResponse xmlns=\"" + NS + "\"><Error><Type>Sender</Type><Code>" + code + "</Code><Message>" + message
                + "</Message></Error><RequestId>b25f48e8-84fd-11e6-80d9-574e0c4664cb</RequestId></ErrorResponse>");
    }

    private static void reply(HttpExchange ex, int status, String xml) throws IOException {
        ApiStub.reply(ex, status, "text/xml", ("<?xml version=\"1.0\"?>\n" + xml).getBytes(StandardCharsets.UTF_8));
    }

    private static DnsProvider provider(String secretKey) throws DnsProviderException {
        return DnsProviders.build(new DnsConfig("aws", "route53", Map.of("accessKeyId", ACCESS_KEY, "secretAccessKey", "secret:aws-key",
                "zone", "example.com", "apiUrl", "http://127.0.0.1:" + server.getAddress().getPort(), "pollInterval", "50ms"), 5),
                n -> secretKey.getBytes(StandardCharsets.UTF_8), Resolvers.system());
    }

    @Test
    void presentFindsThePublicHostedZoneOnTheSecondPageUpsertsAndWaitsForInsync() throws Exception {
        provider(SECRET_KEY).present("_acme-challenge.www.example.com.", "digest-1");

        synchronized (txt) {
            assertThat(txt).containsEntry("_acme-challenge.www.example.com.", List.of("\"digest-1\""));
        }
        assertThat(requests.get(0)).isEqualTo("GET /2013-04-01/hostedzonesbyname?dnsname=example.com.&maxitems=1");
        assertThat(requests.get(1)).isEqualTo("GET /2013-04-01/hostedzonesbyname?dnsname=example.com.&hostedzoneid=ZPUBLIC&maxitems=1");
        assertThat(requests).contains("POST /2013-04-01/hostedzone/ZPUBLIC/rrset/");
        assertThat(requests.stream().filter(r -> r.startsWith("GET /2013-04-01/change/")).count()).as("polled until INSYNC").isEqualTo(2);
    }

    @Test
    void aNameAndItsWildcardShareTheSetAndCleanUpDeletesTheExactSetWhenTheLastGoes() throws Exception {
        DnsProvider p = provider(SECRET_KEY);
        p.present("_acme-challenge.both.example.com.", "for-name");
        p.present("_acme-challenge.both.example.com.", "for-wildcard");

        p.cleanUp("_acme-challenge.both.example.com.", "for-name");
        synchronized (txt) {
            assertThat(txt).containsEntry("_acme-challenge.both.example.com.", List.of("\"for-wildcard\""));
        }
        p.cleanUp("_acme-challenge.both.example.com.", "for-wildcard");
        synchronized (txt) {
            assertThat(txt).doesNotContainKey("_acme-challenge.both.example.com.");
        }
    }

    @Test
    void aListingThatStartsAtAnotherNameIsNotTakenForTheRecord() throws Exception {
        synchronized (txt) {
            txt.put("_acme-challenge.zzz.example.com.", List.of("\"unrelated\""));
        }
        provider(SECRET_KEY).present("_acme-challenge.aaa.example.com.", "mine");

        synchronized (txt) {
            assertThat(txt).containsEntry("_acme-challenge.aaa.example.com.", List.of("\"mine\""))
                    .containsEntry("_acme-challenge.zzz.example.com.", List.of("\"unrelated\""));
        }
    }

    @Test
    void aWrongSecretKeyIsReportedAsSignatureDoesNotMatchWithoutTheKey() {
        String wrong = "not-the-secret-key-" + System.nanoTime();

        assertThatThrownBy(() -> provider(wrong).present("_acme-challenge.www.example.com.", "v"))
                .isInstanceOf(DnsProviderException.class)
                .hasMessageStartingWith("route53: GET /2013-04-01/hostedzonesbyname answered HTTP 403: SignatureDoesNotMatch: The request signature")
                .hasMessageContaining("check accessKeyId and the secret named by 'secretAccessKey', this machine's clock")
                .hasMessageNotContaining(wrong);
    }
}
