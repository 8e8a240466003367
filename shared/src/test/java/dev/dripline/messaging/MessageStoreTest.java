package dev.dripline.messaging;

import dev.dripline.Dripline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dripline.TestCore;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EnginesExtension.class)
class MessageStoreTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    private MessageStore store;

    @BeforeEach
    void freshTables(Engines engines) {
        store = new TestCore(engines, Clock.systemUTC()).dripline.messageStore();
    }

    private String accepted(String id) {
        store.create(new Message(id, Direction.OUTBOUND, "ct_1", "+14155550123", null, "hi", Category.TRANSACTIONAL,
                MessageStatus.ACCEPTED, List.of(new Message.StatusChange(MessageStatus.ACCEPTED, T0, null)), null, null, null, null,
                null, null, T0, null));
        return id;
    }

    @Test
    void aLateSentAfterDeliveredStaysInTheHistoryButNotInTheStatus() {
        String id = accepted("msg_a");
        store.recordStatus(id, MessageStatus.DELIVERED, null, T0.plusSeconds(2), "p:delivered");
        store.recordStatus(id, MessageStatus.SENT, null, T0.plusSeconds(1), "p:sent");

        Message m = store.get(id).orElseThrow();
        assertThat(m.status()).isEqualTo(MessageStatus.DELIVERED);
        assertThat(m.history()).extracting(Message.StatusChange::status)
                .containsExactly(MessageStatus.ACCEPTED, MessageStatus.DELIVERED, MessageStatus.SENT);
    }

    @Test
    void aHandOverRecordedAfterItsReceiptIsTwoWritesKeepingTheReceiptsStatus(Engines engines) {
        // Before: four writes (the failed attempt, the dispatch fields, a failed status advance, the history entry).
        dev.dripline.engines.ClientCalls calls = new dev.dripline.engines.ClientCalls();
        Dripline core = new TestCore(engines, Clock.systemUTC(), java.util.Map.of(), calls).dripline;
        MessageStore counted = core.messageStore();
        List<String> handedOver = new java.util.concurrent.CopyOnWriteArrayList<>();
        counted.onTransitions(new MessageStore.Transitions() {
            @Override
            public void handedOver(String messageId, Origin origin, Integer segments, java.math.BigDecimal cost, Instant at) {
                handedOver.add(messageId + ":" + segments + ":" + cost);
            }

            @Override
            public void statusChanged(String messageId, Origin origin, MessageStatus from, MessageStatus to, Instant at) {
            }
        });
        counted.create(new Message("msg_r", Direction.OUTBOUND, "ct_1", "+14155550123", null, "hi", Category.TRANSACTIONAL,
                MessageStatus.ACCEPTED, List.of(new Message.StatusChange(MessageStatus.ACCEPTED, T0, null)), null, null, null, null,
                null, null, T0, null));
        assertThat(counted.claim("msg_r", T0)).isTrue();
        counted.recordStatus("msg_r", MessageStatus.SENT, null, T0.plusSeconds(1), "twilio:SM1:sent");
        calls.reset();
        counted.handedOver("msg_r", "twilio", "SM1", 2, new java.math.BigDecimal("0.0158"), T0.plusMillis(500));

        assertThat(calls.snapshot()).containsEntry("DynamoDB.UpdateItem", 2L);
        Message m = counted.get("msg_r").orElseThrow();
        assertThat(m.status()).isEqualTo(MessageStatus.SENT);
        assertThat(m.provider()).isEqualTo("twilio");
        assertThat(m.providerMessageId()).isEqualTo("SM1");
        assertThat(m.segments()).isEqualTo(2);
        assertThat(m.history()).extracting(Message.StatusChange::status)
                .containsExactly(MessageStatus.ACCEPTED, MessageStatus.SENT, MessageStatus.QUEUED);
        assertThat(handedOver).containsExactly("msg_r:2:0.0158");

        // The same hand-over again (a retry): no second history entry.
        counted.handedOver("msg_r", "twilio", "SM1", 2, new java.math.BigDecimal("0.0158"), T0.plusMillis(500));
        assertThat(counted.get("msg_r").orElseThrow().history()).hasSize(3);
    }

    @Test
    void theSameReportTwiceHasOneEffect() {
        String id = accepted("msg_b");
        assertThat(store.recordStatus(id, MessageStatus.SENT, null, T0, "p:sent")).isTrue();
        assertThat(store.recordStatus(id, MessageStatus.SENT, null, T0, "p:sent")).isFalse();
        assertThat(store.recordStatus(id, MessageStatus.UNDELIVERED, "30003", T0, "p:undelivered")).isTrue();
        assertThat(store.recordStatus(id, MessageStatus.UNDELIVERED, "30003", T0, "p:undelivered")).isFalse();

        Message m = store.get(id).orElseThrow();
        assertThat(m.history()).hasSize(3);
        assertThat(m.status()).isEqualTo(MessageStatus.UNDELIVERED);
        assertThat(m.errorCode()).isEqualTo("30003");
    }

    @Test
    void theFirstFinalStatusWins() {
        String id = accepted("msg_c");
        store.recordStatus(id, MessageStatus.FAILED, "21610", T0, "p:failed");
        store.recordStatus(id, MessageStatus.DELIVERED, null, T0, "p:delivered");
        assertThat(store.get(id).orElseThrow().status()).isEqualTo(MessageStatus.FAILED);
    }

    @Test
    void aReportForAMessageThatDoesNotExistCreatesNothing() {
        assertThat(store.recordStatus("msg_nope", MessageStatus.DELIVERED, null, T0, "p:delivered")).isFalse();
        assertThat(store.get("msg_nope")).isEmpty();
    }

    @Test
    void onlyOneOfManyRacingWorkersClaimsAMessage() throws Exception {
        String id = accepted("msg_d");
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Callable<Boolean>> claims = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            claims.add(() -> store.claim(id, T0));
        }
        int winners = 0;
        for (Future<Boolean> f : pool.invokeAll(claims)) {
            winners += f.get() ? 1 : 0;
        }
        pool.shutdown();
        assertThat(winners).isEqualTo(1);
        assertThat(store.dispatchable(id).orElseThrow().dispatch()).isEqualTo(MessageStore.CLAIMED);
    }

    @Test
    void aReleasedClaimCanBeTakenAgain() {
        String id = accepted("msg_e");
        assertThat(store.claim(id, T0)).isTrue();
        store.release(id);
        assertThat(store.claim(id, T0)).isTrue();
    }
}
