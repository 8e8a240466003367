package dev.dripline.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dripline.messaging.Message;
import dev.dripline.messaging.MessageStatus;
import dev.dripline.messaging.OneOffMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With DRIPLINE_DATA_DIR the local runtime keeps its data across a restart, and nothing accepted is lost. */
class LocalRuntimeRestartTest {

    @Test
    void aMessageScheduledBeforeARestartIsStillSentAfterIt(@TempDir Path dataDir) throws Exception {
        Map<String, String> env = Map.of("DRIPLINE_PORT", "0", "DRIPLINE_DATA_DIR", dataDir.toString(),
                "DRIPLINE_SIMULATOR_LATENCY_MS", "20");
        String id;
        try (LocalRuntime before = LocalRuntime.start(env)) {
            Instant sendAt = before.clock().instant().plus(Duration.ofHours(1));
            id = before.dripline().messages()
                    .submit(new OneOffMessage("+14155550195", null, "Tomorrow at 10", "transactional", null, sendAt), "test").id();
        }
        try (LocalRuntime after = LocalRuntime.start(env)) {
            assertThat(after.dripline().messages().get(id)).map(Message::status).contains(MessageStatus.ACCEPTED);
            after.clock().advance(Duration.ofHours(1));
            Instant deadline = Instant.now().plusSeconds(10);
            while (after.dripline().messages().get(id).orElseThrow().status() != MessageStatus.DELIVERED && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
            assertThat(after.dripline().messages().get(id).orElseThrow().status()).isEqualTo(MessageStatus.DELIVERED);
            assertThat(after.carrier().messages("+14155550195")).extracting(SimulatedCarrier.HandsetMessage::body)
                    .containsExactly("Tomorrow at 10");
        }
    }

    @Test
    void aWaitingDripStepSurvivesARestart(@TempDir Path dataDir) throws Exception {
        Map<String, String> env = Map.of("DRIPLINE_PORT", "0", "DRIPLINE_DATA_DIR", dataDir.toString(),
                "DRIPLINE_SIMULATOR_LATENCY_MS", "20");
        String phone = "+14155550196";
        try (LocalRuntime before = LocalRuntime.start(env)) {
            var core = before.dripline();
            var contact = core.contacts().upsert(new dev.dripline.contacts.ContactInput(phone, null, "Lin", null, null, null, null, null, null),
                    "test").contact();
            var campaign = core.campaigns().create(dev.dripline.json.Json.mapper().readTree(
                    "{\"name\": \"Later\", \"category\": \"transactional\", \"steps\": [{\"id\": \"later\", \"wait\": \"PT2H\","
                            + " \"send\": {\"body\": \"Two hours later\"}}]}"));
            core.campaigns().transition(campaign.id(), dev.dripline.drip.Campaign.Status.ACTIVE);
            core.journeyInbox().enrol(campaign.id(), java.util.List.of(contact.id()), Map.of(), "restart-test");
            Instant deadline = Instant.now().plusSeconds(10);
            while (core.journeys().store().enrolment(contact.id(), campaign.id()).isEmpty() && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
            assertThat(core.journeys().store().enrolment(contact.id(), campaign.id())).isPresent();
        }
        try (LocalRuntime after = LocalRuntime.start(env)) {
            after.clock().advance(Duration.ofHours(3));
            Instant deadline = Instant.now().plusSeconds(10);
            while (after.carrier().messages(phone).isEmpty() && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
            assertThat(after.carrier().messages(phone)).extracting(SimulatedCarrier.HandsetMessage::body).containsExactly("Two hours later");
        }
    }

    @Test
    void aBroadcastScheduledForLaterStartsAfterARestart(@TempDir Path dataDir) throws Exception {
        Map<String, String> env = Map.of("DRIPLINE_PORT", "0", "DRIPLINE_DATA_DIR", dataDir.toString(),
                "DRIPLINE_SIMULATOR_LATENCY_MS", "20");
        String phone = "+14155550197";
        String id;
        try (LocalRuntime before = LocalRuntime.start(env)) {
            var core = before.dripline();
            core.contacts().upsert(new dev.dripline.contacts.ContactInput(phone, null, "Sol", null, null, null, null,
                    java.util.List.of("later"), null), "test");
            id = core.broadcasts().create(new dev.dripline.broadcasts.Broadcasts.BroadcastInput("Later", Map.of("tags", java.util.List.of("later")),
                    "Doors open", "transactional", before.clock().instant().plus(Duration.ofHours(1)), null, null)).id();
        }
        try (LocalRuntime after = LocalRuntime.start(env)) {
            after.clock().advance(Duration.ofHours(1));
            Instant deadline = Instant.now().plusSeconds(15);
            while (after.carrier().messages(phone).isEmpty() && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
            assertThat(after.carrier().messages(phone)).extracting(SimulatedCarrier.HandsetMessage::body).containsExactly("Doors open");
            assertThat(after.dripline().broadcasts().get(id).status()).isEqualTo("fanned_out");
        }
    }

    @Test
    void aCarrierThatTookAMessageBeforeARestartStillReportsIt(@TempDir Path dataDir) throws Exception {
        Map<String, String> env = Map.of("DRIPLINE_PORT", "0", "DRIPLINE_DATA_DIR", dataDir.toString(),
                "DRIPLINE_SIMULATOR_LATENCY_MS", "60000");
        String phone = "+14155550198";
        String id;
        try (LocalRuntime before = LocalRuntime.start(env)) {
            id = before.dripline().messages().submit(new OneOffMessage(phone, null, "Receipt owed", "transactional", null, null), "test").id();
            Instant deadline = Instant.now().plusSeconds(15);
            while (before.carrier().messages(phone).isEmpty() && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
            assertThat(before.carrier().messages(phone)).hasSize(1);
        }
        // The receipts were due a minute later: the restarted carrier owes them, and pays.
        Map<String, String> fast = new java.util.HashMap<>(env);
        fast.put("DRIPLINE_SIMULATOR_LATENCY_MS", "20");
        try (LocalRuntime after = LocalRuntime.start(fast)) {
            Instant deadline = Instant.now().plusSeconds(15);
            while (after.dripline().messages().get(id).orElseThrow().status() != MessageStatus.DELIVERED && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
            assertThat(after.dripline().messages().get(id).orElseThrow().status()).isEqualTo(MessageStatus.DELIVERED);
            assertThat(after.carrier().messages(phone)).extracting(SimulatedCarrier.HandsetMessage::body).containsExactly("Receipt owed");
        }
    }
}
