package dev.dripline.drip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dripline.Dripline;
import dev.dripline.TestCore;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Issue 21: a release minute's hold list spread over k partition keys, so that no key takes a whole fan-out's writes. */
@ExtendWith(EnginesExtension.class)
class BroadcastHoldShardsTest {

    @Test
    void holdsSpreadOverTheShardKeysAndTheReleaseReadsThemAllAndTheOlderKey(Engines engines) {
        Dripline core = new TestCore(engines, Clock.systemUTC()).dripline;
        JourneyStore store = new JourneyStore(engines.dynamoDb(), core.settings().tables().journeys());
        long release = 1_800_000_000L;
        List<String> contacts = IntStream.range(0, 200).mapToObj(i -> "ct_" + i).toList();
        contacts.forEach(c -> assertThat(store.holdForRelease("bc_1", release, c, "quiet_hours")).isTrue());
        assertThat(store.holdForRelease("bc_1", release, "ct_7", "quiet_hours")).as("held once").isFalse();
        // A hold written before the split, under the unsharded key.
        engines.dynamoDb().putItem(p -> p.tableName(core.settings().tables().journeys()).item(Map.of(
                "pk", AttributeValue.fromS("B#bc_1#" + release), "sk", AttributeValue.fromS("ct_old"), "reason", AttributeValue.fromS("capped"))));

        Set<String> keys = new HashSet<>();
        engines.dynamoDb().scanPaginator(r -> r.tableName(core.settings().tables().journeys())).items()
                .forEach(i -> keys.add(i.get("pk").s()));
        assertThat(keys).as("200 recipients over the 8 keys of the minute, and the older key")
                .hasSize(JourneyStore.HOLD_SHARDS + 1).allMatch(k -> k.startsWith("B#bc_1#" + release));

        Set<String> released = new HashSet<>();
        for (int round = 0; round < 10; round++) {
            JourneyStore.HeldPage page = store.heldForRelease("bc_1", release, 64);
            assertThat(page.items()).hasSizeLessThanOrEqualTo(64);
            page.items().forEach(h -> {
                released.add(h.contactId());
                store.releaseHeld("bc_1", release, h);
            });
            if (!page.more()) {
                break;
            }
        }
        assertThat(released).hasSize(201).contains("ct_old", "ct_0", "ct_199");
        assertThat(store.heldForRelease("bc_1", release, 64).items()).isEmpty();
        assertThat(store.pending()).isEmpty();
    }

    @Test
    void aRestartFindsEachHeldReleaseMinuteOnce(Engines engines) {
        Dripline core = new TestCore(engines, Clock.systemUTC()).dripline;
        JourneyStore store = new JourneyStore(engines.dynamoDb(), core.settings().tables().journeys());
        IntStream.range(0, 50).forEach(i -> store.holdForRelease("bc_2", 1_800_000_060L, "ct_" + i, "quiet_hours"));
        assertThat(store.pending()).containsExactly(new JourneyStore.Pending.Release("bc_2", 1_800_000_060L));
    }
}
