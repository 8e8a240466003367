package dev.dripline.drip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dripline.broadcasts.Broadcasts;
import dev.dripline.compliance.ComplianceCheck;
import dev.dripline.compliance.RecipientJurisdiction;
import dev.dripline.compliance.RulesTable;
import dev.dripline.contacts.Contact;
import dev.dripline.contacts.ContactPatch;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import dev.dripline.errors.Conflict;
import dev.dripline.errors.ProblemType;
import dev.dripline.messaging.Message;
import dev.dripline.messaging.OneOffMessage;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Texas SB 140's registration gate at send time: with DRIPLINE_COMPLIANCE_ENFORCE_REGISTRATION on,
 * marketing to a Texas number from a sender without a recorded registration is refused on every
 * path (a one-off: 409 registration-required; a campaign step and a broadcast recipient: skipped
 * with the reason), and the check route says the same; off (the default), or with the sender
 * registered, it goes. The deployment's sender here is the simulator's own number.
 */
@ExtendWith(EnginesExtension.class)
class RegistrationGateTest {

    private static final String SENDER = "+18335550100";
    private static final Instant MONDAY_NOON = JurisdictionCapTest.ny("2037-11-23T13:00:00");

    private static DripHarness harness(Engines engines, Map<String, String> env) {
        Map<String, String> all = new HashMap<>(JurisdictionCapTest.HIGH_DAILY_CAP);
        all.putAll(env);
        return new DripHarness(engines, MONDAY_NOON, all);
    }

    private static OneOffMessage marketing(String to, String from) {
        return new OneOffMessage(to, null, "Sale today", "marketing", from, null, null, null, null);
    }

    private static ComplianceCheck.Answer check(Contact c, String from, Map<String, String> env) {
        return ComplianceCheck.check(RecipientJurisdiction.candidates(c.country(), c.phone(), c.attributes()),
                List.of(ZoneId.of("America/Chicago")), "marketing", from, MONDAY_NOON, RulesTable.bundled(),
                ComplianceCheck.Registrations.parse(env.get("DRIPLINE_COMPLIANCE_REGISTRATIONS"),
                        env.get("DRIPLINE_COMPLIANCE_ENFORCE_REGISTRATION")));
    }

    /** A campaign step, a broadcast and a one-off to the contact; what became of each. */
    private record Outcomes(List<String> history, Broadcasts.Recipient recipient, Map<String, Long> counts, Object oneOff) {
    }

    private static Outcomes sendAll(DripHarness h, Contact c, String tag) {
        h.core.contacts().patch(c.id(), ContactPatch.parse(Map.of("tags", List.of(tag))), "test");
        String campaign = h.campaign("""
                {"name": "Gate", "trigger": {"event": "go"}, "steps": [{"id": "a", "send": {"body": "Campaign"}}]}""");
        h.event(c.id(), "go", Map.of());
        Broadcasts.Broadcast b = h.core.broadcasts().create(new Broadcasts.BroadcastInput("Bc", Map.of("tags", List.of(tag)),
                "Broadcast", "marketing", null, null, null));
        h.pump();
        Object oneOff;
        try {
            oneOff = h.core.messages().submit(marketing(c.phone(), null), "test");
        } catch (Conflict refused) {
            oneOff = refused;
        }
        List<String> history = h.enrolment(c.id(), campaign).history().stream().map(Enrolment.StepRecord::outcome).toList();
        return new Outcomes(history, h.core.broadcasts().recipient(b.id(), c.id()), h.core.broadcasts().get(b.id()).counts(), oneOff);
    }

    @Test
    void enforcementOnRefusesAnUnregisteredSenderOnEveryPathAndTheCheckAgrees(Engines engines) {
        Map<String, String> env = Map.of("DRIPLINE_COMPLIANCE_ENFORCE_REGISTRATION", "true");
        DripHarness h = harness(engines, env);
        Contact austin = h.contact("+15125550181", "Tex");

        Outcomes o = sendAll(h, austin, "tx1");

        assertThat(o.oneOff()).isInstanceOfSatisfying(Conflict.class, c -> {
            assertThat(c.problemType()).isEqualTo(ProblemType.REGISTRATION_REQUIRED);
            assertThat(c.problemType().status()).isEqualTo(409);
            assertThat(c.getMessage()).contains("us-tx-registration").contains("US-TX").contains(SENDER);
        });
        assertThat(o.history()).anySatisfy(s -> assertThat(s).startsWith("skipped: registration rule us-tx-registration")
                .contains(SENDER));
        assertThat(o.history()).noneMatch(s -> s.startsWith("sent "));
        assertThat(o.recipient().status()).isEqualTo("skipped");
        assertThat(o.recipient().reason()).isEqualTo("unregistered_sender");
        assertThat(o.counts()).containsEntry("skippedUnregistered", 1L).containsEntry("queued", 0L);
        assertThat(h.sent(austin.id())).isEmpty();

        ComplianceCheck.Answer answer = check(austin, SENDER, env);
        assertThat(answer.allowed()).isFalse();
        assertThat(answer.rules()).anySatisfy(r -> {
            assertThat(r.id()).isEqualTo("us-tx-registration");
            assertThat(r.outcome()).isEqualTo("held");
        });
    }

    @Test
    void enforcementOnLeavesOtherStatesTransactionalAndARegisteredFromAlone(Engines engines) {
        DripHarness h = harness(engines, Map.of("DRIPLINE_COMPLIANCE_ENFORCE_REGISTRATION", "true",
                "DRIPLINE_COMPLIANCE_REGISTRATIONS", "US-TX=+15125550100"));
        Contact austin = h.contact("+15125550182", "Tia");
        Contact nyc = h.contact("+12125550183", "Ned");
        assertThat(h.core.messages().submit(marketing(nyc.phone(), null), "test").id()).isNotNull();
        assertThat(h.core.messages().submit(new OneOffMessage(austin.phone(), null, "Your order", "transactional", null, null), "test")
                .id()).isNotNull();
        // The message names its own registered sender: the pool's unregistered number is not asked about.
        Message named = h.core.messages().submit(marketing(austin.phone(), "+15125550100"), "test");
        assertThat(named.from()).isEqualTo("+15125550100");
        assertThatThrownBy(() -> h.core.messages().submit(marketing(austin.phone(), "+15125550199"), "test"))
                .isInstanceOfSatisfying(Conflict.class, c -> assertThat(c.problemType()).isEqualTo(ProblemType.REGISTRATION_REQUIRED))
                .hasMessageContaining("+15125550199");
    }

    @Test
    void enforcementOnWithTheSenderRegisteredSendsOnEveryPath(Engines engines) {
        Map<String, String> env = Map.of("DRIPLINE_COMPLIANCE_ENFORCE_REGISTRATION", "true",
                "DRIPLINE_COMPLIANCE_REGISTRATIONS", "US-TX=" + SENDER);
        DripHarness h = harness(engines, env);
        Contact austin = h.contact("+15125550184", "Ty");

        Outcomes o = sendAll(h, austin, "tx2");

        assertThat(o.oneOff()).isInstanceOf(Message.class);
        assertThat(o.history()).anySatisfy(s -> assertThat(s).startsWith("sent "));
        assertThat(o.recipient().status()).isEqualTo("sent");
        assertThat(o.counts()).containsEntry("queued", 1L).containsEntry("skippedUnregistered", 0L);
        assertThat(check(austin, SENDER, env).allowed()).isTrue();
    }

    @Test
    void enforcementOffSendsAndTheCheckOnlyWarns(Engines engines) {
        DripHarness h = harness(engines, Map.of());
        Contact austin = h.contact("+15125550185", "Val");

        Outcomes o = sendAll(h, austin, "tx3");

        assertThat(o.oneOff()).isInstanceOf(Message.class);
        assertThat(o.history()).anySatisfy(s -> assertThat(s).startsWith("sent "));
        assertThat(o.recipient().status()).isEqualTo("sent");
        assertThat(o.counts()).containsEntry("queued", 1L).containsEntry("skippedUnregistered", 0L);
        ComplianceCheck.Answer answer = check(austin, SENDER, Map.of());
        assertThat(answer.allowed()).isTrue();
        assertThat(answer.rules()).anySatisfy(r -> {
            assertThat(r.id()).isEqualTo("us-tx-registration");
            assertThat(r.outcome()).isEqualTo("warning");
        });
    }
}
