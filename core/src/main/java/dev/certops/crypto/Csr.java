package dev.certops.crypto;

import java.io.IOException;
import java.security.KeyPair;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
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

    /**
     * The CSR built on a thread of its own from now, for an order that finalizes later: it depends only on the key and
     * the names, and building it cold (Bouncy Castle's ASN.1 and PKCS#10 classes, the signature) then overlaps the
     * authorizations' round trips instead of following them.
     */
    public static Ahead ahead(KeyPair keys, List<String> names) {
        FutureTask<byte[]> task = new FutureTask<>(() -> create(keys, names));
        Thread t = new Thread(task, "certops-csr");
        t.setDaemon(true);
        t.start();
        return new Ahead(task);
    }

    /** A CSR being built ({@link #ahead}). */
    public static final class Ahead {
        private final FutureTask<byte[]> task;

        private Ahead(FutureTask<byte[]> task) { this.task = task; }

        /** The CSR's DER bytes, waiting for them if need be; what building it threw, thrown here. */
        public byte[] bytes() throws InterruptedException {
            try {
                return task.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) throw r;
                if (e.getCause() instanceof Error err) throw err;
                throw new IllegalStateException("cannot build a CSR: " + e.getCause().getMessage(), e.getCause());
            }
        }
    }

    static String signatureAlgorithm(KeyPair keys) {
        if (keys.getPublic().getAlgorithm().equals("RSA")) return "SHA256withRSA";
        return Keys.bits(keys.getPublic()) > 256 ? "SHA384withECDSA" : "SHA256withECDSA";
    }
}
