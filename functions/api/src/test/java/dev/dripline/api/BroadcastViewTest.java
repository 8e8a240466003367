package dev.dripline.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dripline.analytics.Analytics;
import dev.dripline.broadcasts.Broadcasts;
import dev.dripline.messaging.Category;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What GET /v1/broadcasts/{id} says about recipients quiet hours held back. */
class BroadcastViewTest {

    private static Broadcasts.Broadcast withCounts(Map<String, Long> some) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String c : List.of("queued", "held", "released", "skippedOptedOut", "skippedCapped", "deferredQuietHours", "deferredCapped",
                "releasedQuietHours")) {
            counts.put(c, some.getOrDefault(c, 0L));
        }
        return new Broadcasts.Broadcast("bc_1", "Sale", "fanned_out", Map.of("tags", List.of("vip")), "Hi", Category.MARKETING, null, null,
                10L, counts, Instant.parse("2037-11-23T15:00:00Z"));
    }

    private static Analytics.BroadcastCounts none() {
        return new Analytics.BroadcastCounts(0, 0, 0, BigDecimal.ZERO, 0, 0, 0, 0, 0, 0, 0, 0, Map.of(), Map.of());
    }

    @Test
    void aRecipientDeferredByQuietHoursAndThenSentIsNotASkip() {
        BroadcastsController.BroadcastView v = BroadcastsController.view(withCounts(Map.of("queued", 10L, "held", 4L, "released", 4L,
                "deferredQuietHours", 4L, "releasedQuietHours", 4L)), none());
        assertThat(v.skipped().quietHours()).isZero();
        assertThat(v.deferred().quietHours()).isEqualTo(4L);
        assertThat(v.deferred().capped()).isZero();
        assertThat(v.held()).isZero();
    }

    @Test
    void recipientsStillWaitingForTheirWindowAreTheOnlyQuietHoursSkips() {
        BroadcastsController.BroadcastView v = BroadcastsController.view(withCounts(Map.of("queued", 7L, "held", 4L, "released", 1L,
                "deferredQuietHours", 4L, "releasedQuietHours", 1L)), none());
        assertThat(v.skipped().quietHours()).isEqualTo(3L);
        assertThat(v.held()).isEqualTo(3L);
    }
}
