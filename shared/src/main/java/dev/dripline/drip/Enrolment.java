package dev.dripline.drip;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One contact's run through one campaign: at most one per contact and campaign at a time (a
 * re-entry starts a new run in the same item, so the item also remembers that the contact was
 * here before). {@code token} grows with every move; work scheduled for an older token is stale.
 *
 * @param version     the campaign version this run started on, kept to its end
 * @param waiting     {@code reply} while a step waits for the contact's answer
 * @param event       the properties of the event that started it ({{event.x}} in templates)
 * @param optOutShown whether a marketing message of this campaign already told the contact how to opt out
 * @param lastSent    the last message sent and when: a conversion is credited to it
 */
public record Enrolment(String contactId, String campaignId, String enrolmentId, int version, State state, String stepId, long token,
                        String waiting, Instant dueAt, Instant enteredAt, Instant endedAt, String endReason, int runs,
                        Map<String, Object> event, List<StepRecord> history, boolean optOutShown, LastSent lastSent) {

    public enum State {
        ACTIVE, COMPLETED, EXITED;

        @com.fasterxml.jackson.annotation.JsonValue
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
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
}
