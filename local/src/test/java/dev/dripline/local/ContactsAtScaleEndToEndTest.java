package dev.dripline.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.json.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Contacts, consent, segments and imports over HTTP on the local runtime, as an integrator uses them. */
class ContactsAtScaleEndToEndTest {

    private static LocalRuntime runtime;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        runtime = LocalRuntime.start(Map.of("DRIPLINE_PORT", "0", "DRIPLINE_SIMULATOR_LATENCY_MS", "20",
                "DRIPLINE_IMPORT_MAX_BYTES", "200000",
                // It polls the import's progress every 20 ms, faster than a key's default rate.
                "DRIPLINE_API_RATE", "1000", "DRIPLINE_API_BURST", "1000"));
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    record Answer(int status, String contentType, String body, HttpResponse<String> raw) {
        JsonNode json() {
            try {
                return body.isEmpty() ? Json.mapper().nullNode() : Json.mapper().readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    private static Answer api(String method, String path, String body) throws Exception {
        return send(method, path, body, "application/json");
    }

    private static Answer send(String method, String path, String body, String contentType) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(runtime.url() + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", contentType)
                .header("Authorization", "Bearer " + runtime.apiKey());
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body(), response);
    }

    @Test
    void anImportShowsProgressThenItsContactsFormASegment() throws Exception {
        StringBuilder csv = new StringBuilder("phone,firstName,tags,attr.tier,attr.orders,consent.status,consent.source\n");
        for (int i = 0; i < 1500; i++) {
            csv.append("+1646555").append(String.format("%04d", i)).append(",P").append(i).append(',')
                    .append(i % 3 == 0 ? "vip" : "regular").append(',').append(i % 2 == 0 ? "gold" : "silver").append(',')
                    .append(i).append(",opted_in,import\n");
        }
        csv.append("+1646,Broken,vip,gold,1,,\n");
        Answer accepted = send("POST", "/v1/imports", csv.toString(), "text/csv");
        assertThat(accepted.status()).isEqualTo(202);
        assertThat(accepted.json().path("status").asText()).isEqualTo("queued");
        assertThat(accepted.json().path("rows").asInt()).isEqualTo(1501);
        String id = accepted.json().path("id").asText();

        List<Integer> seen = new ArrayList<>();
        JsonNode status = null;
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            status = api("GET", "/v1/imports/" + id, null).json();
            seen.add(status.path("processed").asInt());
            if ("completed".equals(status.path("status").asText())) {
                break;
            }
            Thread.sleep(20);
        }
        assertThat(status.path("status").asText()).isEqualTo("completed");
        assertThat(seen).isSorted();
        assertThat(status.path("created").asInt()).isEqualTo(1500);
        assertThat(status.path("rejected").asInt()).isEqualTo(1);
        assertThat(status.path("errors").get(0).path("row").asInt()).isEqualTo(1502);
        assertThat(status.path("errors").get(0).path("field").asText()).isEqualTo("phone");

        Answer segment = api("POST", "/v1/segments", "{\"name\":\"Gold VIPs with 900+ orders\",\"filter\":{\"all\":["
                + "{\"tag\":\"vip\"},{\"attribute\":\"tier\",\"equals\":\"gold\"},{\"attribute\":\"orders\",\"gte\":900}]}}");
        assertThat(segment.status()).isEqualTo(201);
        assertThat(segment.json().path("evaluation").asText()).isEqualTo("query:tag#vip");
        List<String> names = new ArrayList<>();
        String cursor = null;
        do {
            Answer page = api("GET", "/v1/segments/" + segment.json().path("id").asText() + "/contacts?limit=50"
                    + (cursor == null ? "" : "&cursor=" + cursor), null);
            assertThat(page.status()).isEqualTo(200);
            page.json().path("items").forEach(c -> names.add(c.path("firstName").asText()));
            JsonNode next = page.json().get("nextCursor");
            cursor = next == null || next.isNull() ? null : next.asText();
        } while (cursor != null);
        List<String> expected = new ArrayList<>();
        for (int i = 900; i < 1500; i++) {
            if (i % 3 == 0 && i % 2 == 0) {
                expected.add("P" + i);
            }
        }
        assertThat(names).containsExactlyInAnyOrderElementsOf(expected);

        Answer byTag = api("GET", "/v1/contacts?tag=vip&limit=500", null);
        assertThat(byTag.json().path("items").size()).isEqualTo(500);
        assertThat(byTag.json().path("nextCursor").asText()).isNotEmpty();
        Answer byPhone = api("GET", "/v1/contacts?phone=" + URLEncoder.encode("+16465550007", StandardCharsets.UTF_8), null);
        assertThat(byPhone.json().path("items")).singleElement().satisfies(c -> assertThat(c.path("firstName").asText()).isEqualTo("P7"));
    }

    @Test
    void theConsentLedgerCannotBeChangedThroughAnyRoute() throws Exception {
        Answer created = api("POST", "/v1/contacts", "{\"phone\":\"+14155550701\",\"consent\":{\"status\":\"opted_in\","
                + "\"source\":\"web_form\",\"proof\":\"Yes, text me\"}}");
        String id = created.json().path("id").asText();
        Answer ledger = api("GET", "/v1/contacts/" + id + "/consent", null);
        assertThat(ledger.json().path("items")).hasSize(1);
        String entryId = ledger.json().path("items").get(0).path("entryId").asText();

        for (String path : List.of("/v1/contacts/" + id + "/consent", "/v1/contacts/" + id + "/consent/"
                + URLEncoder.encode(entryId, StandardCharsets.UTF_8), "/v1/consent/export")) {
            for (String method : List.of("PUT", "PATCH", "DELETE", "POST")) {
                Answer answer = api(method, path, "{\"status\":\"opted_out\"}");
                if (method.equals("POST") && path.endsWith("/consent")) {
                    // Issue 19: POST appends a per-topic consent change (a new entry, never an edit); without a topic it is refused.
                    assertThat(answer.status()).as(method + " " + path).isEqualTo(422);
                } else {
                    assertThat(answer.status()).as(method + " " + path).isIn(404, 405);
                }
                assertThat(answer.contentType()).startsWith("application/problem+json");
            }
        }
        assertThat(api("GET", "/v1/contacts/" + id + "/consent", null).body()).isEqualTo(ledger.body());

        Answer csv = api("GET", "/v1/contacts/" + id + "/consent?format=csv", null);
        assertThat(csv.contentType()).startsWith("text/csv");
        assertThat(csv.body()).contains("Yes, text me");
        String from = Instant.now().minus(Duration.ofHours(1)).toString();
        String to = Instant.now().plus(Duration.ofHours(1)).toString();
        Answer export = api("GET", "/v1/consent/export?format=jsonl&limit=1&from=" + from + "&to=" + to, null);
        assertThat(export.status()).isEqualTo(200);
        assertThat(export.contentType()).startsWith("application/x-ndjson");
        assertThat(export.body().split("\n")).hasSize(1);
        Answer bad = api("GET", "/v1/consent/export?format=xml&from=yesterday", null);
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.json().path("errors").findValuesAsText("field")).containsExactlyInAnyOrder("format", "from", "to");
    }

    @Test
    void patchEraseAndRecreateOverHttp() throws Exception {
        String id = api("POST", "/v1/contacts", "{\"phone\":\"+14155550702\",\"firstName\":\"Ada\",\"tags\":[\"vip\"],"
                + "\"attributes\":{\"city\":\"Paris\"}}").json().path("id").asText();
        Answer patched = api("PATCH", "/v1/contacts/" + id, "{\"lastName\":\"Lovelace\",\"attributes\":{\"city\":null,\"tier\":\"gold\"},"
                + "\"tags\":{\"add\":[\"beta\"],\"remove\":[\"vip\"]}}");
        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.json().path("attributes").has("city")).isFalse();
        assertThat(patched.json().path("tags").findValuesAsText("")).isEmpty();
        assertThat(patched.json().path("tags").toString()).isEqualTo("[\"beta\"]");

        Answer bad = api("PATCH", "/v1/contacts/" + id, "{\"email\":\"nope\",\"phone\":\"+1415\",\"id\":\"x\"}");
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.json().path("errors").findValuesAsText("field")).containsExactlyInAnyOrder("email", "phone", "id");
        assertThat(api("PATCH", "/v1/contacts/" + id, "{\"email\": ").status()).isEqualTo(400);
        assertThat(api("PATCH", "/v1/contacts/ct_nobody", "{\"firstName\":\"X\"}").status()).isEqualTo(404);

        Answer export = api("GET", "/v1/contacts/" + id + "/export", null);
        assertThat(export.json().path("contact").path("lastName").asText()).isEqualTo("Lovelace");
        assertThat(api("DELETE", "/v1/contacts/" + id, null).status()).isEqualTo(204);
        assertThat(api("GET", "/v1/contacts/" + id, null).status()).isEqualTo(404);
        Answer again = api("POST", "/v1/contacts", "{\"phone\":\"+14155550702\",\"consent\":{\"status\":\"opted_in\",\"source\":\"web\"}}");
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.json().path("consent").asText()).isEqualTo("opted_out");
    }

    @Test
    void anOversizedBodyIs413BeforeItIsRead() throws Exception {
        Answer contact = api("POST", "/v1/contacts", "{\"phone\":\"+14155550703\",\"firstName\":\"" + "x".repeat(70_000) + "\"}");
        assertThat(contact.status()).isEqualTo(413);
        assertThat(contact.contentType()).startsWith("application/problem+json");
        Answer csv = send("POST", "/v1/imports", "phone\n" + "+14155550704\n".repeat(20_000), "text/csv");
        assertThat(csv.status()).isEqualTo(413);
        assertThat(runtime.dripline().contacts().byPhone("+14155550703")).isEmpty();
    }
}
