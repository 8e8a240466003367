package dev.dripline.messaging;

import dev.dripline.json.Json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dripline.Dripline;
import dev.dripline.TestCore;
import dev.dripline.errors.InvalidInput;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.model.Message;

@ExtendWith(EnginesExtension.class)
class IdempotencyKeyTest {

    private Dripline core;
    private TestCore test;
    private Engines engines;

    @BeforeEach
    void fresh(Engines engines) {
        this.engines = engines;
        test = new TestCore(engines, Clock.systemUTC());
        core = test.dripline;
    }

    private static OneOffMessage order(String body) {
        return new OneOffMessage("+14155550190", null, body, "transactional", null, null);
    }

    private Set<String> queuedIds() {
        Set<String> ids = new HashSet<>();
        List<Message> received;
        do {
            received = engines.sqs().receiveMessage(r -> r.queueUrl(test.sendQueueUrl).maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
            received.forEach(m -> ids.add(m.body()));
        } while (!received.isEmpty());
        return ids;
    }

    @Test
    void theSameKeyAndBodyAnswersWithTheFirstMessage() {
        dev.dripline.messaging.Message first = core.messages().submit(order("Your order shipped"), "api-key:a", "order-42-shipped");
        dev.dripline.messaging.Message again = core.messages().submit(order("Your order shipped"), "api-key:a", "order-42-shipped");
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.createdAt()).isEqualTo(first.createdAt());
        // Queued again at most: the sender's claim makes a second request for one message harmless.
        // (The first request carries the message's card since issue 21, so the bodies are compared by the message they name.)
        assertThat(queuedIds()).isNotEmpty().extracting(body -> Json.read(body, SendRequest.class)).allSatisfy(r -> {
            assertThat(r.messageId()).isEqualTo(first.id());
            assertThat(r.attempt()).isZero();
        });
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefusedNamingTheHeader() {
        core.messages().submit(order("Your order shipped"), "api-key:a", "order-43");
        assertThatThrownBy(() -> core.messages().submit(order("Your order was cancelled"), "api-key:a", "order-43"))
                .isInstanceOfSatisfying(InvalidInput.class,
                        e -> assertThat(e.errors()).singleElement().satisfies(f -> assertThat(f.field()).isEqualTo("Idempotency-Key")));
    }

    @Test
    void keysBelongToTheCallerThatUsedThem() {
        dev.dripline.messaging.Message a = core.messages().submit(order("Hello"), "api-key:a", "same-key");
        dev.dripline.messaging.Message b = core.messages().submit(order("Hello"), "api-key:b", "same-key");
        assertThat(a.id()).isNotEqualTo(b.id());
    }

    @Test
    void concurrentRetriesOfOneRequestCreateOneMessage() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Callable<String>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            calls.add(() -> core.messages().submit(order("Your code is 123456"), "api-key:a", "otp-1").id());
        }
        Set<String> ids = new HashSet<>();
        for (Future<String> f : pool.invokeAll(calls)) {
            ids.add(f.get());
        }
        pool.shutdown();
        assertThat(ids).hasSize(1);
    }

    @Test
    void withoutAKeyEveryRequestIsANewMessage() {
        assertThat(core.messages().submit(order("Hi"), "api-key:a").id())
                .isNotEqualTo(core.messages().submit(order("Hi"), "api-key:a").id());
    }
}
