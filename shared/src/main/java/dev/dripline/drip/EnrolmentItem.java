package dev.dripline.drip;

import dev.dripline.json.Json;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** An enrolment as the journeys table stores it (its attributes; the keys are {@link JourneyStore}'s). */
final class EnrolmentItem {

    private static final int HISTORY_KEPT = 50;

    private EnrolmentItem() {
    }

    static Map<String, AttributeValue> attributes(Enrolment e) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("campaignId", s(e.campaignId()));
        item.put("enrolmentId", s(e.enrolmentId()));
        item.put("version", n(e.version()));
        item.put("state", s(e.state().wire()));
        if (e.stepId() != null) {
            item.put("stepId", s(e.stepId()));
        }
        item.put("token", n(e.token()));
        if (e.waiting() != null) {
            item.put("waiting", s(e.waiting().wire()));
        }
        if (e.dueAt() != null) {
            item.put("dueAt", s(e.dueAt().toString()));
        }
        item.put("enteredAt", s(e.enteredAt().toString()));
        if (e.endedAt() != null) {
            item.put("endedAt", s(e.endedAt().toString()));
            item.put("endReason", s(e.endReason()));
        }
        item.put("runs", n(e.runs()));
        item.put("event", s(Json.write(e.event() == null ? Map.of() : e.event())));
        List<Enrolment.StepRecord> history = e.history() == null ? List.of() : e.history();
        if (history.size() > HISTORY_KEPT) {
            history = history.subList(history.size() - HISTORY_KEPT, history.size());
        }
        item.put("history", s(Json.write(history)));
        if (e.optOutShown()) {
            item.put("optOutShown", AttributeValue.fromBool(true));
        }
        if (e.lastSent() != null) {
            item.put("lastSent", s(Json.write(e.lastSent())));
        }
        if (e.key() != null) {
            item.put("key", s(e.key()));
        }
        if (e.heldBy() != null) {
            item.put("heldBy", s(Json.write(e.heldBy())));
        }
        return item;
    }

    @SuppressWarnings("unchecked")
    static Enrolment decode(String contactId, Map<String, AttributeValue> i) {
        List<Enrolment.StepRecord> history;
        try {
            history = List.of(Json.mapper().readValue(i.get("history").s(), Enrolment.StepRecord[].class));
        } catch (Exception e) {
            throw new IllegalStateException("unreadable enrolment history", e);
        }
        return Enrolment.builder().contactId(contactId).campaignId(i.get("campaignId").s()).enrolmentId(i.get("enrolmentId").s())
                .version(Integer.parseInt(i.get("version").n())).state(Enrolment.State.fromWire(i.get("state").s()))
                .stepId(text(i, "stepId")).token(Long.parseLong(i.get("token").n()))
                .waiting(Enrolment.Waiting.fromWire(text(i, "waiting")))
                .dueAt(i.containsKey("dueAt") ? Instant.parse(i.get("dueAt").s()) : null).enteredAt(Instant.parse(i.get("enteredAt").s()))
                .endedAt(i.containsKey("endedAt") ? Instant.parse(i.get("endedAt").s()) : null).endReason(text(i, "endReason"))
                .runs(Integer.parseInt(i.get("runs").n())).event(Json.read(i.get("event").s(), Map.class)).history(history)
                .optOutShown(i.containsKey("optOutShown") && Boolean.TRUE.equals(i.get("optOutShown").bool()))
                .lastSent(i.containsKey("lastSent") ? Json.read(i.get("lastSent").s(), Enrolment.LastSent.class) : null)
                .key(text(i, "key"))
                .heldBy(i.containsKey("heldBy") ? Json.read(i.get("heldBy").s(), Enrolment.HeldBy.class) : null)
                .build();
    }

    private static String text(Map<String, AttributeValue> i, String name) {
        return i.containsKey(name) ? i.get(name).s() : null;
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }
}
