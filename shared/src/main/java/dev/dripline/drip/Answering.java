package dev.dripline.drip;

import dev.dripline.analytics.AnswerStats;
import dev.dripline.analytics.Tally;
import dev.dripline.consent.ConsentStatus;
import dev.dripline.contacts.Contact;
import dev.dripline.contacts.ContactPatch;
import dev.dripline.contacts.Contacts;
import dev.dripline.errors.InvalidInput;
import dev.dripline.messaging.Category;
import dev.dripline.messaging.Message;
import dev.dripline.messaging.Messages;
import dev.dripline.messaging.Origin;
import dev.dripline.outbound.OutboundWebhooks;
import dev.dripline.schedule.Due;
import dev.dripline.schedule.Timers;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reply to a step that saves the answer ({@code waitForReply.save}): a valid answer is saved
 * as the contact's attribute, recorded in the run's history, published as {@code campaign.answered}
 * and counted for the stats, and the run branches on it; an invalid one is answered with
 * {@code invalid.reply} up to {@code retries} times, after which the run gives up ({@code onInvalid},
 * else as on a timeout). A keyword (START, Y, a configured one) is no answer and changes nothing,
 * except yes to a yes/no question (opt-out and help keywords never reach the engine).
 *
 * <p>Each record in the history names the inbound message, so that a reply delivered twice is
 * taken once ({@link DueSteps#onReply} skips a message the history names).
 */
final class Answering {

    private static final Logger LOG = LoggerFactory.getLogger(Answering.class);
    static final String INVALID = "invalid reply ";

    private final JourneyStore store;
    private final Contacts contacts;
    private final Supplier<Messages> messages;
    private final Timers timers;
    private final Supplier<OutboundWebhooks> webhooks;
    private final Supplier<Tally> tally;
    private final Clock clock;
    private final StepRunner runner;

    Answering(JourneyStore store, Contacts contacts, Supplier<Messages> messages, Timers timers, Supplier<OutboundWebhooks> webhooks,
              Supplier<Tally> tally, Clock clock, StepRunner runner) {
        this.store = store;
        this.contacts = contacts;
        this.messages = messages;
        this.timers = timers;
        this.webhooks = webhooks;
        this.tally = tally;
        this.clock = clock;
        this.runner = runner;
    }

    void onReply(Enrolment e, CampaignDefinition def, CampaignDefinition.Step step, ReplyCapture capture, Due.Reply reply) {
        Optional<Object> answer = capture.read(reply.body());
        if (reply.keyword() && (capture.type() != AnswerType.YESNO || answer.isEmpty())) {
            LOG.info("a keyword from {} is no answer to {} in {}: still waiting", e.contactId(), step.id(), e.campaignId());
            return;
        }
        Optional<Contact> found = contacts.get(e.contactId());
        if (found.isEmpty()) {
            runner.end(e, Enrolment.State.EXITED, "contact_erased");
            return;
        }
        Contact contact = found.get();
        Instant now = clock.instant();
        List<Enrolment.StepRecord> history = new ArrayList<>(e.history());
        String text = DueSteps.normalise(reply.body());
        if (answer.isPresent()) {
            try {
                contact = contacts.patch(contact.id(), ContactPatch.parse(Map.of("attributes", Map.of(capture.attribute(), answer.get()))),
                        "campaign");
            } catch (InvalidInput notAnAttribute) {
                answer = Optional.empty();
            }
        }
        if (answer.isEmpty()) {
            invalid(e, def, step, capture, reply, text, history, contact, now);
            return;
        }
        String next = null;
        for (CampaignDefinition.Branch b : step.branches()) {
            boolean holds = b instanceof CampaignDefinition.Branch.Reply r ? r.match().matcher(text).find() : runner.holds(b, contact, e);
            if (holds) {
                next = b.target();
                break;
            }
        }
        if (next == null) {
            next = step.otherwise() != null ? step.otherwise() : step.next() != null ? step.next() : def.following(step.id());
        }
        Object value = answer.get();
        // A text answer is the contact's words: the history and the stats keep only that it came.
        String shown = capture.type() == AnswerType.TEXT ? "(text)" : AnswerStats.valueKey(value);
        history.add(new Enrolment.StepRecord(step.id(), now, "answer " + capture.attribute() + "=" + shown + " (reply " + reply.messageId()
                + ") -> " + (next == null ? "end" : next)));
        // Counted before the move: a redelivered reply is skipped by the record above, which names it.
        Origin origin = RunIds.origin(e, null, null);
        tally.get().add(origin, AnswerStats.answered(capture.attribute()), 1);
        if (capture.type() != AnswerType.TEXT) {
            tally.get().add(origin, AnswerStats.answer(capture.attribute(), value), 1);
        }
        if (capture.npsScale()) {
            tally.get().add(origin, AnswerStats.npsScale(capture.attribute()), 1);
        }
        webhooks.get().publish("campaign.answered", "evt_" + e.enrolmentId() + "_" + step.id() + "_" + reply.messageId(), reply.at(),
                answered(e, step, capture, contact, value, reply.messageId()));
        LOG.info("{} in {} answered {} ({}): -> {}", e.contactId(), e.campaignId(), step.id(), capture.attribute(), next);
        runner.moveOn(e, def, next, history, reply.messageId());
    }

    /** An invalid answer: a match branch may still take it; else asked again, or, once too often, given up on. */
    private void invalid(Enrolment e, CampaignDefinition def, CampaignDefinition.Step step, ReplyCapture capture, Due.Reply reply,
                         String text, List<Enrolment.StepRecord> history, Contact contact, Instant now) {
        for (CampaignDefinition.Branch b : step.branches()) {
            if (b instanceof CampaignDefinition.Branch.Reply r && r.match().matcher(text).find()) {
                history.add(new Enrolment.StepRecord(step.id(), now, "reply " + reply.messageId() + " matched -> " + b.target()));
                runner.moveOn(e, def, b.target(), history, reply.messageId());
                return;
            }
        }
        tally.get().add(RunIds.origin(e, null, null), AnswerStats.invalid(capture.attribute()), 1);
        if (capture.invalidReply() == null && capture.onInvalid() == null) {
            history.add(new Enrolment.StepRecord(step.id(), now, INVALID + reply.messageId() + ": still waiting"));
            write(e, history);
            return;
        }
        long asked = reasked(e.history(), step.id());
        if (capture.invalidReply() != null && asked < capture.retries()) {
            history.add(new Enrolment.StepRecord(step.id(), now, INVALID + reply.messageId() + ": asked again (" + (asked + 1) + " of "
                    + capture.retries() + ")"));
            reask(e, def, step, capture, contact);
            write(e, history);
            return;
        }
        String next = capture.onInvalid() != null ? capture.onInvalid() : step.onTimeout() != null ? step.onTimeout() : def.following(step.id());
        history.add(new Enrolment.StepRecord(step.id(), now, INVALID + reply.messageId() + ": gave up -> " + (next == null ? "end" : next)));
        tally.get().add(RunIds.origin(e, null, null), AnswerStats.gaveUp(capture.attribute()), 1);
        LOG.info("{} in {}: no valid answer to {} after {} retries -> {}", e.contactId(), e.campaignId(), step.id(), capture.retries(), next);
        runner.moveOn(e, def, next, history, reply.messageId());
    }

    /** How often the run has asked again since the step began waiting: its trailing "asked again" records of this step. */
    static long reasked(List<Enrolment.StepRecord> history, String stepId) {
        long n = 0;
        for (int i = history.size() - 1; i >= 0; i--) {
            Enrolment.StepRecord r = history.get(i);
            if (!stepId.equals(r.stepId()) || r.outcome() == null || !r.outcome().startsWith(INVALID)) {
                break;
            }
            if (r.outcome().contains(": asked again")) {
                n++;
            }
        }
        return n;
    }

    /** The text that asks again: a message of the step, under an id derived from the run's token, so a duplicate makes it once. */
    private void reask(Enrolment e, CampaignDefinition def, CampaignDefinition.Step step, ReplyCapture capture, Contact contact) {
        if (def.category() == Category.MARKETING && contact.consent() != ConsentStatus.OPTED_IN) {
            return;
        }
        String id = RunIds.messageId(e, step.id() + "#again");
        Message m = messages.get().draft(contact, id, capture.invalidReply(), def.category(), RunIds.origin(e, step.id(), null), false);
        messages.get().sendReply(m);
    }

    /**
     * The run still waits for the same step, its history grown: a new token (the reply's record is
     * part of the run), the deadline kept and its schedule renamed for the token.
     */
    private void write(Enrolment e, List<Enrolment.StepRecord> history) {
        Enrolment waiting = e.toBuilder().token(e.token() + 1).history(history).build();
        if (e.dueAt() != null) {
            timers.at(RunIds.scheduleName(waiting), e.dueAt(), new Due.Step(e.contactId(), e.campaignId(), e.enrolmentId(), e.token() + 1));
        }
        if (store.write(waiting, e.token())) {
            timers.cancel(RunIds.scheduleName(e));
        } else {
            LOG.info("{} in {} moved meanwhile: the invalid answer's record not applied", e.contactId(), e.campaignId());
        }
    }

    private static Map<String, Object> answered(Enrolment e, CampaignDefinition.Step step, ReplyCapture capture, Contact contact, Object value,
                                                String messageId) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("campaignId", e.campaignId());
        data.put("version", e.version());
        data.put("enrolmentId", e.enrolmentId());
        data.put("stepId", step.id());
        data.put("contactId", contact.id());
        data.put("attribute", capture.attribute());
        data.put("type", capture.type().wire());
        data.put("value", value);
        data.put("messageId", messageId);
        return data;
    }
}
