package dev.certops.renew;

import java.time.Instant;

/**
 * The random moment chosen inside an ARI window, picked once per window and kept, so repeated runs
 * agree on when a certificate is due.
 */
public interface AriMoments {
    /** The moment already chosen for this certificate and window, or a new uniformly random one in [start, end). */
    Instant momentFor(String certificateId, AriWindow window);
}
