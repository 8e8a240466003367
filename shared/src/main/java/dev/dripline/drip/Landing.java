package dev.dripline.drip;

import dev.dripline.contacts.Contact;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where a run stands when it reaches a step, and when that step falls due. A step whose
 * {@link RelativeWait} time has already passed (or whose date is missing) is skipped there and
 * then, recorded in the run's history, and the run goes on the step's way out; with
 * {@code "ifPast": "now"} it falls due at once instead.
 *
 * @param stepId  the step the run stands at; null when skipping ran off the end of the campaign
 * @param due     when it falls due (its wait, measured from now)
 * @param skipped the steps skipped on the way, in order
 */
record Landing(String stepId, Instant due, List<String> skipped) {

    /**
     * @param wayOn where a step goes next when it is left without acting (its branches, else,
     *              goto or the step after it)
     */
    static Landing land(CampaignDefinition def, String stepId, Instant now, Contact contact, Map<String, Object> event,
                        List<Enrolment.StepRecord> history, Function<CampaignDefinition.Step, String> wayOn) {
        List<String> skipped = new ArrayList<>();
        String at = stepId;
        for (int i = 0; i < Journeys.MAX_INLINE_STEPS && at != null; i++) {
            CampaignDefinition.Step step = def.step(at);
            if (!(step.pause().orElse(null) instanceof CampaignDefinition.Wait.Relative relative)) {
                return new Landing(at, SendGates.dueAt(step, now, contact), skipped);
            }
            RelativeWait wait = relative.rule();
            Optional<Instant> due = wait.dueAt(contact, event);
            if (due.isPresent() && !due.get().isBefore(now)) {
                return new Landing(at, due.get(), skipped);
            }
            if (due.isPresent() && wait.ifPastNow()) {
                return new Landing(at, now, skipped);
            }
            history.add(new Enrolment.StepRecord(at, now, due.map(d -> "skipped: due at " + d + ", already past")
                    .orElse("skipped: no date in " + wait.relativeTo())));
            skipped.add(at);
            if (step.exit()) {
                return new Landing(null, now, skipped);
            }
            at = step.waitsForReply() && step.onTimeout() != null ? step.onTimeout() : wayOn.apply(step);
        }
        // Off the end, or round a loop of skipped steps (the loop guard): the run ends.
        return new Landing(null, now, skipped);
    }
}
