package dev.dripline.drip;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One contact's run through one campaign: at most one per contact and campaign at a time (a
 * re-entry starts a new run in the same item, so the item also remembers that the contact was
 * here before). {@code token} grows with every move; work scheduled for an older token is stale.
 * Built through {@link #builder()} or {@link #toBuilder()}.
 *
 * @param version     the campaign version this run started on, kept to its end
 * @param waiting     {@link Waiting#REPLY} while a step waits for the contact's answer
 * @param event       the properties of the event that started it ({{event.x}} in templates)
 * @param optOutShown whether a marketing message of this campaign already told the contact how to opt out
 * @param lastSent    the last message sent and when: a conversion is credited to it
 * @param key         for a keyed trigger, the value of the event property that names this run
 *                    (an appointment id): one run per contact, campaign and key; null otherwise
 * @param heldBy      while a jurisdiction's cap rule defers its step: the rule ({@code id, jurisdiction, source}) and until when
 */
public record Enrolment(String contactId, String campaignId, String enrolmentId, int version, State state, String stepId, long token,
                        Waiting waiting, Instant dueAt, Instant enteredAt, Instant endedAt, String endReason, int runs,
                        Map<String, Object> event, List<StepRecord> history, boolean optOutShown, LastSent lastSent, String key,
                        HeldBy heldBy) {

    /** The cap rule of the compliance table holding a step, as {@code GET .../enrolments/{contactId}} shows it. */
    public record HeldBy(String id, String jurisdiction, String source, Instant until) {
    }

    public enum State {
        ACTIVE, COMPLETED, EXITED;

        @com.fasterxml.jackson.annotation.JsonValue
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static State fromWire(String wire) {
            return valueOf(wire.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** What a run waits for besides time (stored and shown as its wire value). */
    public enum Waiting {
        REPLY;

        @com.fasterxml.jackson.annotation.JsonValue
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Waiting fromWire(String wire) {
            return wire == null ? null : valueOf(wire.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** A step as it happened: what it did ({@code sent}, {@code skipped: capped}, {@code reply: yes}...). */
    public record StepRecord(String stepId, Instant at, String outcome) {
    }

    public record LastSent(String messageId, String stepId, String variant, Instant at) {
    }

    public boolean active() {
        return state == State.ACTIVE;
    }

    public boolean waitingForReply() {
        return waiting == Waiting.REPLY;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().contactId(contactId).campaignId(campaignId).enrolmentId(enrolmentId).version(version).state(state)
                .stepId(stepId).token(token).waiting(waiting).dueAt(dueAt).enteredAt(enteredAt).endedAt(endedAt).endReason(endReason)
                .runs(runs).event(event).history(history).optOutShown(optOutShown).lastSent(lastSent).key(key).heldBy(heldBy);
    }

    /** The one way to make an enrolment from parts. */
    public static final class Builder {
        private String contactId;
        private String campaignId;
        private String enrolmentId;
        private int version;
        private State state = State.ACTIVE;
        private String stepId;
        private long token;
        private Waiting waiting;
        private Instant dueAt;
        private Instant enteredAt;
        private Instant endedAt;
        private String endReason;
        private int runs = 1;
        private Map<String, Object> event = Map.of();
        private List<StepRecord> history = List.of();
        private boolean optOutShown;
        private LastSent lastSent;
        private String key;
        private HeldBy heldBy;

        private Builder() {
        }

        /** Set by a cap rule's deferral; every other move clears it. */
        public Builder heldBy(HeldBy v) {
            heldBy = v;
            return this;
        }

        public Builder contactId(String v) {
            contactId = v;
            return this;
        }

        public Builder campaignId(String v) {
            campaignId = v;
            return this;
        }

        public Builder enrolmentId(String v) {
            enrolmentId = v;
            return this;
        }

        public Builder version(int v) {
            version = v;
            return this;
        }

        public Builder state(State v) {
            state = v;
            return this;
        }

        public Builder stepId(String v) {
            stepId = v;
            return this;
        }

        public Builder token(long v) {
            token = v;
            return this;
        }

        public Builder waiting(Waiting v) {
            waiting = v;
            return this;
        }

        public Builder dueAt(Instant v) {
            dueAt = v;
            return this;
        }

        public Builder enteredAt(Instant v) {
            enteredAt = v;
            return this;
        }

        public Builder endedAt(Instant v) {
            endedAt = v;
            return this;
        }

        public Builder endReason(String v) {
            endReason = v;
            return this;
        }

        public Builder runs(int v) {
            runs = v;
            return this;
        }

        public Builder event(Map<String, Object> v) {
            event = v == null ? Map.of() : v;
            return this;
        }

        public Builder history(List<StepRecord> v) {
            history = v == null ? List.of() : List.copyOf(v);
            return this;
        }

        public Builder optOutShown(boolean v) {
            optOutShown = v;
            return this;
        }

        public Builder lastSent(LastSent v) {
            lastSent = v;
            return this;
        }

        public Builder key(String v) {
            key = v;
            return this;
        }

        public Enrolment build() {
            return new Enrolment(contactId, campaignId, enrolmentId, version, state, stepId, token, waiting, dueAt, enteredAt, endedAt,
                    endReason, runs, event, history, optOutShown, lastSent, key, heldBy);
        }
    }
}
