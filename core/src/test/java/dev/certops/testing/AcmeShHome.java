package dev.certops.testing;

import dev.certops.crypto.CertificateBuilder;
import dev.certops.crypto.KeyType;
import dev.certops.crypto.PemWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * acme.sh's home ({@code ~/.acme.sh}) built by hand, because acme.sh is not packaged in Debian. The
 * layout follows acme.sh itself (https://github.com/acmesh-official/acme.sh, script {@code acme.sh}:
 * {@code DOMAIN_PATH="$CERT_HOME/$domain"} with {@code _ecc} appended for ECDSA keys,
 * {@code CERT_PATH=$DOMAIN_PATH/$domain.cer}, {@code CERT_KEY_PATH=$DOMAIN_PATH/$domain.key},
 * {@code CA_CERT_PATH=$DOMAIN_PATH/ca.cer}, {@code CERT_FULLCHAIN_PATH=$DOMAIN_PATH/fullchain.cer}, and
 * {@code DOMAIN_CONF=$DOMAIN_PATH/$domain.conf} written by {@code _savedomainconf} as {@code Le_Domain='…'},
 * {@code Le_Alt}, {@code Le_Webroot} (a path, {@code dns_xx} or {@code no}), {@code Le_Keylength}, {@code Le_API};
 * documented in its wiki pages "How to issue a cert" and "How to install the cert"), plus its own
 * {@code account.conf} beside the certificate folders.
 */
public final class AcmeShHome {
    private final Path home;

    public AcmeShHome(Path home) throws IOException {
        this.home = Files.createDirectories(home);
        Files.writeString(home.resolve("account.conf"), "LOG_FILE='" + home.resolve("acme.sh.log") + "'\n");
    }

    public Path home() { return home; }

    /**
     * One certificate folder ({@code folder}: DOMAIN, or DOMAIN_ecc for ECDSA) issued by a test CA, as acme.sh leaves it.
     *
     * @param webroot what acme.sh records in {@code Le_Webroot}: a path, {@code dns_xx} or {@code no}
     * @return the leaf, with its key
     */
    public CertificateBuilder.Issued certificate(String folder, String domain, List<String> names, KeyType key, String webroot) throws IOException {
        var ca = CertificateBuilder.ca("acme.sh Test CA").build();
        var leaf = CertificateBuilder.leaf(names.toArray(String[]::new)).key(key).signedBy(ca).build();
        Path d = Files.createDirectories(home.resolve(folder));
        Files.writeString(d.resolve(domain + ".conf"), "Le_Domain='" + domain + "'\nLe_Alt='" + (names.size() > 1 ? String.join(",", names.subList(1, names.size())) : "no")
                + "'\nLe_Webroot='" + webroot + "'\nLe_PreHook=''\nLe_Keylength='" + (key == KeyType.EC_P256 ? "ec-256" : "2048")
                + "'\nLe_API='https://acme.example.test/directory'\nLe_CertCreateTime='1764979200'\n");
        Files.writeString(d.resolve(domain + ".cer"), PemWriter.certificate(leaf.certificate()));
        Files.writeString(d.resolve("ca.cer"), PemWriter.certificate(ca.certificate()));
        Files.writeString(d.resolve("fullchain.cer"), PemWriter.certificates(List.of(leaf.certificate(), ca.certificate())));
        Files.writeString(d.resolve(domain + ".key"), PemWriter.privateKey(leaf.keys().getPrivate(), Optional.empty()));
        return leaf;
    }
}
