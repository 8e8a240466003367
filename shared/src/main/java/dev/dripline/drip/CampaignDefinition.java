package dev.dripline.drip;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.errors.InvalidInput;
import dev.dripline.messaging.Category;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A drip campaign as its author wrote it (API.md's campaign format and its extensions): the
 * model. {@link CampaignParser} reads it and {@link CampaignFlow} checks its graph, naming every
 * problem at once (an unknown step id, an unreachable step, a bad duration, a regex that does
 * not compile, an unknown template variable), so an author fixes a definition in one round.
 *
 * @param capPolicy what a step does when the contact's frequency cap is reached: defer it to
 *                  the next day, or skip the message and go on
 * @param ageGated  only contacts whose {@code ageVerified} attribute is true are messaged
 * @param topic     the consent topic it names ({@code topic}); null: its category's (see {@link #topicOrDefault})
 * @param conversion the event counted as a conversion (default: the first {@code exitOn}) and
 *                  how long after a message it is credited to that message
 */
public record CampaignDefinition(String name, Category category, Trigger trigger, List<String> exitOn, Optional<SendWindow> sendWindow,
                                 Reentry reentry, List<Step> steps, CapPolicy capPolicy, boolean ageGated, Conversion conversion,
                                 Map<String, String> exitKeys, String topic) {

    /**
     * @param exitOn   every goal event's name (plain and keyed entries alike)
     * @param exitKeys the keyed goals: event name to the property that names the run it ends
     *                 ({@code {"event": "appointment_cancelled", "key": "appointmentId"}})
     * @param topic    the consent topic its messages are sent under; null: its category's
     */
    public CampaignDefinition {
        exitKeys = exitKeys == null ? Map.of() : Map.copyOf(exitKeys);
    }

    public CampaignDefinition(String name, Category category, Trigger trigger, List<String> exitOn, Optional<SendWindow> sendWindow,
                              Reentry reentry, List<Step> steps, CapPolicy capPolicy, boolean ageGated, Conversion conversion) {
        this(name, category, trigger, exitOn, sendWindow, reentry, steps, capPolicy, ageGated, conversion, Map.of(), null);
    }

    public CampaignDefinition(String name, Category category, Trigger trigger, List<String> exitOn, Optional<SendWindow> sendWindow,
                              Reentry reentry, List<Step> steps, CapPolicy capPolicy, boolean ageGated, Conversion conversion,
                              Map<String, String> exitKeys) {
        this(name, category, trigger, exitOn, sendWindow, reentry, steps, capPolicy, ageGated, conversion, exitKeys, null);
    }

    /** The consent topic its messages are sent under: the one it names, else its category's. */
    public String topicOrDefault() {
        return topic != null ? topic : dev.dripline.consent.Topics.defaultFor(category.wire());
    }

    /** What enrols a contact. */
    public sealed interface Trigger {
        /**
         * {@code {"event": "cart_abandoned"}}: an event of that name (POST /v1/events, a keyword).
         * With {@code key} ({@code "appointmentId"}), one run per contact and value of that event
         * property: the same value again moves that run's pending wait instead of enrolling twice.
         */
        record OnEvent(String name, String key) implements Trigger {
            public OnEvent(String name) {
                this(name, null);
            }

            public boolean keyed() {
                return key != null;
            }
        }

        /** {@code {"segment": "seg_..."}}: a contact that comes to match the segment. */
        record OnSegment(String segmentId) implements Trigger {
        }

        /** {@code {"date": {"attribute": "birthday", "at": "10:00"}}}: every year on that day, at that local time. */
        record OnDate(String attribute, LocalTime at) implements Trigger {
        }

        /** No trigger: contacts are enrolled by API only. */
        record ByApi() implements Trigger {
        }
    }

    /** The campaign's own window, in the contact's local time; it can only narrow the quiet hours. */
    public record SendWindow(LocalTime start, LocalTime end, Set<DayOfWeek> days) {
    }

    /** Whether a contact that finished (or left) the campaign can be enrolled again. */
    public sealed interface Reentry {
        record Once() implements Reentry {
        }

        record Always() implements Reentry {
        }

        record After(Duration period) implements Reentry {
        }
    }

    public enum CapPolicy { DEFER, SKIP }

    public record Conversion(Optional<String> event, Duration window) {
    }

    /** How long a step waits after the previous one: a duration, or until a local time of day (on given weekdays). */
    public sealed interface Wait {
        record For(Duration duration) implements Wait {
        }

        record Until(LocalTime time, Set<DayOfWeek> days) implements Wait {
        }

        /** {@code {"until": "2026-12-24T10:00:00Z"}}: until that moment (at once if it has passed). */
        record At(Instant at) implements Wait {
        }

        /** {@code {"relativeTo": "event.appointmentAt", "offset": "-P1D", "at": "09:00"}}: see {@link RelativeWait}. */
        record Relative(RelativeWait rule) implements Wait {
        }
    }

    /** A message a step may send; {@code media} makes it an MMS ({@code mediaFallback}: link, the default, or fail). */
    public record Variant(String id, int weight, Template body, List<dev.dripline.media.MediaInput> media, String mediaFallback) {

        public Variant(String id, int weight, Template body) {
            this(id, weight, body, List.of(), null);
        }

        public Variant {
            media = media == null ? List.of() : List.copyOf(media);
        }
    }

    /** One way out of a step, of six kinds; {@link #target()} is the step it goes to. */
    public sealed interface Branch {
        String target();

        /** A reply (to a step with waitForReply) that {@code match} finds. */
        record Reply(Pattern match, String target) implements Branch {
        }

        /** The contact's attribute equals {@code equals}, or is present when {@code equals} is null. */
        record Attribute(String attribute, Object equals, String target) implements Branch {
        }

        /** {@code {"attribute": "nps", "between": [0, 6]}}: the contact's attribute is a number from low to high, both included. */
        record Between(String attribute, java.math.BigDecimal low, java.math.BigDecimal high, String target) implements Branch {
            public boolean holds(Object value) {
                java.math.BigDecimal n = AttributeBranches.number(value);
                return n != null && n.compareTo(low) >= 0 && n.compareTo(high) <= 0;
            }
        }

        /** {@code {"attribute": "plan", "in": ["A", "B"]}}: the contact's attribute is one of the values (texts in any case). */
        record In(String attribute, List<Object> values, String target) implements Branch {
            public boolean holds(Object value) {
                return value != null && values.stream().anyMatch(v -> AttributeBranches.same(value, v));
            }
        }

        /** The contact has the tag. */
        record Tag(String tag, String target) implements Branch {
        }

        /** The contact had the event since enrolment, or within {@code within} when given. */
        record Event(String event, Duration within, String target) implements Branch {
        }
    }

    /**
     * What a step does, in order, each kind a record: adding a kind is a record here, its
     * reading in {@link CampaignParser} and its act in {@code StepRunner}.
     */
    public sealed interface Action {
        /** Sends one of the variants (one, or an A/B split by weight). */
        record Send(List<Variant> variants) implements Action {
        }

        /** Adds and removes the contact's tags. */
        record Tag(List<String> add, List<String> remove) implements Action {
        }

        /** Publishes a step event to the integrator's webhook. */
        record Webhook(String event) implements Action {
        }
    }

    /**
     * One step. In order: wait; then act ({@link Action}s: send one of the variants, tag and
     * untag, call a webhook); then go on: wait for a reply and branch on it, or branch on
     * attribute / tag / event, or go to {@code next} (default: the step after it), or end
     * ({@code exit}). A step that waits for a reply may save the answer ({@code capture}) and then
     * branch on the saved attribute.
     */
    public record Step(String id, Optional<Wait> pause, List<Action> actions, Optional<Duration> replyTimeout, List<Branch> branches,
                       String onTimeout, String otherwise, String next, boolean exit, Optional<Holdout> holdout, Optional<RandomSplit> split,
                       Optional<ReplyCapture> capture) {

        public Step(String id, Optional<Wait> pause, List<Action> actions, Optional<Duration> replyTimeout, List<Branch> branches,
                    String onTimeout, String otherwise, String next, boolean exit, Optional<Holdout> holdout, Optional<RandomSplit> split) {
            this(id, pause, actions, replyTimeout, branches, onTimeout, otherwise, next, exit, holdout, split, Optional.empty());
        }

        public Step(String id, Optional<Wait> pause, List<Action> actions, Optional<Duration> replyTimeout, List<Branch> branches,
                    String onTimeout, String otherwise, String next, boolean exit) {
            this(id, pause, actions, replyTimeout, branches, onTimeout, otherwise, next, exit, Optional.empty(), Optional.empty(), Optional.empty());
        }

        /** The variants of the step's message; empty when it sends none. */
        public List<Variant> variants() {
            return actions.stream().filter(a -> a instanceof Action.Send).map(a -> ((Action.Send) a).variants()).findFirst().orElse(List.of());
        }

        public boolean sends() {
            return !variants().isEmpty();
        }

        public boolean waitsForReply() {
            return replyTimeout.isPresent();
        }
    }

    public Step step(String id) {
        return steps.stream().filter(s -> s.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalStateException("campaign '" + name + "' has no step " + id));
    }

    /** The step after {@code id} in the list, or null for the last. */
    public String following(String id) {
        for (int i = 0; i < steps.size() - 1; i++) {
            if (steps.get(i).id().equals(id)) {
                return steps.get(i + 1).id();
            }
        }
        return null;
    }

    /** Whether the event counts as this campaign's conversion. */
    public boolean convertsOn(String event) {
        return conversion.event().map(event::equals).orElse(exitOn.contains(event));
    }

    /** Parses and checks a definition; every problem is named in one {@link InvalidInput}. */
    public static CampaignDefinition parse(JsonNode json) {
        return CampaignParser.parse(json);
    }
}
