package dev.dripline.schedule;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Work that falls due at a set time, as it travels from a schedule to the steps queue
 * ({@code {"kind": "send", ...}}). The steps function acts on it; acting twice is harmless.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({@JsonSubTypes.Type(value = Due.ScheduledSend.class, name = "send"),
        @JsonSubTypes.Type(value = Due.WebhookDelivery.class, name = "webhook")})
public sealed interface Due {

    /** A one-off message with a {@code sendAt}: hand it to the sender now. */
    record ScheduledSend(String messageId) implements Due {
    }

    /**
     * An outbound webhook event to POST to the integrator's URL (its JSON as it will be sent),
     * and which attempt this is; a failed attempt comes back as the next, delayed.
     */
    record WebhookDelivery(String event, int attempt) implements Due {
    }
}
