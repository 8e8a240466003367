package dev.dripline.verifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dripline.Dripline;
import dev.dripline.TestCore;
import dev.dripline.consent.ConsentStatus;
import dev.dripline.contacts.PhoneNumber;
import dev.dripline.errors.Conflict;
import dev.dripline.errors.InvalidInput;
import dev.dripline.errors.RateLimited;
import dev.dripline.messaging.Category;
import dev.dripline.messaging.Message;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import dev.dripline.engines.TestClock;
import dev.dripline.verifications.Verifications.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EnginesExtension.class)
class VerificationsTest {

    private static final String TO = "+14155550123";

    private final TestClock clock = TestClock.inTheFuture();

    private Dripline core(Engines engines, Map<String, String> env) {
        Map<String, String> all = new HashMap<>(Map.of("DRIPLINE_VERIFY_SECRET", "test-verify-secret-0123456789"));
        all.putAll(env);
        return new TestCore(engines, clock, all).dripline;
    }

    private static String codeIn(Dripline core, Verifications.Sent sent) {
        Message m = core.messages().get(sent.messageId()).orElseThrow();
        Matcher digits = Pattern.compile("\\d{4,10}").matcher(m.body());
        assertThat(digits.find()).as("the SMS carries the code: %s", m.body()).isTrue();
        return digits.group();
    }

    @Test
    void theRightCodeIsApprovedOnceAsATransactionalSixDigitSms(Engines engines) {
        Dripline core = core(engines, Map.of());
        Verifications.Sent sent = core.verifications().send(TO, "sms", null, "test");
        Message m = core.messages().get(sent.messageId()).orElseThrow();
        assertThat(m.category()).isEqualTo(Category.TRANSACTIONAL);
        assertThat(sent.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(10)));
        String code = codeIn(core, sent);
        assertThat(code).hasSize(6);

        assertThat(core.verifications().check(TO, code)).isEqualTo(Status.APPROVED);
        assertThat(core.verifications().check(TO, code)).as("single use").isEqualTo(Status.DENIED);
    }

    @Test
    void theCodeIsStoredOnlyAsAKeyedHash(Engines engines) {
        Dripline core = core(engines, Map.of());
        Verifications.Sent sent = core.verifications().send(TO, "sms", null, "test");
        String code = codeIn(core, sent);
        var items = engines.dynamoDb().scan(r -> r.tableName(core.settings().tables().verifications())).items();
        assertThat(items.toString()).doesNotContain(code);
        assertThat(items.toString()).contains(Verifications.hash("test-verify-secret-0123456789", TO, code));
        assertThat(Verifications.hash("another-secret", TO, code)).isNotEqualTo(Verifications.hash("test-verify-secret-0123456789", TO, code));
    }

    @Test
    void aCodeCannotBeCheckedAfterItsLifetime(Engines engines) {
        Dripline core = core(engines, Map.of("DRIPLINE_VERIFY_LIFETIME", "PT5M", "DRIPLINE_VERIFY_CODE_LENGTH", "8"));
        Verifications.Sent sent = core.verifications().send(TO, "sms", null, "test");
        String code = codeIn(core, sent);
        assertThat(code).hasSize(8);
        clock.advance(Duration.ofMinutes(5).plusMillis(1));
        assertThat(core.verifications().check(TO, code)).isEqualTo(Status.DENIED);
    }

    @Test
    void aCodeStillWorksJustBeforeItExpires(Engines engines) {
        Dripline core = core(engines, Map.of());
        String code = codeIn(core, core.verifications().send(TO, "sms", null, "test"));
        clock.advance(Duration.ofMinutes(10).minusSeconds(1));
        assertThat(core.verifications().check(TO, code)).isEqualTo(Status.APPROVED);
    }

    @Test
    void fiveWrongTriesBurnTheCode(Engines engines) {
        Dripline core = core(engines, Map.of());
        String code = codeIn(core, core.verifications().send(TO, "sms", null, "test"));
        String wrong = code.equals("000000") ? "111111" : "000000";
        for (int i = 1; i <= 4; i++) {
            assertThat(core.verifications().check(TO, wrong)).as("wrong try %d", i).isEqualTo(Status.PENDING);
        }
        assertThat(core.verifications().check(TO, wrong)).as("the fifth wrong try").isEqualTo(Status.DENIED);
        assertThat(core.verifications().check(TO, code)).as("the right code after five wrong tries").isEqualTo(Status.DENIED);
    }

    @Test
    void aResendLeavesOnlyTheNewestCodeValid(Engines engines) {
        Dripline core = core(engines, Map.of("DRIPLINE_VERIFY_CODE_LENGTH", "10"));
        String first = codeIn(core, core.verifications().send(TO, "sms", null, "test"));
        String second = codeIn(core, core.verifications().send(TO, "sms", null, "test"));
        if (!first.equals(second)) {
            assertThat(core.verifications().check(TO, first)).isEqualTo(Status.PENDING);
        }
        assertThat(core.verifications().check(TO, second)).isEqualTo(Status.APPROVED);
    }

    @Test
    void aNumberThatNeverGotACodeIsDenied(Engines engines) {
        Dripline core = core(engines, Map.of());
        assertThat(core.verifications().check(TO, "123456")).isEqualTo(Status.DENIED);
    }

    @Test
    void anOptedOutNumberGetsNoCodeAndNoValidCodeIsLeft(Engines engines) {
        Dripline core = core(engines, Map.of());
        var contact = core.contacts().findOrCreate(PhoneNumber.parse(TO, null, "to"), "test");
        core.contacts().changeConsent(contact.id(), ConsentStatus.OPTED_OUT, "keyword", "STOP", "test", clock.instant(), s -> true, b -> {
        });
        assertThatThrownBy(() -> core.verifications().send(TO, "sms", null, "test")).isInstanceOf(Conflict.class);
        var items = engines.dynamoDb().scan(r -> r.tableName(core.settings().tables().verifications())).items();
        assertThat(items).noneMatch(i -> i.get("id").s().startsWith("code#"));
    }

    @Test
    void onlyAllowedCountriesGetCodes(Engines engines) {
        Dripline core = core(engines, Map.of("DRIPLINE_VERIFY_COUNTRIES", "US"));
        assertThatThrownBy(() -> core.verifications().send("+447700900123", "sms", null, "test"))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.errors()).anyMatch(f -> f.field().equals("to")));
        assertThat(core.verifications().send(TO, "sms", null, "test").status()).isEqualTo("pending");
    }

    @Test
    void theChannelMustBeSms(Engines engines) {
        Dripline core = core(engines, Map.of());
        assertThatThrownBy(() -> core.verifications().send(TO, "voice", null, "test"))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.errors()).anyMatch(f -> f.field().equals("channel")));
    }

    @Test
    void theLocaleChoosesTheLanguage(Engines engines) {
        Dripline core = core(engines, Map.of());
        Verifications.Sent sent = core.verifications().send(TO, "sms", "zh-CN", "test");
        assertThat(core.messages().get(sent.messageId()).orElseThrow().body()).contains("验证码");
    }

    @Test
    void sendsPerNumberAreCappedUnderConcurrentRequests(Engines engines) throws Exception {
        Dripline core = core(engines, Map.of("DRIPLINE_VERIFY_SENDS_PER_NUMBER", "3"));
        List<Object> outcomes = race(16, i -> () -> core.verifications().send(TO, "sms", null, "test"));
        assertThat(outcomes).filteredOn(o -> o instanceof Verifications.Sent).hasSize(3);
        assertThat(outcomes).filteredOn(o -> o instanceof RateLimited).hasSize(13);
        RateLimited limited = (RateLimited) outcomes.stream().filter(o -> o instanceof RateLimited).findFirst().orElseThrow();
        assertThat(limited.retryAfterSeconds()).isEqualTo(3600); // 14:00:00 exactly: the whole hour
        clock.advance(Duration.ofHours(1));
        assertThat(core.verifications().send(TO, "sms", null, "test").status()).as("the next hour").isEqualTo("pending");
    }

    @Test
    void sendsPerPrefixAreCappedUnderConcurrentRequests(Engines engines) throws Exception {
        Dripline core = core(engines, Map.of("DRIPLINE_VERIFY_SENDS_PER_PREFIX", "5"));
        List<Object> outcomes = race(16, i -> () -> core.verifications().send("+1415555" + String.format("%04d", 100 + i), "sms", null, "test"));
        assertThat(outcomes).filteredOn(o -> o instanceof Verifications.Sent).hasSize(5);
        assertThat(outcomes).filteredOn(o -> o instanceof RateLimited).hasSize(11);
        assertThat(core.verifications().send("+12125550123", "sms", null, "test").status()).as("another prefix").isEqualTo("pending");
    }

    @Test
    void aRefusalByThePrefixDoesNotUseTheNumbersAllowance(Engines engines) {
        Dripline core = core(engines, Map.of("DRIPLINE_VERIFY_SENDS_PER_PREFIX", "1", "DRIPLINE_VERIFY_SENDS_PER_NUMBER", "1"));
        core.verifications().send("+14155550100", "sms", null, "test");
        assertThatThrownBy(() -> core.verifications().send(TO, "sms", null, "test")).isInstanceOf(RateLimited.class);
        // Both counters are taken in one transaction: the prefix's refusal leaves the number's untouched.
        var items = engines.dynamoDb().scan(r -> r.tableName(core.settings().tables().verifications())).items();
        assertThat(items).noneMatch(i -> i.get("id").s().startsWith("sends#number#" + TO));
    }

    @Test
    void concurrentRightAnswersApproveOnce(Engines engines) throws Exception {
        Dripline core = core(engines, Map.of());
        String code = codeIn(core, core.verifications().send(TO, "sms", null, "test"));
        List<Object> outcomes = race(8, i -> () -> core.verifications().check(TO, code));
        assertThat(outcomes).filteredOn(o -> o == Status.APPROVED).hasSize(1);
    }

    private interface Task {
        Callable<Object> make(int i);
    }

    private static List<Object> race(int threads, Task task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            var start = new java.util.concurrent.CountDownLatch(1);
            List<Future<Object>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Callable<Object> c = task.make(i);
                futures.add(pool.submit(() -> {
                    start.await();
                    try {
                        return c.call();
                    } catch (RuntimeException e) {
                        return e;
                    }
                }));
            }
            start.countDown();
            List<Object> out = new ArrayList<>();
            for (Future<Object> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
