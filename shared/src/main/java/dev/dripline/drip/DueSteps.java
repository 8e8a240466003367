package dev.dripline.drip;

import dev.dripline.messaging.Category;
import dev.dripline.schedule.Due;
import dev.dripline.schedule.Timers;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Work about runs already going: a step falling due, a reply, an opt-out, a resumed campaign's held steps. */
final class DueSteps {

    private static final Logger LOG = LoggerFactory.getLogger(DueSteps.class);
    private static final int RESUME_PAGE = 100;

    private final Campaigns campaigns;
    private final CampaignHeads heads;
    private final JourneyStore store;
    private final StepRunner runner;
    private final Timers timers;
    private final Clock clock;
    private final Answering answering;

    DueSteps(Campaigns campaigns, JourneyStore store, StepRunner runner, Timers timers, Clock clock, Answering answering) {
        this.answering = answering;
        this.campaigns = campaigns;
        this.heads = new CampaignHeads(campaigns);
        this.store = store;
        this.runner = runner;
        this.timers = timers;
        this.clock = clock;
    }

    /** A step fell due. */
    void onStep(Due.Step due) {
        Optional<Enrolment> found = store.enrolment(due.contactId(), due.campaignId(), due.key());
        if (found.isPresent() && behind(found.get(), due)) {
            // Work is scheduled before the move that made it is written: it may overtake that write.
            // Never a wait inside the function: the queue delivers it again after its visibility timeout.
            throw new IllegalStateException("step " + due.token() + " of " + due.enrolmentId() + " arrived before its enrolment moved there;"
                    + " the queue delivers it again");
        }
        if (found.isEmpty() || !current(found.get(), due)) {
            LOG.debug("stale step for {} in {} (token {})", due.contactId(), due.campaignId(), due.token());
            return;
        }
        Enrolment e = found.get();
        if (e.dueAt() != null && clock.instant().isBefore(e.dueAt())) {
            // Early (parked on the queue while the scheduler was full, or a clock that disagrees): never act before time.
            timers.at(RunIds.scheduleName(e), e.dueAt(), due);
            return;
        }
        Optional<Campaign> head = heads.head(e.campaignId());
        if (head.isEmpty() || head.get().status() == Campaign.Status.ARCHIVED) {
            runner.end(e, Enrolment.State.EXITED, "campaign_archived");
            return;
        }
        if (head.get().status() == Campaign.Status.PAUSED || head.get().status() == Campaign.Status.DRAFT) {
            store.hold(e);
            LOG.info("campaign {} paused: step {} of {} held", e.campaignId(), e.stepId(), e.contactId());
            return;
        }
        CampaignDefinition def = campaigns.version(e.campaignId(), e.version()).definition();
        if (e.waitingForReply()) {
            // The reply's deadline passed without one.
            CampaignDefinition.Step waitingStep = def.step(e.stepId());
            String next = waitingStep.onTimeout() != null ? waitingStep.onTimeout() : def.following(waitingStep.id());
            List<Enrolment.StepRecord> history = new ArrayList<>(e.history());
            history.add(new Enrolment.StepRecord(waitingStep.id(), clock.instant(), "timeout"));
            runner.moveOn(e, def, next, history, null);
            return;
        }
        runner.run(e, def, e.stepId(), new ArrayList<>(e.history()));
    }

    private static boolean behind(Enrolment e, Due.Step due) {
        return e.active() && e.enrolmentId().equals(due.enrolmentId()) && e.token() == due.token() - 1;
    }

    private static boolean current(Enrolment e, Due.Step due) {
        return e.active() && e.enrolmentId().equals(due.enrolmentId()) && e.token() == due.token();
    }

    /** An inbound message: the contact's runs waiting for a reply branch on it. */
    void onReply(Due.Reply reply) {
        String text = normalise(reply.body());
        for (Enrolment e : store.enrolments(reply.contactId())) {
            if (!e.active() || !e.waitingForReply()
                    || e.history().stream().anyMatch(r -> r.outcome() != null && r.outcome().contains(reply.messageId()))) {
                continue;
            }
            CampaignDefinition def = campaigns.version(e.campaignId(), e.version()).definition();
            CampaignDefinition.Step step = def.step(e.stepId());
            if (step.capture().isPresent()) {
                answering.onReply(e, def, step, step.capture().get(), reply);
                continue;
            }
            String target = null;
            for (CampaignDefinition.Branch b : step.branches()) {
                if (b instanceof CampaignDefinition.Branch.Reply r && r.match().matcher(text).find()) {
                    target = b.target();
                    break;
                }
            }
            if (target == null && step.otherwise() == null) {
                LOG.info("reply from {} matches no branch of {} in {}: still waiting", e.contactId(), step.id(), e.campaignId());
                continue;
            }
            String next = target != null ? target : step.otherwise();
            List<Enrolment.StepRecord> history = new ArrayList<>(e.history());
            history.add(new Enrolment.StepRecord(step.id(), clock.instant(), "reply " + reply.messageId() + " "
                    + (target != null ? "matched" : "no match") + " -> " + next));
            runner.moveOn(e, def, next, history, reply.messageId());
        }
    }

    /** A reply as matched: trimmed, without trailing punctuation ("Yes!" is "Yes"). */
    static String normalise(String body) {
        String t = body == null ? "" : body.strip();
        int end = t.length();
        while (end > 0 && ".!?,;。！？，".indexOf(t.charAt(end - 1)) >= 0) {
            end--;
        }
        return t.substring(0, end).strip();
    }

    /** The contact opted out: every marketing run ends now (their pending steps find themselves stale). */
    void onOptOut(Due.OptOut optOut) {
        for (Enrolment e : store.enrolments(optOut.contactId())) {
            if (e.active() && campaigns.version(e.campaignId(), e.version()).definition().category() == Category.MARKETING) {
                runner.end(e, Enrolment.State.EXITED, "opted_out");
            }
        }
    }

    /** A resumed campaign: its held steps go on now, a page per invocation. */
    void onResume(Due.Resume resume) {
        List<String> held = store.held(resume.campaignId(), RESUME_PAGE);
        for (String entry : held) {
            store.heldRun(resume.campaignId(), entry).filter(Enrolment::active).ifPresent(e -> timers.now(RunIds.step(e, e.token())));
            store.release(resume.campaignId(), entry);
        }
        if (held.size() == RESUME_PAGE) {
            timers.now(resume);
        }
    }
}
