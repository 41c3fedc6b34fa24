package dev.certops.acme;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A challenge record comes down while the order goes on, before the next record goes up and before the scope closes. */
class RemovedInBackgroundTest {
    /** A publisher whose removals wait for the test's word, and which writes down what happened in which order. */
    private static final class Slow implements ChallengePublisher {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final CountDownLatch release = new CountDownLatch(1);

        @Override public String publish(String name, String where, String content) {
            calls.add("publish " + content);
            return "published";
        }

        @Override public void remove(String name, String where, String content) {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            calls.add("remove " + content);
        }
    }

    @Test
    void theRemovalGoesOnWhileTheIssuanceDoesAndTheScopeWaitsForIt() throws Exception {
        Slow slow = new Slow();
        ChallengePublisher.RemovedInBackground publisher = new ChallengePublisher.RemovedInBackground(slow);
        publisher.publish("example.com", "_acme-challenge.example.com", "a");
        publisher.remove("example.com", "_acme-challenge.example.com", "a");
        assertThat(slow.calls).as("remove returned before the provider finished").containsExactly("publish a");

        Thread closing = new Thread(publisher::close);
        closing.start();
        closing.join(200);
        assertThat(closing.isAlive()).as("close waits for the removal under way").isTrue();
        slow.release.countDown();
        closing.join(10_000);
        assertThat(closing.isAlive()).isFalse();
        assertThat(slow.calls).containsExactly("publish a", "remove a");
    }

    @Test
    void theNextRecordGoesUpOnlyAfterTheLastOneCameDown() throws Exception {
        // a wildcard and its base name: two authorizations, one record name, and a provider that may clear all its values
        Slow slow = new Slow();
        ChallengePublisher.RemovedInBackground publisher = new ChallengePublisher.RemovedInBackground(slow);
        publisher.publish("example.com", "_acme-challenge.example.com", "a");
        publisher.remove("example.com", "_acme-challenge.example.com", "a");
        Thread next = new Thread(() -> {
            try {
                publisher.publish("*.example.com", "_acme-challenge.example.com", "b");
            } catch (ChallengePublisher.PublishException e) {
                throw new IllegalStateException(e);
            }
        });
        next.start();
        next.join(200);
        assertThat(slow.calls).as("b waits for a's removal").containsExactly("publish a");
        slow.release.countDown();
        next.join(10_000);
        assertThat(slow.calls).containsExactly("publish a", "remove a", "publish b");
        publisher.close();
    }
}
