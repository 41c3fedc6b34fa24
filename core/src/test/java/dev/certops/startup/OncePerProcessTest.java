package dev.certops.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OncePerProcessTest {
    @Test
    void isComputedOnceWhetherAheadOrByManyAskingAtOnce() throws Exception {
        AtomicInteger computed = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        OncePerProcess<String> roots = new OncePerProcess<>("the roots", () -> {
            computed.incrementAndGet();
            release.await();
            return "roots";
        });
        roots.ahead("test-ahead");
        roots.ahead("test-ahead-again");
        List<Thread> askers = new ArrayList<>();
        List<String> answers = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 4; i++) {
            Thread t = new Thread(() -> answers.add(roots.get()));
            t.start();
            askers.add(t);
        }
        release.countDown();
        for (Thread t : askers) t.join();

        assertThat(answers).containsExactly("roots", "roots", "roots", "roots");
        assertThat(computed).hasValue(1);
    }

    @Test
    void aFailureIsEveryAsksFailureAndSaysWhatCouldNotBeRead() {
        AtomicInteger computed = new AtomicInteger();
        OncePerProcess<String> store = new OncePerProcess<>("Java's trust store", () -> {
            computed.incrementAndGet();
            throw new IOException("cacerts is unreadable");
        });

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(store::get).isInstanceOf(IllegalStateException.class)
                    .hasMessage("Java's trust store cannot be read: cacerts is unreadable");
        }
        assertThat(computed).hasValue(1);
    }
}
