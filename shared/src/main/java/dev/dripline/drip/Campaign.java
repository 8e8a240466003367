package dev.dripline.drip;

import java.time.Instant;

/**
 * A campaign as the API shows it: its lifecycle and its current definition.
 *
 * @param version    the definition new enrolments start on; running ones keep the one they started on
 * @param definition the current definition as its author wrote it (JSON)
 */
public record Campaign(String id, String name, Status status, int version, Object definition, Instant createdAt, Instant updatedAt) {

    /** draft → active ⇄ paused → archived (archived is final). */
    public enum Status {
        DRAFT, ACTIVE, PAUSED, ARCHIVED;

        @com.fasterxml.jackson.annotation.JsonValue
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
