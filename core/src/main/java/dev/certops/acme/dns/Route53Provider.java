package dev.certops.acme.dns;

import dev.certops.config.DnsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xbill.DNS.Name;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import javax.xml.parsers.DocumentBuilderFactory;

/**
 * Amazon Route 53 (API 2013-04-01), every request signed with AWS Signature Version 4 by the AWS SDK's
 * own signer ({@code software.amazon.awssdk:http-auth-aws}, ADR 0010). The hosted zone is found by a
 * SOA walk and {@code ListHostedZonesByName} (public zones only: the CA cannot see a private one), unless
 * {@code hostedZoneId} is set; the TXT rrset is read with {@code ListResourceRecordSets}, written back whole
 * with an {@code UPSERT} change batch (or {@code DELETE} of the exact old set when the last value goes),
 * and certops waits for the change to be {@code INSYNC}. Tested against a local server that follows the
 * published API reference, not against AWS: {@code certops dns test} is the real check.
 */
final class Route53Provider implements DnsProvider, PropagationSettings {
    private static final Logger LOG = LoggerFactory.getLogger(Route53Provider.class);
    static final String DEFAULT_URL = "https://route53.amazonaws.com";
    private static final String NS = "https://route53.amazonaws.com/doc/2013-04-01/";

    private final String id;
    private final URI base;
    private final AwsCredentialsIdentity credentials;
    private final Optional<String> hostedZoneId;
    private final long ttl;
    private final Zones zones;
    private final Duration timeout;
    private final HttpClient client;
    private final Clock clock;
    private final PropagationSettings timing;

    private Route53Provider(String id, URI base, AwsCredentialsIdentity credentials, Optional<String> hostedZoneId, long ttl, Zones zones,
                            Duration timeout, Clock clock, PropagationSettings timing) {
        this.id = id;
        this.base = base;
        this.credentials = credentials;
        this.hostedZoneId = hostedZoneId;
        this.ttl = ttl;
        this.zones = zones;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
        this.clock = clock;
        this.timing = timing;
    }

    static Route53Provider create(DnsConfig cfg, Function<String, byte[]> secretReader, Resolvers lookups, Clock clock) throws DnsProviderException {
        ProviderSettings s = ProviderSettings.of(cfg, Set.of("accessKeyId", "secretAccessKey", "sessionToken", "hostedZoneId", "apiUrl",
                "zone", "ttl", "timeout"));
        String accessKey = s.required("accessKeyId", "AKIAIOSFODNN7EXAMPLE");
        String secretKey = s.secret("secretAccessKey", "route53-" + s.id(), secretReader);
        AwsCredentialsIdentity creds = s.optional("sessionToken").isPresent()
                ? AwsSessionCredentialsIdentity.create(accessKey, secretKey, s.secret("sessionToken", "route53-session-" + s.id(), secretReader))
                : AwsCredentialsIdentity.create(accessKey, secretKey);
        return new Route53Provider(cfg.id(), s.baseUrl("apiUrl", DEFAULT_URL, DEFAULT_URL), creds,
                s.optional("hostedZoneId").map(z -> z.replaceFirst("^/?hostedzone/", "")), s.number("ttl", ProviderSettings.DEFAULT_TTL, 1, 86_400),
                Zones.of(s, lookups), s.duration("timeout", ProviderSettings.DEFAULT_HTTP_TIMEOUT), clock, s.propagation());
    }

    @Override public String id() { return id; }

    @Override
    public void present(String fqdn, String value) throws DnsProviderException {
        Name name = zones.name(fqdn);
        String zone = hostedZone(name);
        List<String> values = current(zone, name);
        String quoted = PowerDnsProvider.quote(value);
        if (values.contains(quoted)) return;
        List<String> next = new ArrayList<>(values);
        next.add(quoted);
        awaitInsync(change(zone, "UPSERT", name, next));
        LOG.info("route53 {}: added TXT at {} in hosted zone {}", id, name, zone);
    }

    @Override
    public void cleanUp(String fqdn, String value) throws DnsProviderException {
        Name name = zones.name(fqdn);
        String zone = hostedZone(name);
        List<String> values = current(zone, name);
        List<String> next = new ArrayList<>(values);
        if (!next.remove(PowerDnsProvider.quote(value))) return;
        awaitInsync(next.isEmpty() ? change(zone, "DELETE", name, values) : change(zone, "UPSERT", name, next));
        LOG.info("route53 {}: removed TXT at {} in hosted zone {}", id, name, zone);
    }

    @Override public Duration propagationTimeout() { return timing.propagationTimeout(); }

    @Override public Duration pollInterval() { return timing.pollInterval(); }

    @Override public int nameserverPort() { return timing.nameserverPort(); }

    /** The id of the public hosted zone for {@code name}'s zone, following ListHostedZonesByName's pages. */
    private String hostedZone(Name name) throws DnsProviderException {
        if (hostedZoneId.isPresent()) return hostedZoneId.get();
        String zone = zones.zoneOf(name).toString();
        String query = "dnsname=" + enc(zone) + "&maxitems=1";
        for (int page = 0; page < 20; page++) {
            Document d = call("GET", "/2013-04-01/hostedzonesbyname?" + query, null);
            for (Element z : children(d.getDocumentElement(), "HostedZones", "HostedZone")) {
                boolean isPrivate = "true".equals(text(z, "Config", "PrivateZone"));
                if (text(z, "Name").equalsIgnoreCase(zone) && !isPrivate) return text(z, "Id").replaceFirst("^/hostedzone/", "");
            }
            String nextName = text(d.getDocumentElement(), "NextDNSName");
            if (!"true".equals(text(d.getDocumentElement(), "IsTruncated")) || !nextName.equalsIgnoreCase(zone)) break;
            query = "dnsname=" + enc(nextName) + "&hostedzoneid=" + enc(text(d.getDocumentElement(), "NextHostedZoneId")) + "&maxitems=1";
        }
        throw new DnsProviderException("route53: the credentials of dns provider '" + id + "' see no public hosted zone named " + zone
                + "; check the zone exists in this AWS account and the IAM policy allows route53:ListHostedZonesByName, or set 'hostedZoneId'");
    }

    /** The TXT values (quoted, as Route 53 stores them) now at {@code name}. */
    private List<String> current(String zone, Name name) throws DnsProviderException {
        Document d = call("GET", "/2013-04-01/hostedzone/" + zone + "/rrset?name=" + enc(name.toString()) + "&type=TXT&maxitems=1", null);
        List<String> out = new ArrayList<>();
        for (Element set : children(d.getDocumentElement(), "ResourceRecordSets", "ResourceRecordSet")) {
            if (text(set, "Name").equalsIgnoreCase(name.toString()) && "TXT".equals(text(set, "Type"))) {
                for (Element r : children(set, "ResourceRecords", "ResourceRecord")) out.add(text(r, "Value"));
            }
        }
        return out;
    }

    private String change(String zone, String action, Name name, List<String> values) throws DnsProviderException {
        StringBuilder records = new StringBuilder();
        for (String v : values) records.append("<ResourceRecord><Value>").append(xml(v)).append("</Value></ResourceRecord>");
        String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ChangeResourceRecordSetsRequest xmlns=\"" + NS + "\"><ChangeBatch>"
                + "<Comment>certops DNS-01</Comment><Changes><Change><Action>" + action + "</Action><ResourceRecordSet>"
                + "<Name>" + xml(name.toString()) + "</Name><Type>TXT</Type><TTL>" + ttl + "</TTL><ResourceRecords>" + records
                + "</ResourceRecords></ResourceRecordSet></Change></Changes></ChangeBatch></ChangeResourceRecordSetsRequest>";
        Document d = call("POST", "/2013-04-01/hostedzone/" + zone + "/rrset/", body);
        return text(d.getDocumentElement(), "ChangeInfo", "Id").replaceFirst("^/change/", "");
    }

    /** Polls GetChange until INSYNC, within the provider's propagation timeout. */
    private void awaitInsync(String changeId) throws DnsProviderException {
        Instant end = clock.instant().plus(timing.propagationTimeout());
        Duration interval = Duration.ofMillis(Math.min(200, timing.pollInterval().toMillis()));
        while (true) {
            Document d = call("GET", "/2013-04-01/change/" + changeId, null);
            String status = text(d.getDocumentElement(), "ChangeInfo", "Status");
            if ("INSYNC".equals(status)) return;
            if (clock.instant().isAfter(end)) {
                throw new DnsProviderException("route53: change " + changeId + " is still " + status + " after "
                        + ProviderSettings.format(timing.propagationTimeout()) + "; Route 53 may be slow, allow more time (propagationTimeout)");
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DnsProviderException("route53: interrupted while waiting for change " + changeId, e);
            }
            interval = Duration.ofMillis(Math.min(timing.pollInterval().toMillis(), interval.toMillis() * 2));
        }
    }

    /** One signed call; an ErrorResponse becomes "route53: METHOD PATH answered HTTP n: Code: Message; next". */
    private Document call(String method, String pathAndQuery, String body) throws DnsProviderException {
        URI uri = URI.create(base + pathAndQuery);
        String what = method + " " + uri.getPath();
        SdkHttpRequest unsigned = SdkHttpRequest.builder().uri(uri).method(SdkHttpMethod.fromValue(method))
                .putHeader("Content-Type", body == null ? "application/xml" : "text/xml").build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(credentials).request(unsigned)
                .payload(body == null ? null : ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "route53")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        signed.request().forEachHeader((k, vs) -> {
            // the HTTP client sets these itself, to the same values the signature covers
            if (!k.equalsIgnoreCase("Host") && !k.equalsIgnoreCase("Content-Length")) vs.forEach(v -> b.header(k, v));
        });
        HttpResponse<byte[]> r;
        try {
            r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new DnsProviderException("route53: cannot reach " + uri.getScheme() + "://" + uri.getAuthority() + " for " + what
                    + " (" + e.getMessage() + "); check that this machine may reach the Route 53 API", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DnsProviderException("route53: interrupted during " + what, e);
        }
        Document d = parse(r.body(), what);
        if (r.statusCode() / 100 != 2) {
            String code = text(d.getDocumentElement(), "Error", "Code");
            String message = text(d.getDocumentElement(), "Error", "Message");
            String next = r.statusCode() == 403 || code.contains("Signature") || code.contains("Token") || code.equals("AccessDenied")
                    ? "check accessKeyId and the secret named by 'secretAccessKey', this machine's clock, and the IAM policy (route53:ListHostedZonesByName, ListResourceRecordSets, ChangeResourceRecordSets, GetChange)"
                    : "see the Route 53 API reference for " + (code.isEmpty() ? "this error" : code);
            throw new DnsProviderException("route53: " + what + " answered HTTP " + r.statusCode() + ": "
                    + (code.isEmpty() ? ProviderHttp.excerpt(new String(r.body(), StandardCharsets.UTF_8)) : code + ": " + message)
                    + "; " + next + " (dns provider '" + id + "')");
        }
        return d;
    }

    private static Document parse(byte[] body, String what) throws DnsProviderException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setExpandEntityReferences(false);
            if (body.length == 0) return f.newDocumentBuilder().newDocument();
            return f.newDocumentBuilder().parse(new ByteArrayInputStream(body));
        } catch (Exception e) {
            throw new DnsProviderException("route53: the answer to " + what + " is not XML (" + e.getMessage() + ")", e);
        }
    }

    /** The elements at {@code path} below {@code parent} (by local name); the last step may repeat. */
    private static List<Element> children(Element parent, String... path) {
        List<Element> level = parent == null ? List.of() : List.of(parent);
        for (String step : path) {
            List<Element> next = new ArrayList<>();
            for (Element e : level) {
                NodeList kids = e.getChildNodes();
                for (int i = 0; i < kids.getLength(); i++) {
                    Node k = kids.item(i);
                    if (k instanceof Element el && step.equals(el.getLocalName())) next.add(el);
                }
            }
            level = next;
        }
        return level;
    }

    private static String text(Element parent, String... path) {
        List<Element> found = children(parent, path);
        return found.isEmpty() ? "" : found.get(0).getTextContent().trim();
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    @Override public String toString() { return "route53[id=" + id + ", url=" + base + "]"; }
}
