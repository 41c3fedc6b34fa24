package dev.certops.operations;

import dev.certops.lease.HeldLease;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leases an operation holds on its certificates, released by {@link #close()} (also on failure).
 * Once the work has run its result stands: a release that fails is logged, and the lease lapses by its
 * time to live.
 */
public final class HeldLeases implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HeldLeases.class);
    private final List<HeldLease> held;

    HeldLeases(List<HeldLease> held) { this.held = List.copyOf(held); }

    /** The leases, in the order they were taken (certificate ids in name order). */
    public List<HeldLease> leases() { return held; }

    /** True once any of them was found broken or expired while the work ran. */
    public boolean lost() { return held.stream().anyMatch(HeldLease::lost); }

    @Override
    public void close() {
        for (HeldLease h : held) {
            try {
                h.close();
            } catch (Exception e) {
                LOG.warn("could not release the lease on {} ({}); it lapses by its time to live", h.lease().subject(), e.getMessage());
            }
        }
    }
}
