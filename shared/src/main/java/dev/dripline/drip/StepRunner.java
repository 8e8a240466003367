package dev.dripline.drip;

import dev.dripline.analytics.Tally;
import dev.dripline.consent.ConsentStatus;
import dev.dripline.contacts.Contact;
import dev.dripline.contacts.ContactPatch;
import dev.dripline.contacts.Contacts;
import dev.dripline.logging.Masked;
import dev.dripline.messaging.Category;
import dev.dripline.messaging.Message;
import dev.dripline.messaging.Messages;
import dev.dripline.outbound.OutboundWebhooks;
import dev.dripline.schedule.Due;
import dev.dripline.schedule.Timers;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a run's steps from where it stands for as long as they are due now: the send gates
 * (consent, age, quiet hours and send window, the frequency cap), the step's actions, and the
 * move to where it goes next. Every move is a conditional write on the token the run was at,
 * with the next step's work scheduled before it (see {@link Journeys}).
 */
final class StepRunner {

    private static final Logger LOG = LoggerFactory.getLogger(StepRunner.class);

    private final JourneyStore store;
    private final Contacts contacts;
    private final Supplier<Messages> messages;
    private final FrequencyCap cap;
    private final Timers timers;
    private final Supplier<OutboundWebhooks> webhooks;
    private final Supplier<Tally> tally;
    private final java.time.Clock clock;
    private final String brand;

    StepRunner(JourneyStore store, Contacts contacts, Supplier<Messages> messages, FrequencyCap cap, Timers timers,
               Supplier<OutboundWebhooks> webhooks, Supplier<Tally> tally, java.time.Clock clock, String brand) {
        this.store = store;
        this.contacts = contacts;
        this.messages = messages;
        this.cap = cap;
        this.timers = timers;
        this.webhooks = webhooks;
        this.tally = tally;
        this.clock = clock;
        this.brand = brand;
    }

    /**
     * Runs steps from {@code stepId} for as long as they are due now, then records where the
     * run stands (conditional on the token it was at) and schedules what is next.
     */
    void run(Enrolment e, CampaignDefinition def, String stepId, List<Enrolment.StepRecord> history) {
        Optional<Contact> found = contacts.get(e.contactId());
        if (found.isEmpty()) {
            end(e, Enrolment.State.EXITED, "contact_erased");
            return;
        }
        Contact contact = found.get();
        Instant now = clock.instant();
        Enrolment run = e;
        String at = stepId;
        for (int i = 0; i < Journeys.MAX_INLINE_STEPS; i++) {
            if (at == null) {
                finish(e, run, history, Enrolment.State.COMPLETED, "completed");
                return;
            }
            CampaignDefinition.Step step = def.step(at);
            ConsentStatus consent = contact.consentFor(def.topicOrDefault());
            if (consent == ConsentStatus.OPTED_OUT && contact.consent() != ConsentStatus.OPTED_OUT) {
                // Withdrawn from this campaign's topic only (a STOP scoped to it, or the API): this campaign stops.
                tally.get().add(RunIds.origin(e, step.id(), null), "skipped.optedOut", 1);
                finish(e, run, history, Enrolment.State.EXITED, "topic_withdrawn:" + def.topicOrDefault());
                return;
            }
            if (def.category() == Category.MARKETING && consent != ConsentStatus.OPTED_IN) {
                tally.get().add(RunIds.origin(e, step.id(), null), "skipped.optedOut", 1);
                finish(e, run, history, Enrolment.State.EXITED, "opted_out");
                return;
            }
            if (def.ageGated() && !Enrolling.ageVerified(contact)) {
                tally.get().add(RunIds.origin(e, step.id(), null), "skipped.ageUnverified", 1);
                finish(e, run, history, Enrolment.State.EXITED, "age_unverified");
                return;
            }
            if (step.holdout().isPresent()) {
                boolean held = step.holdout().get().holdsOut(e.campaignId(), contact.id());
                tally.get().add(RunIds.origin(e, step.id(), null), held ? Holdout.HELD : Holdout.TREATED, 1);
                history.add(new Enrolment.StepRecord(step.id(), now, Holdout.outcome(held)));
                if (held) {
                    finish(e, run, history, Enrolment.State.EXITED, "holdout");
                    return;
                }
            }
            boolean acted = false;
            for (CampaignDefinition.Action action : step.actions()) {
                if (action instanceof CampaignDefinition.Action.Send send) {
                    Optional<Enrolment> sent = send(e, run, def, step, send, contact, history, now);
                    if (sent.isEmpty()) {
                        return;
                    }
                    run = sent.get();
                    acted = true;
                } else if (action instanceof CampaignDefinition.Action.Tag tag) {
                    contact = tag(contact, tag);
                } else if (action instanceof CampaignDefinition.Action.Webhook webhook) {
                    webhooks.get().publish(webhook.event(), "evt_" + e.enrolmentId() + "_" + step.id() + "_" + e.token(), now,
                            stepEvent(e, step, contact));
                }
            }
            if (!acted) {
                history.add(new Enrolment.StepRecord(step.id(), now, "done"));
            }
            tally.get().add(RunIds.origin(e, step.id(), null), "stepsDone", 1);
            if (step.exit()) {
                finish(e, run, history, Enrolment.State.COMPLETED, "exit:" + step.id());
                return;
            }
            if (step.waitsForReply()) {
                Instant deadline = now.plus(step.replyTimeout().get());
                Enrolment waiting = moved(run, step.id(), e.token() + 1, Enrolment.Waiting.REPLY, deadline, history);
                timers.at(RunIds.scheduleName(waiting), deadline, next(e));
                commit(e, waiting);
                return;
            }
            Landing landing = land(def, next(step, def, contact, e), now, contact, run, history);
            String next = landing.stepId();
            if (next == null) {
                finish(e, run, history, Enrolment.State.COMPLETED, "completed");
                return;
            }
            Instant due = landing.due();
            if (due.isAfter(now)) {
                Enrolment moved = moved(run, next, e.token() + 1, null, due, history);
                timers.at(RunIds.scheduleName(moved), due, next(e));
                commit(e, moved);
                return;
            }
            at = next;
        }
        // A long chain of immediate steps (or a loop): the rest goes on in the next invocation.
        Enrolment moved = moved(run, at, e.token() + 1, null, now, history);
        timers.now(next(e));
        commit(e, moved);
    }

    /**
     * A step's message, through the gates: the run as it stands after it (sent, or skipped by the
     * cap), or empty when the step was deferred (recorded, nothing more to do in this run).
     */
    private Optional<Enrolment> send(Enrolment e, Enrolment run, CampaignDefinition def, CampaignDefinition.Step step,
                                     CampaignDefinition.Action.Send send, Contact contact, List<Enrolment.StepRecord> history, Instant now) {
        SendGates.Gate gate = SendGates.gate(contact, def, now);
        if (gate.until().isAfter(now)) {
            defer(e, run, step.id(), history, gate.until(), gate.reason());
            return Optional.empty();
        }
        CampaignDefinition.Variant variant = RunIds.variant(step, contact.id(), e.campaignId());
        String messageId = RunIds.messageId(run, step.id());
        String body = variant.body().render(contact, run.event(), brand);
        boolean optOutText = def.category() == Category.MARKETING && !run.optOutShown();
        Message m = messages.get().draft(contact, messageId, body, def.category(), RunIds.origin(run, step.id(), variant.id()), optOutText,
                def.topicOrDefault(), variant.media(), variant.mediaFallback());
        // A message that exists already (a duplicate delivery) is queued again: the sender's claim makes that harmless.
        FrequencyCap.Result made = cap.create(m, contact, now);
        if (made.refused()) {
            // A registration gate (enforcement on) refuses the sender: skipped, never deferred (waiting changes nothing).
            tally.get().add(RunIds.origin(e, step.id(), variant.id()), "skipped.unregistered", 1);
            history.add(new Enrolment.StepRecord(step.id(), now, "skipped: " + made.refusal().reason()));
            LOG.info("step {} of {} in {}: skipped, {}", step.id(), contact.id(), run.campaignId(), made.refusal().reason());
            return Optional.of(run);
        }
        if (made.capped()) {
            if (def.capPolicy() == CampaignDefinition.CapPolicy.DEFER) {
                if (made.heldBy() != null) {
                    history.add(new Enrolment.StepRecord(step.id(), now, "deferred until " + made.until() + ": " + made.heldByText()));
                }
                defer(e, run, step.id(), history, made.until(), "deferred.capped", made.heldBy() == null ? null
                        : new Enrolment.HeldBy(made.heldBy().id(), made.heldBy().jurisdiction(), made.heldBy().source(), made.until()));
                return Optional.empty();
            }
            tally.get().add(RunIds.origin(e, step.id(), variant.id()), "skipped.capped", 1);
            history.add(new Enrolment.StepRecord(step.id(), now, "skipped: " + made.heldByText()));
            return Optional.of(run);
        }
        messages.get().queue(messageId);
        LOG.info("step {} of {} in {}: message {} to {}", step.id(), contact.id(), run.campaignId(), messageId, Masked.phone(contact.phone()));
        history.add(new Enrolment.StepRecord(step.id(), now, "sent " + messageId + (variant.id() == null ? "" : " variant " + variant.id())));
        return Optional.of(run.toBuilder().heldBy(null).history(history).optOutShown(run.optOutShown() || def.category() == Category.MARKETING)
                .lastSent(new Enrolment.LastSent(messageId, step.id(), variant.id(), now)).build());
    }

    /** From a reply or a timeout to {@code next}: recorded first (with a new token), then run from there. */
    void moveOn(Enrolment e, CampaignDefinition def, String next, List<Enrolment.StepRecord> history, String cause) {
        if (next == null) {
            finish(e, e, history, Enrolment.State.COMPLETED, "completed");
            return;
        }
        Optional<Contact> contact = contacts.get(e.contactId());
        Instant now = clock.instant();
        Landing landing = contact.map(c -> land(def, next, now, c, e, history)).orElse(new Landing(next, now, List.of()));
        if (landing.stepId() == null) {
            finish(e, e, history, Enrolment.State.COMPLETED, "completed");
            return;
        }
        Instant due = landing.due();
        if (!due.isAfter(now)) {
            // Due at once: run it here, from the enrolment as it stands (its moves are conditional on
            // this token), rather than through the queue, where it could overtake its own write.
            if (e.waitingForReply()) {
                timers.cancel(RunIds.scheduleName(e));
            }
            run(e, def, landing.stepId(), history);
            return;
        }
        Enrolment moved = moved(e, landing.stepId(), e.token() + 1, null, due, history);
        // Scheduled before the move is written, never a run with nothing scheduled: work that
        // arrives before the move is delivered again (onStep); after a crash in between, the cause
        // (the reply, the timeout's step) is delivered again and makes the move.
        timers.at(RunIds.scheduleName(moved), due, next(e));
        if (store.write(moved, e.token())) {
            if (e.waitingForReply()) {
                timers.cancel(RunIds.scheduleName(e));
            }
        } else {
            LOG.info("{} in {} moved meanwhile; {} not applied", e.contactId(), e.campaignId(), cause == null ? "timeout" : "reply " + cause);
        }
    }

    /** The same step again at {@code until} (same token: the run has not moved), counted by reason. */
    private void defer(Enrolment e, Enrolment run, String stepId, List<Enrolment.StepRecord> history, Instant until, String reason) {
        defer(e, run, stepId, history, until, reason, null);
    }

    /** As above; {@code heldBy}: the cap rule that deferred it, kept on the enrolment while it waits. */
    private void defer(Enrolment e, Enrolment run, String stepId, List<Enrolment.StepRecord> history, Instant until, String reason,
                       Enrolment.HeldBy heldBy) {
        Enrolment waiting = moved(run, stepId, e.token() + 1, null, until, history).toBuilder().heldBy(heldBy).build();
        timers.at(RunIds.scheduleName(waiting), until, next(e));
        if (commit(e, waiting)) {
            tally.get().add(RunIds.origin(e, stepId, null), reason, 1);
            LOG.info("step {} of {} in {}: {} until {}", stepId, e.contactId(), e.campaignId(), reason, until);
        }
    }

    /**
     * Where a run reaching {@code stepId} now stands and when that step falls due: steps whose
     * relative time has passed are skipped on the way (see {@link Landing}), each counted.
     */
    Landing land(CampaignDefinition def, String stepId, Instant now, Contact contact, Enrolment run, List<Enrolment.StepRecord> history) {
        if (stepId == null) {
            return new Landing(null, now, List.of());
        }
        Landing landing = Landing.land(def, stepId, now, contact, run.event(), history, s -> next(s, def, contact, run));
        landing.skipped().forEach(id -> tally.get().add(RunIds.origin(run, id, null), "skipped.pastDue", 1));
        return landing;
    }

    /** Where a step goes next: its first branch that holds, else its else/goto, else the step after it. */
    private String next(CampaignDefinition.Step step, CampaignDefinition def, Contact contact, Enrolment e) {
        if (step.split().isPresent()) {
            return step.split().get().choose(e.campaignId(), step.id(), contact.id());
        }
        for (CampaignDefinition.Branch b : step.branches()) {
            if (holds(b, contact, e)) {
                return b.target();
            }
        }
        if (!step.branches().isEmpty() && step.otherwise() != null) {
            return step.otherwise();
        }
        return step.next() != null ? step.next() : def.following(step.id());
    }

    boolean holds(CampaignDefinition.Branch b, Contact contact, Enrolment e) {
        if (b instanceof CampaignDefinition.Branch.Between between) {
            return between.holds(contact.attributes() == null ? null : contact.attributes().get(between.attribute()));
        }
        if (b instanceof CampaignDefinition.Branch.In in) {
            return in.holds(contact.attributes() == null ? null : contact.attributes().get(in.attribute()));
        }
        if (b instanceof CampaignDefinition.Branch.Tag t) {
            return contact.tags() != null && contact.tags().contains(t.tag());
        }
        if (b instanceof CampaignDefinition.Branch.Attribute a) {
            Object value = contact.attributes() == null ? null : contact.attributes().get(a.attribute());
            if (a.equals() == null) {
                return value != null;
            }
            return value != null && (value.equals(a.equals()) || String.valueOf(value).equalsIgnoreCase(String.valueOf(a.equals()))
                    || (value instanceof Number n && a.equals() instanceof Number m && n.doubleValue() == m.doubleValue()));
        }
        if (b instanceof CampaignDefinition.Branch.Event ev) {
            Instant to = clock.instant();
            Instant from = ev.within() != null ? to.minus(ev.within()) : e.enteredAt();
            return store.hadEvent(contact.id(), ev.event(), from, to);
        }
        // A reply branch holds only on a reply (onReply), never on a step's way out.
        return false;
    }

    /** The contact as the step leaves it (tags changed only where they differ: an idempotent write). */
    private Contact tag(Contact contact, CampaignDefinition.Action.Tag tag) {
        List<String> have = contact.tags() == null ? List.of() : contact.tags();
        List<String> add = tag.add().stream().filter(t -> !have.contains(t)).toList();
        List<String> remove = tag.remove().stream().filter(have::contains).toList();
        if (add.isEmpty() && remove.isEmpty()) {
            return contact;
        }
        Map<String, Object> tags = new LinkedHashMap<>();
        tags.put("add", add);
        tags.put("remove", remove);
        return contacts.patch(contact.id(), ContactPatch.parse(Map.of("tags", tags)), "campaign");
    }

    private static Map<String, Object> stepEvent(Enrolment e, CampaignDefinition.Step step, Contact contact) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("campaignId", e.campaignId());
        data.put("version", e.version());
        data.put("enrolmentId", e.enrolmentId());
        data.put("stepId", step.id());
        data.put("contactId", contact.id());
        data.put("phone", contact.phone());
        data.put("event", e.event());
        return data;
    }

    /** Ends a run where it stands (a goal, an opt-out, an archived campaign), cancelling what it waited for. */
    void end(Enrolment e, Enrolment.State state, String reason) {
        finish(e, e, new java.util.ArrayList<>(e.history()), state, reason);
    }

    private void finish(Enrolment e, Enrolment run, List<Enrolment.StepRecord> history, Enrolment.State state, String reason) {
        Instant now = clock.instant();
        history.add(new Enrolment.StepRecord(run.stepId(), now, reason));
        Enrolment ended = run.toBuilder().heldBy(null).state(state).token(e.token() + 1).waiting(null).dueAt(null).endedAt(now).endReason(reason)
                .history(history).build();
        if (store.write(ended, e.token())) {
            tally.get().add(RunIds.origin(e, null, null), state == Enrolment.State.COMPLETED ? "completed" : "exited", 1);
            if (e.dueAt() != null && e.dueAt().isAfter(now)) {
                timers.cancel(RunIds.scheduleName(e));
            }
            LOG.info("{} in {}: {} ({})", e.contactId(), e.campaignId(), state.wire(), reason);
        }
    }

    private boolean commit(Enrolment expected, Enrolment next) {
        if (store.write(next, expected.token())) {
            return true;
        }
        LOG.info("{} in {} moved meanwhile (token {}): this delivery was a duplicate", expected.contactId(), expected.campaignId(),
                expected.token());
        return false;
    }

    /** The work of the run's next token. */
    private static Due.Step next(Enrolment e) {
        return RunIds.step(e, e.token() + 1);
    }

    private static Enrolment moved(Enrolment e, String stepId, long token, Enrolment.Waiting waiting, Instant dueAt,
                                   List<Enrolment.StepRecord> history) {
        return e.toBuilder().state(Enrolment.State.ACTIVE).stepId(stepId).token(token).waiting(waiting).dueAt(dueAt).history(history)
                .heldBy(null).build();
    }
}
