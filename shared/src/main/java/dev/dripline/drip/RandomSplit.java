package dev.dripline.drip;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.errors.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A random split, {@code {"id": "r", "split": [{"percent": 30, "goto": "a"}, {"percent": 70, "goto": "b"}]}}
 * (Pinpoint's RandomSplit activity): each contact takes one path, chosen by a hash of
 * (campaign, step, contact), so a redelivered step takes the same path. The percents add up to 100.
 */
public record RandomSplit(List<Path> paths) {

    public record Path(int percent, String target) {
    }

    static Optional<RandomSplit> parse(JsonNode step, String at, List<FieldError> errors) {
        JsonNode s = step.get("split");
        if (s == null || s.isNull()) {
            return Optional.empty();
        }
        if (!s.isArray() || s.size() < 2 || s.size() > 5) {
            errors.add(new FieldError(at + ".split", "must be a list of 2 to 5 paths {percent, goto}"));
            return Optional.empty();
        }
        List<Path> paths = new ArrayList<>();
        int total = 0;
        for (int i = 0; i < s.size(); i++) {
            JsonNode p = s.get(i);
            String pat = at + ".split[" + i + "]";
            JsonNode percent = p.path("percent");
            if (!percent.isIntegralNumber() || percent.asInt() < 1 || percent.asInt() > 99) {
                errors.add(new FieldError(pat + ".percent", "must be a whole number from 1 to 99"));
                continue;
            }
            if (!p.hasNonNull("goto")) {
                errors.add(new FieldError(pat + ".goto", "is required"));
                continue;
            }
            total += percent.asInt();
            paths.add(new Path(percent.asInt(), p.get("goto").asText()));
        }
        if (paths.size() == s.size() && total != 100) {
            errors.add(new FieldError(at + ".split", "percents add up to " + total + "; they must add up to 100"));
        }
        if (step.hasNonNull("branches") || step.hasNonNull("waitForReply") || step.hasNonNull("goto")) {
            errors.add(new FieldError(at + ".split", "a split step chooses its own path: no branches, waitForReply or goto"));
        }
        return Optional.of(new RandomSplit(List.copyOf(paths)));
    }

    /** The path this contact takes. */
    String choose(String campaignId, String stepId, String contactId) {
        long pick = Holdout.bucket(campaignId + "|split|" + stepId + "|" + contactId);
        for (Path p : paths) {
            pick -= p.percent() * 100L;
            if (pick < 0) {
                return p.target();
            }
        }
        return paths.get(paths.size() - 1).target();
    }
}
