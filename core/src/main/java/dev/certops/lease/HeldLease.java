package dev.certops.lease;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lease this console holds, renewed in the background while the work runs; {@link #close()} stops
 * the renewal and releases it. Use with try-with-resources.
 */
public final class HeldLease implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HeldLease.class);

    private final LeaseService service;
    private final String token;
    private final AtomicReference<Lease> lease;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean lost;
    private ScheduledFuture<?> renewer;

    HeldLease(LeaseService service, Lease lease, String token) {
        this.service = service;
        this.lease = new AtomicReference<>(lease);
        this.token = token;
    }

    void renewWith(ScheduledFuture<?> f) { this.renewer = f; }

    String token() { return token; }

    public Lease lease() { return lease.get(); }

    /** True once a renewal found the lease gone (broken by hand, or expired while this console stalled). */
    public boolean lost() { return lost; }

    void renew() {
        if (closed.get() || lost) {
            return;
        }
        try {
            service.renew(this).ifPresentOrElse(lease::set, () -> {
                lost = true;
                LOG.warn("lease on {} was lost (broken or expired); stop changing it", lease.get().subject());
            });
        } catch (Exception e) {
            LOG.warn("could not renew the lease on {}: {}", lease.get().subject(), e.getMessage());
        }
    }

    @Override
    public void close() throws Exception {
        if (closed.compareAndSet(false, true)) {
            if (renewer != null) {
                renewer.cancel(false);
            }
            if (!lost) {
                service.release(this);
            }
        }
    }
}
