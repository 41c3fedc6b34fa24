package dev.certops.crypto;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The key types a certificate entry may ask for ({@code key:} in certops.yaml). */
public enum KeyType {
    EC_P256("ec-p256", "EC", 256),
    EC_P384("ec-p384", "EC", 384),
    RSA_2048("rsa-2048", "RSA", 2048),
    RSA_3072("rsa-3072", "RSA", 3072),
    RSA_4096("rsa-4096", "RSA", 4096);

    private final String configName;
    private final String algorithm;
    private final int bits;

    KeyType(String configName, String algorithm, int bits) {
        this.configName = configName;
        this.algorithm = algorithm;
        this.bits = bits;
    }

    public String configName() { return configName; }
    public String algorithm() { return algorithm; }
    public int bits() { return bits; }

    public static Optional<KeyType> fromConfigName(String name) {
        return Arrays.stream(values()).filter(k -> k.configName.equals(name)).findFirst();
    }

    /** "ec-p256, ec-p384, rsa-2048, rsa-3072, rsa-4096" for error messages. */
    public static String allowed() {
        return Arrays.stream(values()).map(KeyType::configName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() { return configName; }
}
