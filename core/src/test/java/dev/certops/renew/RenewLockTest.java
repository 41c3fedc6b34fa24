package dev.certops.renew;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenewLockTest {
    private static final Instant STARTED = Instant.parse("2026-11-23T09:00:00Z");

    @Test
    void secondRunIsRefusedAndNamesTheHolder(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("state/renew.lock");
        RenewLock.Attempt first = RenewLock.tryAcquire(file, 4242, STARTED);
        assertThat(first).isInstanceOf(RenewLock.Acquired.class);
        try (RenewLock held = ((RenewLock.Acquired) first).lock()) {
            RenewLock.Attempt second = CompletableFuture.supplyAsync(() -> {
                try {
                    return RenewLock.tryAcquire(file, 4343, STARTED.plusSeconds(5));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).get();
            assertThat(second).isInstanceOf(RenewLock.Busy.class);
            assertThat(((RenewLock.Busy) second).message()).contains("pid=4242").contains("started=2026-11-23T09:00:00Z");
        }
    }

    @Test
    void lockIsFreeAgainOnceTheHolderCloses(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("renew.lock");
        try (RenewLock l = ((RenewLock.Acquired) RenewLock.tryAcquire(file, 1, STARTED)).lock()) {
            assertThat(l).isNotNull();
        }
        RenewLock.Attempt again = RenewLock.tryAcquire(file, 2, STARTED);
        assertThat(again).isInstanceOf(RenewLock.Acquired.class);
        ((RenewLock.Acquired) again).lock().close();
    }
}
