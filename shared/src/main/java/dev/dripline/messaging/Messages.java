package dev.dripline.messaging;

import dev.dripline.Ids;
import dev.dripline.consent.ConsentStatus;
import dev.dripline.contacts.Contact;
import dev.dripline.contacts.Contacts;
import dev.dripline.contacts.PhoneNumber;
import dev.dripline.errors.Conflict;
import dev.dripline.errors.FieldError;
import dev.dripline.errors.InvalidInput;
import dev.dripline.messaging.encoding.OutgoingText;
import dev.dripline.messaging.encoding.Segments;
import dev.dripline.queue.SqsQueue;
import dev.dripline.schedule.Due;
import dev.dripline.schedule.StepScheduler;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** Outbound one-off messages: accepted here, stored, and put on the send queue for the sender. */
public final class Messages {

    /** The longest body any provider takes (Twilio, AWS: 1,600 characters). */
    public static final int MAX_BODY = 1600;

    private final MessageStore store;
    private final Contacts contacts;
    private final SqsQueue sendQueue;
    private final Supplier<StepScheduler> scheduler;
    private final Clock clock;
    private final boolean smartEncodingByDefault;

    public Messages(MessageStore store, Contacts contacts, SqsQueue sendQueue, Supplier<StepScheduler> scheduler, Clock clock,
                    boolean smartEncodingByDefault) {
        this.smartEncodingByDefault = smartEncodingByDefault;
        this.store = store;
        this.contacts = contacts;
        this.sendQueue = sendQueue;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    /** A scheduled message fell due: hand it to the sender unless it was settled meanwhile. */
    public void releaseScheduled(String messageId) {
        store.get(messageId)
                .filter(m -> m.status() == MessageStatus.ACCEPTED)
                .ifPresent(m -> sendQueue.send(new SendRequest(m.id())));
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
        List<FieldError> errors = new ArrayList<>();
        PhoneNumber to = null;
        try {
            to = PhoneNumber.parse(request.to(), request.country(), "to");
        } catch (InvalidInput e) {
            errors.addAll(e.errors());
        }
        if (request.body() == null || request.body().isEmpty()) {
            errors.add(new FieldError("body", "is required"));
        } else if (request.body().length() > MAX_BODY) {
            errors.add(new FieldError("body", "has " + request.body().length() + " characters; at most " + MAX_BODY));
        }
        Category category = request.category() == null ? Category.TRANSACTIONAL : Category.fromWire(request.category());
        if (category == null) {
            errors.add(new FieldError("category", "must be marketing or transactional"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
        Contact contact = contacts.findOrCreate(to, actor);
        if (contact.consent() == ConsentStatus.OPTED_OUT) {
            throw new Conflict("the recipient opted out; nothing is sent to it until it opts in again");
        }
        if (category == Category.MARKETING && contact.consent() != ConsentStatus.OPTED_IN) {
            throw new Conflict("marketing needs the recipient's opt-in; its consent is " + contact.consent().wire());
        }
        Instant now = clock.instant();
        Instant sendAt = request.sendAt() != null && request.sendAt().isAfter(now) ? request.sendAt() : null;
        OutgoingText text = Segments.prepare(request.body(),
                request.smartEncoding() == null ? smartEncodingByDefault : request.smartEncoding());
        Message message = new Message(Ids.next("msg", clock), Direction.OUTBOUND, contact.id(), to.e164(), request.from(),
                text.text(), category, MessageStatus.ACCEPTED, List.of(new Message.StatusChange(MessageStatus.ACCEPTED, now, null)),
                null, null, text.count().encoding().label(), text.count().segments(), null, null, now, sendAt);
        store.create(message);
        try {
            if (sendAt == null) {
                sendQueue.send(new SendRequest(message.id()));
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
