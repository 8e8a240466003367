package dev.dripline.local.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, provider half: the fault-injection command's fast run, as CI runs it. Every scenario
 * must end with each message sent exactly once after the provider heals (or, past its validity,
 * expired with a status), none sent twice, none lost, none left without a status a user can see.
 */
class FaultInjectionTest {

    @Test
    void everyProviderFaultEndsWithEachMessageSentOnceOrExpiredAndNoneDoubledLostOrStuck() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<FaultInjection.Outcome> outcomes = FaultInjection.runAll(FaultInjection.Options.fast(),
                new PrintStream(log, true, StandardCharsets.UTF_8));
        String table = FaultInjection.table(outcomes);
        assertThat(outcomes).extracting(FaultInjection.Outcome::scenario)
                .containsExactlyElementsOf(FaultInjection.SCENARIOS.stream().map(FaultInjection.Scenario::name).toList());
        for (FaultInjection.Outcome o : outcomes) {
            assertThat(o.accepted()).as(table).isEqualTo(FaultInjection.Options.fast().messages());
            assertThat(o.doubled()).as(table).isZero();
            assertThat(o.lost()).as(table).isZero();
            assertThat(o.stuck()).as(table).isZero();
            assertThat(o.failed()).as(table).isZero();
            assertThat(o.unknown()).as(table).isZero();
            if (o.scenario().equals("refused past validity")) {
                assertThat(o.expired()).as(table).isEqualTo(o.accepted());
            } else {
                assertThat(o.delivered()).as(table).isEqualTo(o.accepted());
                assertThat(o.providerRequests()).as(table).isGreaterThanOrEqualTo(o.accepted());
            }
        }
    }
}
