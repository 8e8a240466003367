package dev.dripline.drip;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.errors.FieldError;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A holdout step, {@code {"id": "h", "holdout": {"percent": 10}, "goto": "next"}}: that share of
 * the contacts reaching it is held out (their run ends there: they receive nothing more from the
 * campaign), the rest (the treatment) go on. The choice is sticky: a hash of (campaign, contact),
 * so a contact who re-enters lands in the same group. A conversion event within the campaign's
 * conversion window after the holdout step is counted for either group, once per run, so the
 * stats can compare them ({@link dev.dripline.analytics.Lift}).
 *
 * @param percent the share held out, 1 to 99
 */
public record Holdout(int percent) {

    /** Counters: contacts that reached the step, per group, and those of them that converted. */
    public static final String HELD = "holdout.held";
    public static final String TREATED = "holdout.treated";
    public static final String HELD_CONVERTED = "holdout.heldConverted";
    public static final String TREATED_CONVERTED = "holdout.treatedConverted";
    /** Step-record outcomes (the run's history) that mark the group and a counted conversion. */
    static final String HELD_OUTCOME = "holdout: held out";
    static final String TREATED_OUTCOME = "holdout: treatment";
    static final String CONVERTED_OUTCOME = "holdout: converted";

    /** The step's holdout, if it has one; problems go to {@code errors}. */
    static Optional<Holdout> parse(JsonNode step, String at, List<FieldError> errors) {
        JsonNode h = step.get("holdout");
        if (h == null || h.isNull()) {
            return Optional.empty();
        }
        JsonNode p = h.path("percent");
        if (!h.isObject() || !p.canConvertToInt() || !p.isIntegralNumber() || p.asInt() < 1 || p.asInt() > 99) {
            errors.add(new FieldError(at + ".holdout.percent", "must be a whole number from 1 to 99: {\"holdout\": {\"percent\": 10}}"));
            return Optional.empty();
        }
        h.fieldNames().forEachRemaining(f -> {
            if (!f.equals("percent")) {
                errors.add(new FieldError(at + ".holdout." + f, "is not a holdout field (known: percent)"));
            }
        });
        if (step.hasNonNull("send") || step.hasNonNull("variants") || step.hasNonNull("waitForReply") || step.hasNonNull("branches")) {
            errors.add(new FieldError(at + ".holdout", "a holdout step does nothing else: no send, variants, waitForReply or branches"));
        }
        return Optional.of(new Holdout(p.asInt()));
    }

    /** Whether the contact is in the held-out group of this campaign (sticky across runs and versions). */
    public boolean holdsOut(String campaignId, String contactId) {
        return bucket(campaignId + "|holdout|" + contactId) < percent * 100L;
    }

    /** A stable number in [0, 10000) for a key. */
    static long bucket(String key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return Long.parseUnsignedLong(HexFormat.of().formatHex(d, 0, 7), 16) % 10_000;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String outcome(boolean held) {
        return held ? HELD_OUTCOME : TREATED_OUTCOME;
    }

    /**
     * The counter a conversion at {@code at} adds for this run: the run's group's, if it passed a
     * holdout step no longer than {@code window} before and has not been counted yet.
     */
    static Optional<String> conversion(Enrolment e, Instant at, Duration window) {
        Enrolment.StepRecord group = null;
        for (Enrolment.StepRecord r : e.history()) {
            if (CONVERTED_OUTCOME.equals(r.outcome())) {
                return Optional.empty();
            }
            if (HELD_OUTCOME.equals(r.outcome()) || TREATED_OUTCOME.equals(r.outcome())) {
                group = r;
            }
        }
        if (group == null || at.isBefore(group.at()) || at.isAfter(group.at().plus(window))) {
            return Optional.empty();
        }
        return Optional.of(HELD_OUTCOME.equals(group.outcome()) ? HELD_CONVERTED : TREATED_CONVERTED);
    }

    /** The step that put the run in its group (where the conversion is recorded). */
    static String groupStep(Enrolment e) {
        for (int i = e.history().size() - 1; i >= 0; i--) {
            Enrolment.StepRecord r = e.history().get(i);
            if (HELD_OUTCOME.equals(r.outcome()) || TREATED_OUTCOME.equals(r.outcome())) {
                return r.stepId();
            }
        }
        return null;
    }
}
