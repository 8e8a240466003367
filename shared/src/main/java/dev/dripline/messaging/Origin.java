package dev.dripline.messaging;

/**
 * What a message was sent for: a campaign step (and the A/B variant the contact got) or a
 * broadcast. Kept on the message so that its receipts, clicks and replies are counted where
 * they belong. Null on a message of its own (one-off sends, keyword replies).
 *
 * @param enrolmentId the enrolment run that sent it; a reply is matched to it
 */
public record Origin(String campaignId, Integer version, String stepId, String variant, String enrolmentId, String broadcastId) {

    public static Origin step(String campaignId, int version, String stepId, String variant, String enrolmentId) {
        return new Origin(campaignId, version, stepId, variant, enrolmentId, null);
    }

    public static Origin broadcast(String broadcastId) {
        return new Origin(null, null, null, null, null, broadcastId);
    }
}
