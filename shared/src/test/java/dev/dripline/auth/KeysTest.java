package dev.dripline.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dripline.Dripline;
import dev.dripline.TestCore;
import dev.dripline.errors.InvalidInput;
import dev.dripline.errors.NotFound;
import dev.dripline.errors.RateLimited;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import dev.dripline.engines.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EnginesExtension.class)
class KeysTest {

    private final TestClock clock = TestClock.inTheFuture();

    @Test
    void aCreatedKeyIsHeldOnlyAsADigestAndVerifiesWithItsScopes(Engines engines) {
        Dripline core = new TestCore(engines, clock).dripline;
        KeyStore.Created created = core.keyStore().create("shop", List.of("read", "send"));
        assertThat(created.secret()).startsWith("dl_" + created.key().id() + ".");
        var items = engines.dynamoDb().scan(r -> r.tableName(core.settings().tables().apiKeys())).items();
        assertThat(items.toString()).doesNotContain(created.secret()).contains(KeyStore.sha256(created.secret()));

        Caller caller = core.keyStore().verify(created.secret()).orElseThrow();
        assertThat(caller.name()).isEqualTo("shop");
        assertThat(caller.allows(Scope.SEND)).isTrue();
        assertThat(caller.allows(Scope.WRITE)).isFalse();
        assertThat(core.keyStore().verify(created.secret() + "x")).isEmpty();
        assertThat(core.keyStore().verify("dl_" + created.key().id() + ".guessed")).isEmpty();
    }

    @Test
    void aRevokedKeyIsRefusedAtOnce(Engines engines) {
        Dripline core = new TestCore(engines, clock).dripline;
        KeyStore.Created created = core.keyStore().create("old", List.of("admin"));
        assertThat(core.keyStore().verify(created.secret())).isPresent();
        core.keyStore().revoke(created.key().id());
        assertThat(core.keyStore().verify(created.secret())).isEmpty();
        assertThat(core.keyStore().list()).singleElement().satisfies(k -> assertThat(k.revokedAt()).isEqualTo(clock.instant()));
    }

    @Test
    void revokingAnUnknownKeyIsNotFound(Engines engines) {
        Dripline core = new TestCore(engines, clock).dripline;
        assertThatThrownBy(() -> core.keyStore().revoke("ak_nope")).isInstanceOf(NotFound.class);
    }

    @Test
    void lastUseIsRecordedToTheMinute(Engines engines) {
        Dripline core = new TestCore(engines, clock).dripline;
        KeyStore.Created created = core.keyStore().create("shop", List.of("read"));
        Instant first = clock.instant();
        core.keyStore().verify(created.secret());
        clock.advance(Duration.ofSeconds(30));
        core.keyStore().verify(created.secret());
        assertThat(core.keyStore().get(created.key().id()).orElseThrow().lastUsedAt()).isEqualTo(first);
        clock.advance(Duration.ofSeconds(31));
        core.keyStore().verify(created.secret());
        assertThat(core.keyStore().get(created.key().id()).orElseThrow().lastUsedAt()).isEqualTo(clock.instant());
    }

    @Test
    void unknownScopesAndMissingNamesAreNamed(Engines engines) {
        Dripline core = new TestCore(engines, clock).dripline;
        assertThatThrownBy(() -> core.keyStore().create(" ", List.of("read", "root")))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.errors()).extracting(f -> f.field())
                        .containsExactly("name", "scopes[1]"));
    }

    @Test
    void scopesFollowMethodAndPath() {
        assertThat(Scope.requiredFor("GET", "/v1/contacts/ct_1")).isEqualTo(Scope.READ);
        assertThat(Scope.requiredFor("POST", "/v1/contacts")).isEqualTo(Scope.WRITE);
        assertThat(Scope.requiredFor("PUT", "/v1/campaigns/cp_1")).isEqualTo(Scope.WRITE);
        assertThat(Scope.requiredFor("GET", "/v1/webhook-endpoints/we_1/deliveries")).isEqualTo(Scope.ADMIN);
        assertThat(Scope.requiredFor("POST", "/v1/webhook-endpoints")).isEqualTo(Scope.ADMIN);
        assertThat(Scope.requiredFor("POST", "/v1/events")).isEqualTo(Scope.WRITE);
        assertThat(Scope.requiredFor("POST", "/v1/messages")).isEqualTo(Scope.SEND);
        assertThat(Scope.requiredFor("POST", "/v1/broadcasts")).isEqualTo(Scope.SEND);
        assertThat(Scope.requiredFor("POST", "/v1/verifications/check")).isEqualTo(Scope.SEND);
        assertThat(Scope.requiredFor("GET", "/v1/api-keys")).isEqualTo(Scope.ADMIN);
        assertThat(Scope.requiredFor("DELETE", "/v1/api-keys/ak_1")).isEqualTo(Scope.ADMIN);
        assertThat(new Caller("k", "n", java.util.Set.of(Scope.ADMIN)).allows(Scope.SEND)).as("admin implies all").isTrue();
    }

    @Test
    void theBucketLetsTheBurstThroughThenRefillsAtTheRate(Engines engines) {
        Dripline core = new TestCore(engines, clock, Map.of("DRIPLINE_API_RATE", "2", "DRIPLINE_API_BURST", "4")).dripline;
        KeyRateLimit limit = core.keyRateLimit();
        for (int i = 0; i < 4; i++) {
            limit.take("k1");
        }
        assertThatThrownBy(() -> limit.take("k1")).isInstanceOfSatisfying(RateLimited.class,
                e -> assertThat(e.retryAfterSeconds()).isEqualTo(1));
        limit.take("k2"); // another key has its own bucket
        clock.advance(Duration.ofMillis(500));
        limit.take("k1");
        assertThatThrownBy(() -> limit.take("k1")).isInstanceOf(RateLimited.class);
        clock.advance(Duration.ofSeconds(10));
        for (int i = 0; i < 4; i++) {
            limit.take("k1");
        }
    }

    @Test
    void aRequestTakesOneWriteWhetherTheBucketIsIdleOrBusy(Engines engines) {
        // Before: an idle bucket (a key used more slowly than its rate) cost a failed ADD and then the SET.
        dev.dripline.engines.ClientCalls calls = new dev.dripline.engines.ClientCalls();
        Dripline core = new TestCore(engines, clock, Map.of("DRIPLINE_API_RATE", "10", "DRIPLINE_API_BURST", "20"), calls).dripline;
        KeyRateLimit limit = core.keyRateLimit();
        calls.reset();
        for (int i = 0; i < 5; i++) {
            limit.take("slow");
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(calls.snapshot()).as("five requests a second apart on a 10/s key").containsEntry("DynamoDB.UpdateItem", 5L)
                .doesNotContainKey("DynamoDB.GetItem");
        calls.reset();
        for (int i = 0; i < 10; i++) {
            limit.take("fast");
        }
        assertThat(calls.snapshot()).as("ten requests at once: one restart, then draws").containsEntry("DynamoDB.UpdateItem", 10L)
                .doesNotContainKey("DynamoDB.GetItem");
        assertThatThrownBy(() -> {
            for (int i = 0; i < 20; i++) {
                limit.take("fast");
            }
        }).as("the limit still holds").isInstanceOf(RateLimited.class);
    }

    @Test
    void theBucketHoldsUnderConcurrentRequests(Engines engines) throws Exception {
        Dripline core = new TestCore(engines, clock, Map.of("DRIPLINE_API_RATE", "1", "DRIPLINE_API_BURST", "10")).dripline;
        List<String> refusals = refusalsOfConcurrent(core.keyRateLimit(), "shared", 40);
        assertThat(40 - refusals.size()).isEqualTo(10);
    }

    @Test
    void concurrentRequestsOfOneKeyUnderTheLimitAreNeverRefused(Engines engines) throws Exception {
        // A high rate on a clock that moves on every read: the bucket keeps falling idle between
        // requests, so requests race to restart it. A lost race is retried, never answered 429.
        Dripline core = new TestCore(engines, clock, Map.of("DRIPLINE_API_RATE", "1000", "DRIPLINE_API_BURST", "1000")).dripline;
        clock.tickOnEachRead(Duration.ofMillis(1));
        List<String> refusals = refusalsOfConcurrent(core.keyRateLimit(), "busy", 200);
        assertThat(refusals).as("200 requests under a limit of 1000 per second, burst 1000").isEmpty();
    }

    /** Takes {@code requests} requests of one key at once from 16 threads; the refusals' messages. */
    private static List<String> refusalsOfConcurrent(KeyRateLimit limit, String keyId, int requests) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    try {
                        limit.take(keyId);
                        return null;
                    } catch (RateLimited refused) {
                        return refused.getMessage();
                    }
                }));
            }
            start.countDown();
            List<String> refusals = new ArrayList<>();
            for (Future<String> f : results) {
                String refusal = f.get();
                if (refusal != null) {
                    refusals.add(refusal);
                }
            }
            return refusals;
        } finally {
            pool.shutdownNow();
        }
    }
}
