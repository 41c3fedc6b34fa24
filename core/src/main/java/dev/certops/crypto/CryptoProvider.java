package dev.certops.crypto;

import dev.certops.startup.StartupTrace;
import java.security.Provider;
import java.security.Security;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** Registers Bouncy Castle once (acme4j needs it before KeyPairUtils; we need it for PEM and CSRs). */
public final class CryptoProvider {
    private static volatile Provider provider;

    private CryptoProvider() { }

    public static Provider ensureRegistered() {
        Provider p = provider;
        if (p == null) {
            synchronized (CryptoProvider.class) {
                p = Security.getProvider(BouncyCastleProvider.PROVIDER_NAME);
                if (p == null) {
                    try (StartupTrace.Phase trace = StartupTrace.phase("Bouncy Castle provider registered")) {
                        p = new BouncyCastleProvider();
                        Security.addProvider(p);
                    }
                }
                provider = p;
            }
        }
        return p;
    }
}
