package dev.certops.acme;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The failover policy's decisions as a table: typed failure × attempt × Retry-After against the deadline → retry, wait, next CA or stop. */
class FailoverPolicyTest {
    static final Instant NOW = Instant.parse("2026-12-06T08:00:00Z");
    static final Instant DEADLINE = NOW.plus(Duration.ofMinutes(10));
    static final FailoverPolicy POLICY = FailoverPolicy.defaults().withBackoff(Duration.ofSeconds(1)); // 3 attempts per CA

    static AcmeFailure unavailable() { return new AcmeFailure.CaUnavailable("primary", "connection refused"); }
    static AcmeFailure limitedFor(Duration d) { return new AcmeFailure.RateLimited("primary", Optional.of(NOW.plus(d)), List.of(), "rate limited"); }
    static AcmeFailure limitedWithoutRetryAfter() { return new AcmeFailure.RateLimited("primary", Optional.empty(), List.of(), "rate limited"); }
    static AcmeFailure validation() { return new AcmeFailure.ValidationFailed("primary", "api.example.com", "http-01", "404"); }
    static AcmeFailure untrusted() { return new AcmeFailure.Misconfigured("primary", CaTls.UNTRUSTED + " by this machine"); }

    static Stream<Arguments> table() {
        return Stream.of(
                // failure, attempt, failover on validation failure, expected word
                Arguments.of("unavailable, first attempt", unavailable(), 1, false, "retry"),
                Arguments.of("unavailable, second attempt", unavailable(), 2, false, "retry"),
                Arguments.of("unavailable, attempts used up", unavailable(), 3, false, "failover"),
                Arguments.of("rate limited, Retry-After before the deadline", limitedFor(Duration.ofMinutes(2)), 1, false, "wait"),
                Arguments.of("rate limited, Retry-After exactly at the deadline", limitedFor(Duration.ofMinutes(10)), 1, false, "wait"),
                Arguments.of("rate limited, Retry-After past the deadline", limitedFor(Duration.ofMinutes(11)), 1, false, "failover"),
                Arguments.of("rate limited, no Retry-After", limitedWithoutRetryAfter(), 1, false, "failover"),
                Arguments.of("rate limited, attempts used up", limitedFor(Duration.ofMinutes(2)), 3, false, "failover"),
                Arguments.of("validation failed", validation(), 1, false, "stop"),
                Arguments.of("validation failed, policy fails over on it", validation(), 1, true, "failover"),
                Arguments.of("the CA's TLS certificate is untrusted", untrusted(), 1, true, "stop"),
                Arguments.of("the CA's TLS certificate is for another name", new AcmeFailure.Misconfigured("primary", CaTls.WRONG_NAME + "vm (it is for localhost)"), 1, true, "stop"),
                Arguments.of("other misconfiguration", new AcmeFailure.Misconfigured("primary", "terms not accepted"), 1, false, "failover"),
                Arguments.of("CAA forbids the CA", new AcmeFailure.CaaForbids("primary", "CAA names another CA"), 1, false, "failover"),
                Arguments.of("budget refuses", new AcmeFailure.BudgetRefused("primary", "past the safety line"), 1, false, "failover"),
                Arguments.of("refused with a problem document", new AcmeFailure.Refused("primary", "badCSR"), 1, false, "failover"));
    }

    @ParameterizedTest(name = "{0} → {4}")
    @MethodSource("table")
    void decidesFromTheFailureAndTheAttempt(String scenario, AcmeFailure failure, int attempt, boolean failoverOnValidation, String expected) {
        FailoverDecision d = POLICY.failingOverOnValidationFailure(failoverOnValidation).decide(failure, attempt, NOW, DEADLINE);
        assertThat(d.word()).as(scenario).isEqualTo(expected);
    }

    @ParameterizedTest(name = "retry {0}: waits the doubled backoff plus at most half of it")
    @MethodSource("attempts")
    void aRetryWaitsTheBackoffOfItsAttempt(int attempt, long baseMillis) {
        FailoverDecision d = POLICY.decide(unavailable(), attempt, NOW, DEADLINE);
        assertThat(d).isInstanceOf(FailoverDecision.Retry.class);
        assertThat(((FailoverDecision.Retry) d).delay().toMillis()).isBetween(baseMillis, baseMillis + baseMillis / 2);
    }

    static Stream<Arguments> attempts() { return Stream.of(Arguments.of(1, 1000L), Arguments.of(2, 2000L)); }

    @ParameterizedTest(name = "Retry-After in {0} s → waits {1} s")
    @MethodSource("waits")
    void aWaitLastsUntilTheRetryAfterAndNeverBelowZero(long inSeconds, long waitSeconds) {
        var failure = new AcmeFailure.RateLimited("primary", Optional.of(NOW.plusSeconds(inSeconds)), List.of(), "rate limited");
        assertThat(POLICY.decide(failure, 1, NOW, DEADLINE)).isEqualTo(new FailoverDecision.Wait(Duration.ofSeconds(waitSeconds)));
    }

    static Stream<Arguments> waits() { return Stream.of(Arguments.of(90, 90), Arguments.of(0, 0), Arguments.of(-5, 0)); }
}
