package dev.dripline.drip;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.Dripline;
import dev.dripline.TestCore;
import dev.dripline.consent.ConsentStatus;
import dev.dripline.contacts.Contact;
import dev.dripline.contacts.ContactInput;
import dev.dripline.conversations.InboundSms;
import dev.dripline.json.Json;
import dev.dripline.messaging.Direction;
import dev.dripline.messaging.Message;
import dev.dripline.schedule.Due;
import dev.dripline.steps.StepsRouter;
import dev.dripline.engines.Engines;
import dev.dripline.engines.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tests using it run in 2037 (the same calendar as 2026): DynamoDB Local's TTL deletes items
 * whose expiresAt has passed in real time, so a test clock in the past would lose cap counters.
 *
 * The drip engine on the in-process engines with a clock the test moves: due work is delivered
 * in time order as the clock passes it (the scheduler's schedules, the steps queue's messages),
 * the way the steps function would receive it, and everything the engine does is read back from
 * the tables. Work is acted on by the steps function's router ({@link StepsRouter}). No sender
 * runs: a step's message (or a scheduled one-off, released) is asserted as stored and queued.
 */
final class DripHarness {

    final TestClock clock;
    final TestCore test;
    final Dripline core;
    final Engines engines;
    final String stepsQueueUrl;
    final List<Due> delivered = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final StepsRouter router;
    private final AtomicInteger inbound = new AtomicInteger();

    DripHarness(Engines engines, Instant start, Map<String, String> env) {
        this.engines = engines;
        this.clock = new TestClock(start);
        String steps = engines.sqs().createQueue(r -> r.queueName("steps-" + System.nanoTime())).queueUrl();
        this.stepsQueueUrl = steps;
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("DRIPLINE_STEPS_QUEUE_URL", steps);
        all.put("DRIPLINE_QUEUE_DELAY_UP_TO", "PT0S");
        this.test = new TestCore(engines, clock, all);
        this.core = test.dripline;
        this.router = new StepsRouter(core.messages(), core.outboundWebhooks(), core::journeys, core::broadcasts, core::receivedMedia);
    }

    DripHarness(Engines engines, Instant start) {
        this(engines, start, Map.of());
    }

    Contact contact(String phone, String firstName, ConsentStatus consent, Map<String, Object> attributes) {
        ContactInput.ConsentInput c = consent == ConsentStatus.OPTED_IN
                ? new ContactInput.ConsentInput("opted_in", "test", null, "Yes, text me", null, null) : null;
        return core.contacts().upsert(new ContactInput(phone, null, firstName, null, null, null, attributes, null, c), "test").contact();
    }

    Contact contact(String phone, String firstName) {
        return contact(phone, firstName, ConsentStatus.OPTED_IN, Map.of());
    }

    String campaign(String json) {
        Campaign c = core.campaigns().create(Json.read(json, JsonNode.class));
        core.journeyInbox().activated(core.campaigns().transition(c.id(), Campaign.Status.ACTIVE));
        pump();
        return c.id();
    }

    void event(String contactId, String name, Map<String, Object> properties) {
        core.journeyInbox().event(new JourneyInbox.EventInput(null, contactId, null, null, name, properties, null));
        pump();
    }

    /** The contact texts back, through the same path as a provider's inbound webhook. */
    void reply(Contact contact, String body) {
        core.conversations().receive(new InboundSms("simulator", "in" + inbound.incrementAndGet(), contact.phone(), "+18335550100", body,
                clock.instant()));
        pump();
    }

    /** Moves the clock to {@code target}, delivering every schedule that falls due on the way, in order. */
    void advanceTo(Instant target) {
        while (true) {
            TestCore.Scheduled next = test.scheduled.stream().filter(s -> !s.at().isAfter(target))
                    .min(Comparator.comparing(TestCore.Scheduled::at)).orElse(null);
            if (next == null) {
                break;
            }
            test.scheduled.remove(next);
            if (next.at().isAfter(clock.instant())) {
                clock.set(next.at());
            }
            deliver(next.due());
            pump();
        }
        if (target.isAfter(clock.instant())) {
            clock.set(target);
        }
        pump();
    }

    void advance(Duration d) {
        advanceTo(clock.instant().plus(d));
    }

    /** Delivers what is on the steps queue now, until it is empty. */
    void pump() {
        for (int round = 0; round < 1000; round++) {
            List<software.amazon.awssdk.services.sqs.model.Message> batch = engines.sqs().receiveMessage(r -> r.queueUrl(stepsQueueUrl)
                    .maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
            if (batch.isEmpty()) {
                return;
            }
            for (var m : batch) {
                deliver(Json.read(m.body(), Due.class));
                engines.sqs().deleteMessage(r -> r.queueUrl(stepsQueueUrl).receiptHandle(m.receiptHandle()));
            }
        }
        throw new IllegalStateException("the steps queue never emptied");
    }

    /** Through the steps function's own router: every kind of work, as production acts on it. */
    void deliver(Due due) {
        delivered.add(due);
        router.route(due);
    }

    /** The messages the contact was sent, oldest first. */
    List<Message> sent(String contactId) {
        return core.messageStore().allOf(contactId).stream().filter(m -> m.direction() == Direction.OUTBOUND)
                .filter(m -> m.origin() != null).sorted(Comparator.comparing(Message::createdAt)).toList();
    }

    Enrolment enrolment(String contactId, String campaignId) {
        return core.journeys().enrolmentOf(contactId, campaignId);
    }
}
