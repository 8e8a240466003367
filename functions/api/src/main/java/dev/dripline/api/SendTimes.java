package dev.dripline.api;

import dev.dripline.errors.InvalidInput;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** A {@code sendAt} in the past is a mistake to report, not a request to send at once. */
final class SendTimes {

    /** Clocks differ: a time this little in the past still means "now". */
    static final Duration TOLERANCE = Duration.ofMinutes(1);

    private SendTimes() {
    }

    static void notPast(Instant sendAt, Clock clock) {
        Instant now = clock.instant();
        if (sendAt != null && sendAt.isBefore(now.minus(TOLERANCE))) {
            throw InvalidInput.of("sendAt", "is in the past (" + sendAt + "; the time now is " + now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                    + "); leave it out to send now");
        }
    }
}
