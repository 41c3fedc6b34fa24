package dev.certops.crypto;

import java.io.IOException;
import java.security.KeyPair;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** PKCS#10 certificate signing requests with the names as subjectAltName (first name as CN when it fits). */
public final class Csr {
    private Csr() { }

    /** DER bytes of the CSR. */
    public static byte[] create(KeyPair keys, List<String> names) {
        if (names.isEmpty()) throw new IllegalArgumentException("a CSR needs at least one name");
        try { // signed by the JDK's providers: no Bouncy Castle provider needed (ADR 0017)
            X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE);
            if (names.get(0).length() <= 64) subject.addRDN(BCStyle.CN, names.get(0));
            JcaPKCS10CertificationRequestBuilder b = new JcaPKCS10CertificationRequestBuilder(subject.build(), keys.getPublic());
            GeneralName[] sans = names.stream().map(n -> new GeneralName(GeneralName.dNSName, n)).toArray(GeneralName[]::new);
            ExtensionsGenerator ext = new ExtensionsGenerator();
            ext.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
            b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate());
            return b.build(new JcaContentSignerBuilder(signatureAlgorithm(keys)).build(keys.getPrivate())).getEncoded();
        } catch (IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot build a CSR: " + e.getMessage(), e);
        }
    }

    static String signatureAlgorithm(KeyPair keys) {
        if (keys.getPublic().getAlgorithm().equals("RSA")) return "SHA256withRSA";
        return Keys.bits(keys.getPublic()) > 256 ? "SHA384withECDSA" : "SHA256withECDSA";
    }
}
