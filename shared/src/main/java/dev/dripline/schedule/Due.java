package dev.dripline.schedule;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Work that falls due at a set time, as it travels from a schedule to the steps queue
 * ({@code {"kind": "send", ...}}). The steps function acts on it; acting twice is harmless.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({@JsonSubTypes.Type(value = Due.ScheduledSend.class, name = "send"),
        @JsonSubTypes.Type(value = Due.WebhookDelivery.class, name = "webhook"),
        @JsonSubTypes.Type(value = Due.Step.class, name = "step"),
        @JsonSubTypes.Type(value = Due.ContactEvent.class, name = "event"),
        @JsonSubTypes.Type(value = Due.Reply.class, name = "reply"),
        @JsonSubTypes.Type(value = Due.OptOut.class, name = "optout"),
        @JsonSubTypes.Type(value = Due.Enrol.class, name = "enrol"),
        @JsonSubTypes.Type(value = Due.Resume.class, name = "resume"),
        @JsonSubTypes.Type(value = Due.ContactChanged.class, name = "contact"),
        @JsonSubTypes.Type(value = Due.DateSweep.class, name = "date-sweep"),
        @JsonSubTypes.Type(value = Due.BroadcastPage.class, name = "broadcast"),
        @JsonSubTypes.Type(value = Due.BroadcastRelease.class, name = "broadcast-release"),
        @JsonSubTypes.Type(value = Due.FetchMedia.class, name = "media-fetch")})
public sealed interface Due {

    /** Hands this work to the one method of {@code routes} for its kind. */
    void routeTo(Routes routes);

    /**
     * What to do with each kind of due work, one method a kind: a new kind of {@link Due} does
     * not compile until it names its method here, and then not until every consumer (the steps
     * router, {@code dev.dripline.steps.StepsRouter}) handles it. (Java 17 has no pattern switch
     * over a sealed interface; this is that switch's exhaustiveness, checked by the compiler.)
     */
    interface Routes {
        void send(ScheduledSend work);

        void webhook(WebhookDelivery work);

        void step(Step work);

        void event(ContactEvent work);

        void reply(Reply work);

        void optOut(OptOut work);

        void enrol(Enrol work);

        void resume(Resume work);

        void contactChanged(ContactChanged work);

        void dateSweep(DateSweep work);

        void broadcastPage(BroadcastPage work);

        void broadcastRelease(BroadcastRelease work);

        void fetchMedia(FetchMedia work);
    }

    /** A one-off message with a {@code sendAt}: hand it to the sender now. */
    record ScheduledSend(String messageId) implements Due {
        @Override
        public void routeTo(Routes routes) {
            routes.send(this);
        }
    }

    /**
     * An outbound webhook event to POST to the integrator's URL (its JSON as it will be sent),
     * and which attempt this is; a failed attempt comes back as the next, delayed. With an
     * {@code endpointId}, it goes to that endpoint of /v1/webhook-endpoints and each attempt is
     * logged under {@code deliveryId}; without, to DRIPLINE_OUTBOUND_WEBHOOK_URL.
     */
    record WebhookDelivery(String event, int attempt, String endpointId, String deliveryId) implements Due {
        public WebhookDelivery(String event, int attempt) {
            this(event, attempt, null, null);
        }

        @Override
        public void routeTo(Routes routes) {
            routes.webhook(this);
        }
    }

    /**
     * An enrolment's step fell due; stale (and ignored) unless the enrolment is still at {@code token}.
     * {@code key}: the run's key under a keyed trigger (one run per appointment), else null.
     */
    record Step(String contactId, String campaignId, String enrolmentId, long token, String key) implements Due {
        public Step(String contactId, String campaignId, String enrolmentId, long token) {
            this(contactId, campaignId, enrolmentId, token, null);
        }

        @Override
        public void routeTo(Routes routes) {
            routes.step(this);
        }
    }

    /** An event about a contact (POST /v1/events, a keyword): enrols, ends goals. */
    record ContactEvent(String eventId, String contactId, String name, java.time.Instant occurredAt,
                        java.util.Map<String, Object> properties) implements Due {
        @Override
        public void routeTo(Routes routes) {
            routes.event(this);
        }
    }

    /**
     * An inbound message that is no opt-out: feeds the contact's steps waiting for a reply.
     *
     * @param keyword it is a keyword (START, Y, a configured one): never a saved answer, except yes to a yes/no question
     */
    record Reply(String contactId, String messageId, String body, java.time.Instant at, boolean keyword) implements Due {

        public Reply(String contactId, String messageId, String body, java.time.Instant at) {
            this(contactId, messageId, body, at, false);
        }

        @Override
        public void routeTo(Routes routes) {
            routes.reply(this);
        }
    }

    /** The contact opted out: every marketing enrolment ends. */
    record OptOut(String contactId, java.time.Instant at) implements Due {
        @Override
        public void routeTo(Routes routes) {
            routes.optOut(this);
        }
    }

    /** Contacts enrolled by API ({@code requestId} makes a retried request enrol once). */
    record Enrol(String campaignId, java.util.List<String> contactIds, java.util.Map<String, Object> properties, String requestId)
            implements Due {
        @Override
        public void routeTo(Routes routes) {
            routes.enrol(this);
        }
    }

    /** A paused campaign resumed: the steps it held go on, a page at a time. */
    record Resume(String campaignId) implements Due {
        @Override
        public void routeTo(Routes routes) {
            routes.resume(this);
        }
    }

    /** A contact was created or changed: it may have entered a segment that triggers a campaign. */
    record ContactChanged(String contactId) implements Due {
        @Override
        public void routeTo(Routes routes) {
            routes.contactChanged(this);
        }
    }

    /** A date-triggered campaign's daily pass over contacts, for {@code day}, from {@code cursor}. */
    record DateSweep(String campaignId, java.time.LocalDate day, String cursor) implements Due {
        @Override
        public void routeTo(Routes routes) {
            routes.dateSweep(this);
        }
    }

    /** The next page of a broadcast's audience ({@code cursor} null: the first). */
    record BroadcastPage(String broadcastId, String cursor) implements Due {
        @Override
        public void routeTo(Routes routes) {
            routes.broadcastPage(this);
        }
    }

    /** A broadcast's recipients held by quiet hours until {@code releaseAt} (epoch seconds). */
    record BroadcastRelease(String broadcastId, long releaseAt) implements Due {
        @Override
        public void routeTo(Routes routes) {
            routes.broadcastRelease(this);
        }
    }

    /** An inbound MMS's media to fetch from its provider and store ({@code attempt} from 1; a failed one comes back later). */
    record FetchMedia(String messageId, int attempt) implements Due {
        @Override
        public void routeTo(Routes routes) {
            routes.fetchMedia(this);
        }
    }
}
