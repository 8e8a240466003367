package dev.dripline.drip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dripline.consent.ConsentStatus;
import dev.dripline.contacts.Contact;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When a wait relative to a date falls due, in the contact's zone, across daylight-saving changes. */
class RelativeWaitTest {

    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    static Contact inNewYork(Map<String, Object> attributes) {
        return new Contact("ct_1", "+12125550100", "US", "mobile", "Ada", null, null, "America/New_York", List.of("America/New_York"),
                attributes, List.of(), ConsentStatus.OPTED_IN, Instant.EPOCH, Instant.EPOCH);
    }

    static Instant ny(String local) {
        return LocalDateTime.parse(local).atZone(NEW_YORK).toInstant();
    }

    static RelativeWait dayBefore(LocalTime at) {
        return new RelativeWait(RelativeWait.Source.EVENT, "appointmentAt", Duration.ofDays(-1), at, false);
    }

    static Instant due(RelativeWait wait, String appointmentAt) {
        return wait.dueAt(inNewYork(Map.of()), Map.of("appointmentAt", appointmentAt)).orElseThrow();
    }

    @Test
    void nineTheDayBeforeIsLocalNineOnBothSidesOfTheSpringChange() {
        // 2037-03-08 is the second Sunday of March: New York moves from EST to EDT at 02:00.
        assertThat(due(dayBefore(LocalTime.of(9, 0)), "2037-03-09T14:30:00-04:00")).isEqualTo(ny("2037-03-08T09:00:00"));
        assertThat(due(dayBefore(LocalTime.of(9, 0)), "2037-03-08T14:30:00-04:00")).isEqualTo(ny("2037-03-07T09:00:00"))
                .isEqualTo(Instant.parse("2037-03-07T14:00:00Z"));
    }

    @Test
    void aDayBeforeWithoutATimeIsTheSameLocalTimeTheDayBeforeNotTwentyFourHours() {
        // Across the spring change: 14:30 EDT on the 8th is 14:30 EST on the 7th (25 hours earlier).
        Instant spring = due(dayBefore(null), "2037-03-08T14:30:00-04:00");
        assertThat(spring).isEqualTo(ny("2037-03-07T14:30:00"));
        assertThat(Duration.between(spring, Instant.parse("2037-03-08T18:30:00Z"))).isEqualTo(Duration.ofHours(23));
        // Across the autumn change (2037-11-01): 14:30 EST on the 1st is 14:30 EDT on October 31st.
        assertThat(due(dayBefore(null), "2037-11-01T14:30:00-05:00")).isEqualTo(ny("2037-10-31T14:30:00"));
    }

    @Test
    void aTimeInsideTheSpringGapMovesForward() {
        assertThat(due(dayBefore(LocalTime.of(2, 30)), "2037-03-09T14:30:00-04:00")).isEqualTo(ny("2037-03-08T03:30:00"));
    }

    @Test
    void hoursBeforeAreExactTime() {
        RelativeWait twoHours = new RelativeWait(RelativeWait.Source.EVENT, "appointmentAt", Duration.ofHours(-2), null, false);
        assertThat(due(twoHours, "2037-03-08T03:30:00-04:00")).isEqualTo(Instant.parse("2037-03-08T05:30:00Z"));
    }

    @Test
    void theDayIsTheContactsDayNotTheOffsetsOfTheDate() {
        // 01:00 in Paris on the 24th is 19:00 on the 23rd in New York: the day before is the 22nd.
        assertThat(due(dayBefore(LocalTime.of(9, 0)), "2037-11-24T01:00:00+01:00")).isEqualTo(ny("2037-11-22T09:00:00"));
        assertThat(due(dayBefore(LocalTime.of(9, 0)), "2037-11-24T01:00:00Z")).isEqualTo(ny("2037-11-22T09:00:00"));
    }

    @Test
    void aPlainDateIsTheStartOfThatDayInTheContactsZone() {
        RelativeWait renewal = new RelativeWait(RelativeWait.Source.ATTRIBUTES, "renewalDate", Duration.ZERO, null, false);
        assertThat(renewal.dueAt(inNewYork(Map.of("renewalDate", "2037-03-08")), Map.of())).contains(ny("2037-03-08T00:00:00"));
        RelativeWait weekBefore = new RelativeWait(RelativeWait.Source.ATTRIBUTES, "renewalDate", Duration.ofDays(-7), LocalTime.of(10, 0), false);
        assertThat(weekBefore.dueAt(inNewYork(Map.of("renewalDate", "2037-03-10")), Map.of())).contains(ny("2037-03-03T10:00:00"));
    }

    @Test
    void aMissingOrUnreadableDateGivesNoTime() {
        RelativeWait wait = dayBefore(LocalTime.of(9, 0));
        assertThat(wait.dueAt(inNewYork(Map.of()), Map.of())).isEmpty();
        assertThat(wait.dueAt(inNewYork(Map.of()), Map.of("appointmentAt", "next tuesday"))).isEmpty();
        assertThat(wait.dueAt(inNewYork(Map.of()), Map.of("appointmentAt", "2037-03-08T14:30:00"))).as("no zone or offset").isEmpty();
        assertThat(wait.dueAt(inNewYork(Map.of()), Map.of("appointmentAt", 1234))).isEmpty();
    }
}
