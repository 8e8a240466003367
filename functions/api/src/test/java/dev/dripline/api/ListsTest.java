package dev.dripline.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dripline.Dripline;
import dev.dripline.TestCore;
import dev.dripline.auth.ApiKeys;
import dev.dripline.broadcasts.Broadcasts;
import dev.dripline.contacts.ContactInput;
import dev.dripline.messaging.Category;
import dev.dripline.messaging.Direction;
import dev.dripline.messaging.Message;
import dev.dripline.messaging.MessageStatus;
import dev.dripline.messaging.Origin;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import io.micronaut.context.ApplicationContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every list route pages the same way: {@code ?limit=&cursor=} → {@code {items, nextCursor}}, signed cursors bound to their list. */
@ExtendWith(EnginesExtension.class)
class ListsTest {

    private static final String ADMIN = "configured-admin-key-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private Dripline core;
    private ApplicationContext context;
    private ApiFunction function;

    @BeforeEach
    void start(Engines engines) {
        // Paging through every list with limit 1 makes hundreds of requests: no rate limit in the way.
        core = new TestCore(engines, Clock.systemUTC(), Map.of("DRIPLINE_API_RATE", "100000", "DRIPLINE_API_BURST", "100000")).dripline;
        context = ApplicationContext.builder().singletons(core, ApiKeys.single("configured", ADMIN)).deduceEnvironment(false).start();
        function = new ApiFunction(context);
    }

    @AfterEach
    void stop() {
        context.close();
    }

    @Test
    void everyListPagesThroughAllItsItemsWithoutDuplicatesOrGaps() throws Exception {
        Set<String> contacts = new LinkedHashSet<>();
        for (int i = 0; i < 7; i++) {
            contacts.add(core.contacts().upsert(new ContactInput("+1415555" + (2000 + i), null, null, null, null, null, null,
                    i % 2 == 0 ? List.of("vip") : List.of(), null), "t").contact().id());
        }
        Set<String> segments = new LinkedHashSet<>();
        for (int i = 0; i < 5; i++) {
            segments.add(core.audience().createSegment("s" + i, Map.of("tag", "vip")).id());
        }
        Set<String> broadcasts = new LinkedHashSet<>();
        for (int i = 0; i < 5; i++) {
            broadcasts.add(core.broadcasts().create(new Broadcasts.BroadcastInput("b" + i, Map.of("tags", List.of("vip")), "Hello",
                    "transactional", Instant.now().plusSeconds(86_400), null, null)).id());
        }
        Set<String> imports = new LinkedHashSet<>();
        for (int i = 0; i < 4; i++) {
            imports.add((String) core.imports().start("phone\n+1415555" + (3000 + i) + "\n", "t").get("id"));
        }
        Set<String> keys = new LinkedHashSet<>();
        for (int i = 0; i < 4; i++) {
            keys.add(json(call("/v1/api-keys", ADMIN, "POST", "{\"name\":\"k" + i + "\",\"scopes\":[\"read\"]}")).get("id").asText());
        }
        Set<String> messages = new LinkedHashSet<>();
        for (int i = 0; i < 9; i++) {
            messages.add(message("msg_all" + i, "ct_x", MessageStatus.QUEUED, T0.plusSeconds(i), null).id());
        }

        for (int limit : new int[] {1, 2, 3, 500}) {
            assertThat(all("/v1/contacts", limit)).as("contacts, limit %d", limit).containsExactlyInAnyOrderElementsOf(contacts);
            assertThat(all("/v1/segments", limit)).as("segments").containsExactlyInAnyOrderElementsOf(segments);
            assertThat(all("/v1/broadcasts", limit)).as("broadcasts").containsExactlyInAnyOrderElementsOf(broadcasts);
            assertThat(all("/v1/imports", limit)).as("imports").containsExactlyInAnyOrderElementsOf(imports);
            assertThat(all("/v1/api-keys", limit)).as("api keys").containsAll(keys).hasSize(keys.size());
            assertThat(all("/v1/messages", limit)).as("messages").containsExactlyInAnyOrderElementsOf(messages);
        }
        JsonNode lastPage = json(call("/v1/segments?limit=500", ADMIN, "GET", null));
        assertThat(lastPage.path("nextCursor").isMissingNode() || lastPage.path("nextCursor").isNull()).isTrue();
    }

    @Test
    void messagesAreFilteredByContactStatusCampaignBroadcastAndTime() throws Exception {
        for (int i = 0; i < 6; i++) {
            message("msg_a" + i, "ct_a", i < 4 ? MessageStatus.DELIVERED : MessageStatus.FAILED, T0.plusSeconds(60L * i),
                    i % 2 == 0 ? Origin.step("cmp_1", 1, "s1", null, "en_1") : Origin.broadcast("bc_1"));
        }
        message("msg_b0", "ct_b", MessageStatus.DELIVERED, T0.plusMillis(500), Origin.step("cmp_1", 1, "s1", null, "en_2"));

        assertThat(all("/v1/messages?contact=ct_a", 2)).containsExactly("msg_a0", "msg_a1", "msg_a2", "msg_a3", "msg_a4", "msg_a5");
        assertThat(all("/v1/messages?contact=ct_a&status=failed", 1)).containsExactly("msg_a4", "msg_a5");
        assertThat(all("/v1/messages?campaign=cmp_1", 2)).containsExactlyInAnyOrder("msg_a0", "msg_a2", "msg_a4", "msg_b0");
        assertThat(all("/v1/messages?broadcast=bc_1&status=delivered", 2)).containsExactlyInAnyOrder("msg_a1", "msg_a3");
        // [from, to): from inclusive, to exclusive, to the millisecond, with and without a contact.
        String range = "&from=" + T0.plusSeconds(60) + "&to=" + T0.plusSeconds(180);
        assertThat(all("/v1/messages?contact=ct_a" + range, 1)).containsExactly("msg_a1", "msg_a2");
        assertThat(all("/v1/messages?status=delivered" + range, 3))
                .containsExactlyInAnyOrder("msg_a1", "msg_a2");
        assertThat(all("/v1/messages?from=" + T0 + "&to=" + T0.plusMillis(501), 5)).containsExactlyInAnyOrder("msg_a0", "msg_b0");
        assertThat(all("/v1/messages?from=" + T0.plusMillis(1), 50)).doesNotContain("msg_a0").contains("msg_b0", "msg_a5");
        assertThat(all("/v1/contacts?tag=nobody", 5)).isEmpty();

        assertInvalid(call("/v1/messages?status=lost", ADMIN, "GET", null), "status");
        assertInvalid(call("/v1/messages?from=yesterday", ADMIN, "GET", null), "from");
    }

    @Test
    void aForgedOrAlteredCursorIsRefused() throws Exception {
        for (int i = 0; i < 3; i++) {
            core.audience().createSegment("s" + i, Map.of("tag", "vip"));
        }
        String cursor = json(call("/v1/segments?limit=1", ADMIN, "GET", null)).get("nextCursor").asText();
        assertThat(call("/v1/segments?limit=1&cursor=" + cursor, ADMIN, "GET", null).getStatusCode()).isEqualTo(200);

        // The old scheme: base64 of a DynamoDB key, which anyone could write.
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString("pk=seg_x\nsk=segment\n".getBytes(StandardCharsets.UTF_8));
        assertInvalid(call("/v1/segments?cursor=" + forged, ADMIN, "GET", null), "cursor");
        // The same payload pointing elsewhere, with the original signature.
        String payload = new String(Base64.getUrlDecoder().decode(cursor.substring(0, cursor.indexOf('.'))), StandardCharsets.UTF_8);
        String altered = Base64.getUrlEncoder().withoutPadding().encodeToString(payload.replaceAll("pk=seg_[^\\n]+", "pk=tag#vip")
                .getBytes(StandardCharsets.UTF_8)) + cursor.substring(cursor.indexOf('.'));
        assertInvalid(call("/v1/segments?cursor=" + altered, ADMIN, "GET", null), "cursor");
        assertInvalid(call("/v1/segments?cursor=" + cursor.substring(0, cursor.length() - 2) + "AA", ADMIN, "GET", null), "cursor");
        assertInvalid(call("/v1/segments?cursor=%25%25%25", ADMIN, "GET", null), "cursor");
    }

    @Test
    void aCursorOfOneListIsRefusedOnAnother() throws Exception {
        for (int i = 0; i < 3; i++) {
            core.audience().createSegment("s" + i, Map.of("tag", "vip"));
            core.imports().start("phone\n+1415555" + (3100 + i) + "\n", "t");
            message("msg_c" + i, "ct_c", MessageStatus.SENT, T0.plusSeconds(i), null);
            message("msg_d" + i, "ct_d", MessageStatus.SENT, T0.plusSeconds(i), null);
        }
        // Segments and imports share a table and key names: only the list in the signed cursor tells them apart.
        String segmentCursor = json(call("/v1/segments?limit=1", ADMIN, "GET", null)).get("nextCursor").asText();
        assertInvalid(call("/v1/imports?cursor=" + segmentCursor, ADMIN, "GET", null), "cursor");
        // The same route with other filters is another list.
        String ofC = json(call("/v1/messages?contact=ct_c&limit=1", ADMIN, "GET", null)).get("nextCursor").asText();
        assertInvalid(call("/v1/messages?contact=ct_d&cursor=" + ofC, ADMIN, "GET", null), "cursor");
        assertInvalid(call("/v1/messages?contact=ct_c&status=sent&cursor=" + ofC, ADMIN, "GET", null), "cursor");
        assertThat(call("/v1/messages?contact=ct_c&cursor=" + ofC, ADMIN, "GET", null).getStatusCode()).isEqualTo(200);
        String allMessages = json(call("/v1/messages?limit=1", ADMIN, "GET", null)).get("nextCursor").asText();
        assertInvalid(call("/v1/contacts?cursor=" + allMessages, ADMIN, "GET", null), "cursor");
        assertInvalid(call("/v1/api-keys?cursor=" + allMessages, ADMIN, "GET", null), "cursor");
    }

    @Test
    void theLimitIsFromOneToFiveHundred() throws Exception {
        for (String route : List.of("/v1/contacts", "/v1/messages", "/v1/segments", "/v1/broadcasts", "/v1/imports", "/v1/api-keys",
                "/v1/campaigns")) {
            assertInvalid(call(route + "?limit=0", ADMIN, "GET", null), "limit");
            assertInvalid(call(route + "?limit=501", ADMIN, "GET", null), "limit");
            assertThat(call(route + "?limit=500", ADMIN, "GET", null).getStatusCode()).as(route).isEqualTo(200);
        }
    }

    private Message message(String id, String contactId, MessageStatus status, Instant at, Origin origin) {
        Message m = new Message(id, Direction.OUTBOUND, contactId, "+14155550100", "+14155550199", "Hi", Category.TRANSACTIONAL, status,
                List.of(), "simulator", null, "GSM-7", 1, null, null, at, null, origin);
        core.messageStore().create(m);
        return m;
    }

    /** Follows nextCursor from the first page to the last, collecting ids; a duplicate fails. */
    private List<String> all(String route, int limit) throws Exception {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            String path = route + (route.contains("?") ? "&" : "?") + "limit=" + limit
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            APIGatewayV2HTTPResponse page = call(path, ADMIN, "GET", null);
            assertThat(page.getStatusCode()).as(path + ": " + page.getBody()).isEqualTo(200);
            JsonNode body = json(page);
            assertThat(body.get("items").size()).isLessThanOrEqualTo(limit);
            for (JsonNode item : body.get("items")) {
                assertThat(ids).as("duplicate in " + route).doesNotContain(item.get("id").asText());
                ids.add(item.get("id").asText());
            }
            JsonNode next = body.path("nextCursor");
            cursor = next.isMissingNode() || next.isNull() ? null : next.asText();
            assertThat(++pages).as("pages of " + route).isLessThan(100);
        } while (cursor != null);
        return ids;
    }

    private static void assertInvalid(APIGatewayV2HTTPResponse response, String field) throws Exception {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(422);
        assertThat(JSON.readTree(response.getBody()).toString()).contains("\"" + field + "\"");
    }

    private APIGatewayV2HTTPResponse call(String pathAndQuery, String key, String method, String body) {
        return function.handleRequest(GatewayRequests.json(method, pathAndQuery, body, key, Map.of()), null);
    }

    private static JsonNode json(APIGatewayV2HTTPResponse response) throws Exception {
        return JSON.readTree(response.getBody());
    }
}
