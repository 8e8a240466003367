package dev.dripline.messaging;

import dev.dripline.ids.Ids;
import dev.dripline.consent.ConsentStatus;
import dev.dripline.contacts.Contact;
import dev.dripline.contacts.Contacts;
import dev.dripline.contacts.PhoneNumber;
import dev.dripline.errors.Conflict;
import dev.dripline.errors.FieldError;
import dev.dripline.errors.InvalidInput;
import dev.dripline.errors.Unavailable;
import dev.dripline.json.Json;
import dev.dripline.links.ShortLinks;
import dev.dripline.media.MediaAttachments;
import dev.dripline.messaging.MessageMedia;
import dev.dripline.messaging.encoding.OutgoingText;
import dev.dripline.messaging.encoding.Segments;
import dev.dripline.queue.SqsQueue;
import dev.dripline.schedule.Due;
import dev.dripline.schedule.StepScheduler;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** Outbound one-off messages: accepted here, stored, and put on the send queue for the sender. */
public final class Messages {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Messages.class);

    /** The longest body any provider takes (Twilio, AWS: 1,600 characters). */
    public static final int MAX_BODY = 1600;

    private final MessageStore store;
    private final Contacts contacts;
    private final SqsQueue sendQueue;
    private final Supplier<StepScheduler> scheduler;
    private final Clock clock;
    private final boolean smartEncodingByDefault;
    private final String brand;
    private final ShortLinks links;
    private final boolean providerConfigured;
    private final dev.dripline.consent.Topics topics;
    private final Supplier<dev.dripline.drip.FrequencyCap> cap;
    private final Supplier<MediaAttachments> media;

    public Messages(MessageStore store, Contacts contacts, SqsQueue sendQueue, Supplier<StepScheduler> scheduler, Clock clock,
                    boolean smartEncodingByDefault, String brand, ShortLinks links) {
        this(store, contacts, sendQueue, scheduler, clock, smartEncodingByDefault, brand, links, true);
    }

    /**
     * @param brand put first on marketing messages (DRIPLINE_BRAND)
     * @param links where marketing messages' links are shortened per recipient
     * @param providerConfigured whether any provider is configured ({@code Settings.hasProvider}); if not, the API's
     *                           sends are refused ({@link #requireProvider})
     */
    public Messages(MessageStore store, Contacts contacts, SqsQueue sendQueue, Supplier<StepScheduler> scheduler, Clock clock,
                    boolean smartEncodingByDefault, String brand, ShortLinks links, boolean providerConfigured) {
        this(store, contacts, sendQueue, scheduler, clock, smartEncodingByDefault, brand, links, providerConfigured,
                dev.dripline.consent.Topics.DEFAULT, null, () -> {
                    throw new IllegalStateException("these messages were built without media");
                });
    }

    /**
     * @param topics the consent topics a one-off message may name (DRIPLINE_TOPICS)
     * @param cap    where one-off marketing is counted by the jurisdictions' caps; null: not counted (a core without journeys)
     * @param media  resolves and checks media on messages (MMS), built on first use
     */
    public Messages(MessageStore store, Contacts contacts, SqsQueue sendQueue, Supplier<StepScheduler> scheduler, Clock clock,
                    boolean smartEncodingByDefault, String brand, ShortLinks links, boolean providerConfigured,
                    dev.dripline.consent.Topics topics, Supplier<dev.dripline.drip.FrequencyCap> cap, Supplier<MediaAttachments> media) {
        this.topics = topics;
        this.cap = cap;
        this.media = media;
        this.providerConfigured = providerConfigured;
        this.smartEncodingByDefault = smartEncodingByDefault;
        this.brand = brand;
        this.links = links;
        this.store = store;
        this.contacts = contacts;
        this.sendQueue = sendQueue;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    /** What a send is refused with when no provider is configured (the 503's detail). */
    public static final String NO_PROVIDER = "no provider configured: nothing can be sent until DRIPLINE_PROVIDERS names one"
            + " (on AWS the Providers parameter, e.g. twilio, with its secret holding the credentials and sender)";

    /** Refuses what would text someone when no provider is configured: 503 rather than a message that never leaves. */
    public void requireProvider() {
        if (!providerConfigured) {
            throw new Unavailable(NO_PROVIDER);
        }
    }

    /** The id of the reply to an inbound message: one reply per inbound message, however often it arrives. */
    public static String replyId(String inboundId) {
        return "re_" + inboundId;
    }

    /**
     * The reply to an inbound message, not yet stored: transactional, from the number the person
     * wrote to, under {@link #replyId} so that a redelivered inbound message cannot reply twice.
     */
    public Message replyDraft(Contact contact, Message inbound, String body) {
        OutgoingText text = Segments.prepare(body, smartEncodingByDefault);
        Instant now = clock.instant();
        Instant createdAt = now.isBefore(inbound.createdAt()) ? inbound.createdAt().plusMillis(1) : now;
        return Message.outbound(replyId(inbound.id())).between(contact.id(), contact.phone(), inbound.to())
                .body(text.text(), text.count().encoding().label(), text.count().segments()).category(Category.TRANSACTIONAL)
                .firstStatus(MessageStatus.ACCEPTED, now).createdAt(createdAt).build();
    }

    /** Stores a reply unless it exists, and queues it while no sender has taken it. */
    public void sendReply(Message draft) {
        try {
            store.create(draft);
        } catch (ConditionalCheckFailedException alreadyCreated) {
            // A redelivered inbound message: queue it again only if it is still waiting.
        }
        queueIfWaiting(draft.id());
    }

    /**
     * Queues a stored message that no sender has taken yet (a reply created in a transaction, or
     * one whose queueing a crash interrupted). The sender's claim makes a second queueing harmless.
     */
    public void queueIfWaiting(String messageId) {
        store.dispatchable(messageId)
                .filter(d -> d.dispatch() == null && d.message().status() == MessageStatus.ACCEPTED && d.message().sendAt() == null)
                .ifPresent(d -> sendQueue.send(new SendRequest(messageId)));
    }

    /** The message an earlier request with the same idempotency key made, re-queued if it may not have been. */
    private Optional<Message> earlier(String id, String requestHash) {
        Optional<MessageStore.Dispatchable> found = store.dispatchable(id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        if (!requestHash.equals(store.requestHash(id).orElse(null))) {
            throw InvalidInput.of("Idempotency-Key", "was used before with a different request");
        }
        Message m = found.get().message();
        if (m.status() == MessageStatus.ACCEPTED && m.sendAt() == null && found.get().dispatch() == null) {
            sendQueue.send(new SendRequest(m.id()));
        }
        return Optional.of(m);
    }

    /**
     * Puts every accepted, untaken message back on its way: due ones on the send queue, later
     * ones on the scheduler. For a restart of the local runtime on its data directory, whose
     * queues and schedules were in memory; both steps are harmless for a message already on its
     * way (the sender's claim, the schedule's unique name).
     *
     * @return how many messages were put back
     */
    public int resumeUnsent() {
        Instant now = clock.instant();
        int resumed = 0;
        for (Message m : store.acceptedAndUntaken()) {
            if (m.sendAt() != null && m.sendAt().isAfter(now)) {
                scheduler.get().schedule(scheduleName(m.id()), m.sendAt(), new Due.ScheduledSend(m.id()));
            } else {
                sendQueue.send(new SendRequest(m.id()));
            }
            resumed++;
        }
        return resumed;
    }

    /** A scheduled message fell due: hand it to the sender unless it was settled meanwhile. */
    public void releaseScheduled(String messageId) {
        store.get(messageId)
                .filter(m -> m.status() == MessageStatus.ACCEPTED)
                .ifPresent(m -> sendQueue.send(new SendRequest(m.id())));
    }

    /**
     * A message a campaign step or a broadcast sends, not yet stored: rendered for marketing
     * (brand first, tracked short links, opt-out instructions when {@code optOutText}), encoded
     * and counted. The caller stores it (with whatever else must be written at once) and then
     * {@link #queue queues} it.
     */
    public Message draft(Contact contact, String id, String body, Category category, Origin origin, boolean optOutText) {
        return draft(contact, id, body, category, origin, optOutText, dev.dripline.consent.Topics.defaultFor(category.wire()));
    }

    /** As {@link #draft(Contact, String, String, Category, Origin, boolean)}, sent under {@code topic}. */
    public Message draft(Contact contact, String id, String body, Category category, Origin origin, boolean optOutText, String topic) {
        return draft(contact, id, body, category, origin, optOutText, topic, List.of(), null);
    }

    /** As {@link #draft(Contact, String, String, Category, Origin, boolean, String, List, String)}, under the category's topic. */
    public Message draft(Contact contact, String id, String body, Category category, Origin origin, boolean optOutText,
                         List<dev.dripline.media.MediaInput> mediaInputs, String mediaFallback) {
        return draft(contact, id, body, category, origin, optOutText, dev.dripline.consent.Topics.defaultFor(category.wire()), mediaInputs,
                mediaFallback);
    }

    /**
     * As {@link #draft(Contact, String, String, Category, Origin, boolean)}, sent under {@code topic}, with media: an MMS
     * where the contact's country and the sender carry it, else as {@code mediaFallback} says
     * (link: the media as short links in the text; fail: a message stored failed). Uploaded media
     * that no longer exists is left out, logged.
     */
    public Message draft(Contact contact, String id, String body, Category category, Origin origin, boolean optOutText, String topic,
                         List<dev.dripline.media.MediaInput> mediaInputs, String mediaFallback) {
        List<MessageMedia> attached = List.of();
        if (mediaInputs != null && !mediaInputs.isEmpty()) {
            attached = mediaInputs.stream().flatMap(in -> {
                try {
                    return media.get().resolve(List.of(in)).stream();
                } catch (InvalidInput gone) {
                    LOG.warn("message {}: media left out ({})", id, gone.getMessage());
                    return java.util.stream.Stream.empty();
                }
            }).toList();
        }
        boolean asMms = !attached.isEmpty() && media.get().carried(contact.country(), null);
        MediaAttachments.Fallback fallback = MediaAttachments.Fallback.fromWire(mediaFallback);
        boolean failed = !attached.isEmpty() && !asMms && fallback == MediaAttachments.Fallback.FAIL;
        if (!attached.isEmpty() && !asMms && !failed) {
            body = withLinks(body, attached, url -> links.shorten(url, id, contact.id()));
        }
        Message m = draftText(contact, id, body, category, origin, optOutText, topic);
        if (asMms) {
            return Message.outbound(id).between(m.contactId(), m.to(), m.from()).body(m.body(), m.encoding(), 1).category(category)
                    .firstStatus(MessageStatus.ACCEPTED, m.createdAt()).createdAt(m.createdAt()).origin(origin).topic(topic).media(attached)
                    .build();
        }
        if (failed) {
            return new Message(m.id(), m.direction(), m.contactId(), m.to(), m.from(), m.body(), category, MessageStatus.FAILED,
                    List.of(new Message.StatusChange(MessageStatus.FAILED, m.createdAt(), MediaAttachments.NOT_CARRIED)), null, null,
                    m.encoding(), m.segments(), null, MediaAttachments.NOT_CARRIED, m.createdAt(), null, origin, topic, null, attached);
        }
        return m;
    }

    private Message draftText(Contact contact, String id, String body, Category category, Origin origin, boolean optOutText,
                              String topic) {
        String text = dev.dripline.compliance.RequiredTexts.forRecipient(body, brand, category.wire(), contact.country(), contact.phone(),
                contact.attributes(), clock.instant());
        if (category == Category.MARKETING) {
            text = MarketingText.render(text, brand, url -> links.shorten(url, id, contact.id()), optOutText);
        }
        if (text.length() > MAX_BODY) {
            text = text.substring(0, MAX_BODY);
        }
        OutgoingText out = Segments.prepare(text, smartEncodingByDefault);
        Instant now = clock.instant();
        return Message.outbound(id).between(contact.id(), contact.phone(), null)
                .body(out.text(), out.count().encoding().label(), out.count().segments()).category(category)
                .firstStatus(MessageStatus.ACCEPTED, now).createdAt(now).origin(origin).topic(topic).build();
    }

    /** Puts a stored message on the send queue (the sender's claim makes a second queueing harmless). */
    public void queue(String messageId) {
        sendQueue.send(new SendRequest(messageId));
    }

    /** Several stored messages at once, in batches of ten. */
    public void queueAll(List<String> messageIds) {
        sendQueue.sendAll(messageIds.stream().map(SendRequest::new).toList());
    }

    /** Rounds of deferral a one-off message may go through before it is refused (each a later window). */
    private static final int CAP_ROUNDS = 5;

    /**
     * Stores a one-off marketing message counted by the jurisdictions' caps: at once when a slot
     * is free; past a cap, deferred to when the window frees ({@code sendAt}, with the rule as its
     * {@code capHold}), or refused when the request said {@code skip}. Empty: it existed already.
     */
    private Optional<Message> counted(Message message, Contact contact, String requestHash, boolean skip) {
        Message m = message;
        Instant at = m.sendAt() != null ? m.sendAt() : m.createdAt();
        for (int round = 0; round < CAP_ROUNDS; round++) {
            dev.dripline.drip.FrequencyCap.Result r = cap.get().createOneOff(m, contact, at, requestHash, clock.instant());
            if (r.refused()) {
                throw new Conflict(dev.dripline.errors.ProblemType.REGISTRATION_REQUIRED, "not sent: " + r.refusal().reason());
            }
            if (r.outcome() == dev.dripline.drip.FrequencyCap.Outcome.ALREADY_CREATED) {
                return Optional.empty();
            }
            if (!r.capped()) {
                return Optional.of(m);
            }
            if (skip) {
                throw new Conflict(dev.dripline.errors.ProblemType.FREQUENCY_CAPPED, "the recipient has had as many marketing messages as "
                        + r.heldByText() + " allows; the next slot is at " + r.until() + " (send with frequencyCap defer to wait for it)");
            }
            at = r.until();
            m = new Message(m.id(), m.direction(), m.contactId(), m.to(), m.from(), m.body(), m.category(), m.status(), m.history(),
                    m.provider(), m.providerMessageId(), m.encoding(), m.segments(), m.cost(), m.errorCode(), m.createdAt(), at,
                    m.origin(), m.topic(), r.heldBy() == null ? null
                    : new Message.CapHold(at, r.heldBy().id(), r.heldBy().jurisdiction(), r.heldBy().source()), m.media());
        }
        throw new Conflict(dev.dripline.errors.ProblemType.FREQUENCY_CAPPED, "the recipient's marketing caps stay full for the next "
                + CAP_ROUNDS + " windows; try later");
    }

    /** The topic a message, broadcast or campaign names, checked against DRIPLINE_TOPICS, or its category's. */
    public String topic(String requested, Category category, String field) {
        return topics.resolve(requested, category.wire(), field);
    }

    /** The body with a line per media, each a short link ({@code shorten}) to it: MMS's fallback as SMS. */
    static String withLinks(String body, List<MessageMedia> media, java.util.function.UnaryOperator<String> shorten) {
        StringBuilder text = new StringBuilder(body);
        for (MessageMedia m : media) {
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append(shorten.apply(MediaAttachments.linkTarget(m)));
        }
        return text.toString();
    }

    /** Refuses (422) media a broadcast or step will send that is wrong now: unknown ids, more than 10, an unknown fallback. */
    public void checkMedia(List<dev.dripline.media.MediaInput> inputs, String mediaFallback) {
        if (MediaAttachments.Fallback.fromWire(mediaFallback) == null) {
            throw InvalidInput.of("mediaFallback", "must be link or fail");
        }
        if (inputs != null && !inputs.isEmpty()) {
            media.get().resolve(inputs);
        }
    }

    static String scheduleName(String messageId) {
        return "send-" + messageId;
    }

    public Optional<Message> get(String id) {
        return store.get(id);
    }

    /**
     * Accepts a one-off message: validates it, refuses numbers that opted out (and marketing
     * to numbers that never opted in), stores it as {@code accepted} and queues it.
     */
    public Message submit(OneOffMessage request, String actor) {
        return submit(request, actor, null);
    }

    /**
     * As {@link #submit(OneOffMessage, String)}, once per {@code idempotencyKey}: the message's id
     * derives from the caller and the key, so a retried request (the same key and body) finds the
     * message the first one created, however the first one ended, and is answered with it; it
     * is put on the send queue again if it may not have got there (the sender's claim makes
     * that harmless). The same key with another body is refused.
     */
    public Message submit(OneOffMessage request, String actor, String idempotencyKey) {
        return submit(request, actor, idempotencyKey, null);
    }

    /**
     * As {@link #submit(OneOffMessage, String, String)}, for the API: refused (503) when no
     * provider is configured, and short links made under {@code publicUrl}, the URL the caller
     * reached the API at (null: the configured one).
     */
    public Message send(OneOffMessage request, String actor, String idempotencyKey, java.net.URI publicUrl) {
        requireProvider();
        return submit(request, actor, idempotencyKey, publicUrl);
    }

    private Message submit(OneOffMessage request, String actor, String idempotencyKey, java.net.URI publicUrl) {
        String idempotentId = null;
        String requestHash = null;
        if (idempotencyKey != null) {
            if (idempotencyKey.isBlank() || idempotencyKey.length() > 255) {
                throw InvalidInput.of("Idempotency-Key", "must be 1 to 255 characters");
            }
            idempotentId = IdempotentIds.messageId(actor, idempotencyKey);
            requestHash = IdempotentIds.hash(Json.write(request));
            Optional<Message> earlier = earlier(idempotentId, requestHash);
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        List<FieldError> errors = new ArrayList<>();
        PhoneNumber to = null;
        try {
            to = PhoneNumber.parse(request.to(), request.country(), "to");
        } catch (InvalidInput e) {
            errors.addAll(e.errors());
        }
        boolean hasMedia = request.media() != null && !request.media().isEmpty();
        MediaAttachments.Fallback fallback = MediaAttachments.Fallback.fromWire(request.mediaFallback());
        if (fallback == null) {
            errors.add(new FieldError("mediaFallback", "must be link or fail"));
        }
        if ((request.body() == null || request.body().isEmpty()) && !hasMedia) {
            errors.add(new FieldError("body", "is required (or media)"));
        } else if (request.body().length() > MAX_BODY) {
            errors.add(new FieldError("body", "has " + request.body().length() + " characters; at most " + MAX_BODY));
        }
        Category category = request.category() == null ? Category.TRANSACTIONAL : Category.fromWire(request.category());
        if (category == null) {
            errors.add(new FieldError("category", "must be marketing or transactional"));
        }
        String topic = null;
        try {
            topic = topics.resolve(request.topic(), category == null ? null : category.wire(), "topic");
        } catch (InvalidInput e) {
            errors.addAll(e.errors());
        }
        String capPolicy = request.frequencyCap() == null ? "defer" : request.frequencyCap().trim().toLowerCase(java.util.Locale.ROOT);
        if (!capPolicy.equals("defer") && !capPolicy.equals("skip")) {
            errors.add(new FieldError("frequencyCap", "must be defer or skip"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
        List<MessageMedia> attached = hasMedia ? media.get().resolve(request.media()) : List.of();
        boolean asMms = !attached.isEmpty() && media.get().carried(to.country(), request.from());
        if (asMms) {
            media.get().checkLimits(attached, to.country());
        }
        Contact contact = contacts.findOrCreate(to, actor);
        if (contact.consent() == ConsentStatus.OPTED_OUT) {
            throw new Conflict(dev.dripline.errors.ProblemType.RECIPIENT_OPTED_OUT, "the recipient opted out; nothing is sent to it until it opts in again");
        }
        if (contact.consentFor(topic) == ConsentStatus.OPTED_OUT) {
            throw new Conflict(dev.dripline.errors.ProblemType.TOPIC_WITHDRAWN, "the recipient withdrew its consent for topic '" + topic
                    + "'; nothing of that topic is sent to it until it gives it again");
        }
        if (category == Category.MARKETING && contact.consentFor(topic) != ConsentStatus.OPTED_IN) {
            throw new Conflict(dev.dripline.errors.ProblemType.CONSENT_REQUIRED, "marketing needs the recipient's opt-in; its consent is "
                    + contact.consentFor(topic).wire() + (contact.topics().containsKey(topic) ? " for topic '" + topic + "'" : ""));
        }
        Instant now = clock.instant();
        Instant sendAt = request.sendAt() != null && request.sendAt().isAfter(now) ? request.sendAt() : null;
        String id = idempotentId != null ? idempotentId : Ids.next("msg", clock);
        String body = dev.dripline.compliance.RequiredTexts.forRecipient(request.body() == null ? "" : request.body(), brand, category.wire(), contact.country(),
                to.e164(), contact.attributes(), now);
        if (category == Category.MARKETING) {
            Contact recipient = contact;
            body = MarketingText.render(body, brand, url -> links.shorten(url, id, recipient.id(), publicUrl));
            if (body.length() > MAX_BODY) {
                throw InvalidInput.of("body", "has " + body.length() + " characters with the brand, opt-out text and short links; at most "
                        + MAX_BODY);
            }
        }
        boolean notCarried = !attached.isEmpty() && !asMms;
        if (notCarried && fallback == MediaAttachments.Fallback.LINK) {
            Contact recipient = contact;
            body = withLinks(body, attached, url -> links.shorten(url, id, recipient.id(), publicUrl));
            if (body.length() > MAX_BODY) {
                throw InvalidInput.of("body", "has " + body.length() + " characters with the media's links; at most " + MAX_BODY);
            }
        }
        OutgoingText text = Segments.prepare(body,
                request.smartEncoding() == null ? smartEncodingByDefault : request.smartEncoding());
        Message message = Message.outbound(id).between(contact.id(), to.e164(), request.from())
                .body(text.text(), text.count().encoding().label(), asMms ? 1 : text.count().segments()).category(category)
                .firstStatus(MessageStatus.ACCEPTED, now).createdAt(now).sendAt(sendAt).topic(topic)
                .media(asMms || notCarried && fallback == MediaAttachments.Fallback.FAIL ? attached : List.of()).build();
        boolean failsNow = notCarried && fallback == MediaAttachments.Fallback.FAIL;
        if (category == Category.MARKETING && cap != null && !failsNow) {
            Optional<Message> counted = counted(message, contact, requestHash, "skip".equals(capPolicy));
            if (counted.isEmpty()) {
                // A retry of the same request got there first.
                return earlier(message.id(), requestHash).orElseThrow();
            }
            message = counted.get();
            sendAt = message.sendAt();
        } else {
            try {
                store.create(message, requestHash);
            } catch (ConditionalCheckFailedException raced) {
                // A retry of the same request got there first.
                return earlier(message.id(), requestHash).orElseThrow(() -> raced);
            }
        }
        if (notCarried && fallback == MediaAttachments.Fallback.FAIL) {
            // The caller asked for MMS or nothing: recorded, failed with the reason, never queued.
            store.recordStatus(message.id(), MessageStatus.FAILED, MediaAttachments.NOT_CARRIED, now,
                    "api:" + media.get().whyNotCarried(to.country(), request.from()));
            return store.get(message.id()).orElse(message);
        }
        try {
            if (sendAt == null) {
                sendQueue.send(SendRequest.firstOf(message));
            } else {
                scheduler.get().schedule(scheduleName(message.id()), sendAt, new Due.ScheduledSend(message.id()));
            }
        } catch (RuntimeException queueDown) {
            // Never leave an accepted message that nothing will send: fail it where the caller sees it.
            store.recordStatus(message.id(), MessageStatus.FAILED, "queue_unavailable", clock.instant(), "api:queue");
            throw queueDown;
        }
        return message;
    }
}
