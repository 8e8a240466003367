package dev.dripline.keywords;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * A keyword program ({@code /v1/keywords}): a message that is the keyword, optionally followed by
 * an argument, to one of {@code numbers} (empty: every number) answers at once with {@code reply}
 * and records {@code event} with the argument as a property.
 *
 * @param keyword the keyword in its matching form (upper case)
 * @param numbers E.164 numbers the program listens on; empty for all
 * @param argument what may follow the keyword, or null when the message must be just the keyword
 * @param reply   the answer, a template: {@code {{argument}}}, {@code {{event.lot}}}, {@code {{firstName|there}}}, {@code {{brand}}}
 * @param event   the event recorded for the contact
 * @param help    the answer to a missing or bad argument; null: a text built from the keyword and argument name
 * @param optIn   text-to-join: {@code {confirm: true}} asks "Reply Y to confirm" before the contact is opted in
 * @param topic   the consent topic of the program (one of DRIPLINE_TOPICS), or null: a confirmed text-to-join also records
 *                consent for it, and a topic-scoped STOP to one of its {@code numbers} revokes it (when DRIPLINE_NUMBER_TOPICS
 *                does not name that number)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KeywordProgram(String id, String keyword, List<String> numbers, Argument argument, String reply, String event,
                             String help, OptIn optIn, Instant createdAt, Instant updatedAt, String topic) {

    public KeywordProgram {
        numbers = numbers == null ? List.of() : List.copyOf(numbers);
    }

    public KeywordProgram(String id, String keyword, List<String> numbers, Argument argument, String reply, String event,
                          String help, OptIn optIn, Instant createdAt, Instant updatedAt) {
        this(id, keyword, numbers, argument, reply, event, help, optIn, createdAt, updatedAt, null);
    }

    /** @param pattern a regular expression the whole argument must match */
    public record Argument(String name, String pattern) {
    }

    public record OptIn(boolean confirm) {
    }

    boolean listensOn(String number) {
        return numbers.isEmpty() || numbers.contains(number);
    }

    boolean confirmsOptIn() {
        return optIn != null && optIn.confirm();
    }
}
