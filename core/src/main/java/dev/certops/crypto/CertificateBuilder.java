package dev.certops.crypto;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A small PKI for the sandbox and the tests: a root CA, intermediates, and leaves with any names,
 * key type and validity (expired, not yet valid, self-signed, wrongly named — whatever a scenario needs).
 */
public final class CertificateBuilder {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A certificate with its key pair: what an issuer needs to sign others. */
    public record Issued(X509Certificate certificate, KeyPair keys) {
        public CertificateInfo info() { return CertificateInfo.from(certificate); }
    }

    private String commonName = "certops test";
    private final List<String> names = new ArrayList<>();
    private KeyType keyType = KeyType.EC_P256;
    private Instant notBefore = Instant.now().minusSeconds(3600);
    private Instant notAfter = Instant.now().plusSeconds(90L * 86_400);
    private boolean ca;
    private Issued issuer;
    private KeyPair keyPair;
    private String signatureAlgorithm;
    private KeyPurposeId[] extendedKeyUsage;
    private String crlUrl;

    public static CertificateBuilder leaf(String... names) {
        CertificateBuilder b = new CertificateBuilder();
        b.names.addAll(List.of(names));
        if (names.length > 0) b.commonName = names[0];
        return b;
    }

    public static CertificateBuilder ca(String commonName) {
        CertificateBuilder b = new CertificateBuilder();
        b.commonName = commonName;
        b.ca = true;
        b.notAfter = Instant.now().plusSeconds(3650L * 86_400);
        return b;
    }

    /** The subject's common name (a leaf's is its first name otherwise); {@code leaf()} with no names and this: a CN-only certificate. */
    public CertificateBuilder commonName(String cn) { this.commonName = cn; return this; }

    public CertificateBuilder key(KeyType type) { this.keyType = type; return this; }
    public CertificateBuilder validity(Instant from, Instant to) { this.notBefore = from; this.notAfter = to; return this; }
    /** This key pair instead of a new one of {@link #key(KeyType)} (a weak key for a scenario: RSA 1024). */
    public CertificateBuilder keyPair(KeyPair keys) { this.keyPair = keys; return this; }
    /** Signed with this JCA algorithm (e.g. "SHA1withECDSA") instead of SHA-256 with the issuer's key type. */
    public CertificateBuilder signatureAlgorithm(String algorithm) { this.signatureAlgorithm = algorithm; return this; }
    /** A leaf with this extended key usage (none by default). */
    public CertificateBuilder extendedKeyUsage(KeyPurposeId... usages) { this.extendedKeyUsage = usages.clone(); return this; }
    /** With a CRL distribution point at this URL (revocation scenarios). */
    public CertificateBuilder crlDistributionPoint(String url) { this.crlUrl = url; return this; }
    /** Signed by this issuer; without one the certificate is self-signed. */
    public CertificateBuilder signedBy(Issued issuer) { this.issuer = issuer; return this; }

    public Issued build() {
        CryptoProvider.ensureRegistered();
        KeyPair keys = keyPair != null ? keyPair : Keys.generate(keyType);
        X500Name subject = new X500Name("CN=" + commonName.replace(",", "\\,") + (ca ? ",O=certops test PKI" : ""));
        X500Name issuerName = issuer == null ? subject : X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
        KeyPair signer = issuer == null ? keys : issuer.keys();
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName, new BigInteger(127, RANDOM).add(BigInteger.ONE),
                    Date.from(notBefore), Date.from(notAfter), subject, keys.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(signer.getPublic()));
            if (ca) {
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            } else {
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                if (!names.isEmpty()) {
                    GeneralName[] sans = names.stream().map(n -> n.matches("[0-9.]+") || n.contains(":") ? new GeneralName(GeneralName.iPAddress, n)
                            : new GeneralName(GeneralName.dNSName, n)).toArray(GeneralName[]::new);
                    b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
                }
                if (extendedKeyUsage != null) b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(extendedKeyUsage));
                if (crlUrl != null) {
                    GeneralNames where = new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, crlUrl));
                    b.addExtension(Extension.cRLDistributionPoints, false,
                            new CRLDistPoint(new DistributionPoint[] {new DistributionPoint(new DistributionPointName(where), null, null)}));
                }
            }
            String alg = signatureAlgorithm != null ? signatureAlgorithm
                    : signer.getPublic().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            X509Certificate cert = new JcaX509CertificateConverter().setProvider(CryptoProvider.ensureRegistered())
                    .getCertificate(b.build(new JcaContentSignerBuilder(alg).build(signer.getPrivate())));
            return new Issued(cert, keys);
        } catch (Exception e) {
            throw new IllegalStateException("cannot build certificate '" + commonName + "': " + e.getMessage(), e);
        }
    }
}
