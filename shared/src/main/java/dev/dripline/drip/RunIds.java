package dev.dripline.drip;

import dev.dripline.webhooks.Hmac;
import dev.dripline.messaging.Origin;

/**
 * The names a run derives from what it is, so that work delivered twice finds what the first
 * delivery made: its enrolment id, each step's message id, its schedules, its A/B variant.
 */
final class RunIds {

    private RunIds() {
    }

    /** The same cause (an event id, an API request id) enrols a contact in a campaign once. */
    static String enrolmentId(String campaignId, String contactId, String cause) {
        return "en_" + digest(campaignId + "|" + contactId + "|" + cause).substring(0, 26);
    }

    /**
     * Where a run lives among its contact's runs: the campaign, or for a keyed trigger the
     * campaign and a digest of the key's value (any text, of any length, makes a short key).
     */
    static String slot(String campaignId, String key) {
        return key == null ? campaignId : campaignId + "#K#" + digest(key).substring(0, 32);
    }

    /** The work of a run at {@code token}. */
    static dev.dripline.schedule.Due.Step step(Enrolment e, long token) {
        return new dev.dripline.schedule.Due.Step(e.contactId(), e.campaignId(), e.enrolmentId(), token, e.key());
    }

    static String messageId(Enrolment run, String stepId) {
        return "msg_" + digest(run.enrolmentId() + "|" + stepId + "|" + run.token()).substring(0, 26);
    }

    /** The name of the schedule for where a run stands: unique per run and token. */
    static String scheduleName(Enrolment e) {
        return "st-" + e.enrolmentId() + "-" + e.token();
    }

    /** A/B: the same contact gets the same variant of a step, every time, with no state kept. */
    static CampaignDefinition.Variant variant(CampaignDefinition.Step step, String contactId, String campaignId) {
        if (step.variants().size() == 1) {
            return step.variants().get(0);
        }
        int total = step.variants().stream().mapToInt(CampaignDefinition.Variant::weight).sum();
        long h = Long.parseUnsignedLong(digest(campaignId + "|" + step.id() + "|" + contactId).substring(0, 15), 16);
        long pick = h % total;
        for (CampaignDefinition.Variant v : step.variants()) {
            pick -= v.weight();
            if (pick < 0) {
                return v;
            }
        }
        return step.variants().get(step.variants().size() - 1);
    }

    static Origin origin(Enrolment e, String stepId, String variant) {
        return Origin.step(e.campaignId(), e.version(), stepId, variant, e.enrolmentId());
    }

    static String digest(String s) {
        return Hmac.sha256Hex(s);
    }
}
