package dev.dripline.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * API.md's abandoned-cart campaign on the local runtime, over HTTP, with the movable clock: a
 * contact in New York abandons a cart at 20:30 local time and is reminded at 09:00 the next
 * morning, not at 21:30; asked a day later; a YES gets help and a tag, a NO ends it, an order
 * ends everything after it, and a STOP stops everything.
 */
class DripEndToEndTest {

    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static LocalRuntime runtime;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static String campaign;

    @BeforeAll
    static void start() throws Exception {
        runtime = LocalRuntime.start(Map.of("DRIPLINE_PORT", "0", "DRIPLINE_SIMULATOR_LATENCY_MS", "20"));
        String definition = java.nio.file.Files.readString(java.nio.file.Path.of("../events/campaign-abandoned-cart.json"));
        JsonNode created = api("POST", "/v1/campaigns", definition);
        campaign = created.path("id").asText();
        assertThat(api("POST", "/v1/campaigns/" + campaign + "/activate", null).path("status").asText()).isEqualTo("active");
        // Every test starts at the next 20:30 in New York.
        advanceTo(nextLocal(LocalTime.of(20, 30)));
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    static JsonNode api(String method, String path, String body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(runtime.url() + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + runtime.apiKey());
        HttpResponse<String> response = HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isLessThan(300);
        return response.body().isEmpty() ? Json.mapper().nullNode() : Json.mapper().readTree(response.body());
    }

    static Instant now() throws Exception {
        return Instant.parse(api("GET", "/local/clock", null).path("now").asText());
    }

    static ZonedDateTime nextLocal(LocalTime time) throws Exception {
        ZonedDateTime local = now().atZone(NEW_YORK);
        ZonedDateTime target = local.toLocalDate().atTime(time).atZone(NEW_YORK);
        return target.isAfter(local) ? target : local.toLocalDate().plusDays(1).atTime(time).atZone(NEW_YORK);
    }

    static void advanceTo(ZonedDateTime target) throws Exception {
        Duration by = Duration.between(now(), target.toInstant());
        if (!by.isNegative() && !by.isZero()) {
            api("POST", "/local/clock/advance", "{\"duration\":\"" + by + "\"}");
        }
    }

    static JsonNode handset(String phone) throws Exception {
        return api("GET", "/local/phones/" + phone + "/messages", null).path("items");
    }

    static JsonNode waitFor(String phone, Predicate<JsonNode> until) throws Exception {
        Instant deadline = Instant.now().plusSeconds(15);
        JsonNode items = handset(phone);
        while (!until.test(items) && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
            items = handset(phone);
        }
        return items;
    }

    static JsonNode enrolment(String contactId) throws Exception {
        return api("GET", "/v1/campaigns/" + campaign + "/enrolments/" + contactId, null);
    }

    static JsonNode waitForEnrolment(String contactId, Predicate<JsonNode> until) throws Exception {
        Instant deadline = Instant.now().plusSeconds(15);
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(runtime.url() + "/v1/campaigns/" + campaign
                    + "/enrolments/" + contactId)).header("Authorization", "Bearer " + runtime.apiKey()).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200 && until.test(Json.mapper().readTree(r.body()))) {
                return Json.mapper().readTree(r.body());
            }
            Thread.sleep(50);
        }
        throw new AssertionError("enrolment of " + contactId + " never got there");
    }

    static String contact(String phone, String name) throws Exception {
        return api("POST", "/v1/contacts", "{\"phone\":\"" + phone + "\",\"firstName\":\"" + name
                + "\",\"consent\":{\"status\":\"opted_in\",\"source\":\"checkout\",\"proof\":\"Text me offers\"}}").path("id").asText();
    }

    static LocalTime localTime(JsonNode message) {
        return Instant.parse(message.path("at").asText()).atZone(NEW_YORK).toLocalTime();
    }

    @Test
    void theWholeAbandonedCartOnTheSimulatedCarrier() throws Exception {
        synchronized (DripEndToEndTest.class) {
            ZonedDateTime start = now().atZone(NEW_YORK);
            assertThat(start.toLocalTime()).isBetween(LocalTime.of(20, 30), LocalTime.of(20, 31));
            LocalDate day = start.toLocalDate();
            String yes = "+12125550131";
            String no = "+12125550132";
            String buyer = "+12125550133";
            String stopper = "+12125550134";
            String yesId = contact(yes, "Ada");
            String noId = contact(no, "Bo");
            String buyerId = contact(buyer, "Cy");
            String stopperId = contact(stopper, "Di");
            for (String id : new String[] {yesId, noId, buyerId, stopperId}) {
                api("POST", "/v1/events", "{\"contactId\":\"" + id + "\",\"name\":\"cart_abandoned\",\"properties\":{\"cartUrl\":\"https://shop.example/cart/" + id + "\"}}");
            }
            for (String id : new String[] {yesId, noId, buyerId, stopperId}) {
                waitForEnrolment(id, e -> "remind".equals(e.path("stepId").asText()));
            }

            // 21:30: outside the 09:00-20:00 window, so the reminder waits for the morning.
            advanceTo(day.atTime(21, 30).atZone(NEW_YORK));
            waitForEnrolment(yesId, e -> e.path("dueAt").asText().equals(day.plusDays(1).atTime(9, 0).atZone(NEW_YORK).toInstant().toString()));
            assertThat(handset(yes)).isEmpty();

            advanceTo(day.plusDays(1).atTime(9, 0).atZone(NEW_YORK));
            JsonNode first = waitFor(yes, items -> items.size() == 1).get(0);
            assertThat(localTime(first).getHour()).isEqualTo(9);
            assertThat(localTime(first).getMinute()).isZero();
            assertThat(first.path("body").asText()).startsWith("Dripline Demo: Hi Ada, your cart is waiting http").endsWith("Reply STOP to opt out");
            waitFor(stopper, items -> items.size() == 1);

            // The buyer orders after the first reminder: nothing after it.
            api("POST", "/v1/events", "{\"contactId\":\"" + buyerId + "\",\"name\":\"order_completed\"}");
            waitForEnrolment(buyerId, e -> "exited".equals(e.path("state").asText()));
            // The stopper replies STOP: one confirmation, then nothing.
            api("POST", "/local/phones/" + stopper + "/reply", "{\"body\":\"STOP\"}");
            waitForEnrolment(stopperId, e -> "exited".equals(e.path("state").asText()));

            advanceTo(day.plusDays(2).atTime(9, 0).atZone(NEW_YORK));
            JsonNode question = waitFor(yes, items -> items.size() == 2).get(1);
            assertThat(question.path("body").asText()).isEqualTo("Dripline Demo: Need a hand finishing your order? Reply YES or NO");
            assertThat(localTime(question).getHour()).isEqualTo(9);
            waitFor(no, items -> items.size() == 2);

            api("POST", "/local/phones/" + yes + "/reply", "{\"body\":\"yes\"}");
            api("POST", "/local/phones/" + no + "/reply", "{\"body\":\"No\"}");
            JsonNode yesItems = waitFor(yes, items -> items.size() == 4);
            assertThat(yesItems.get(3).path("body").asText()).isEqualTo("Dripline Demo: An agent will text you shortly.");
            waitForEnrolment(yesId, e -> "completed".equals(e.path("state").asText()));
            assertThat(api("GET", "/v1/contacts/" + yesId, null).path("tags").toString()).contains("needs-help");
            waitForEnrolment(noId, e -> "completed".equals(e.path("state").asText()));

            advanceTo(day.plusDays(6).atTime(12, 0).atZone(NEW_YORK));
            runtime.awaitSettled(Duration.ofSeconds(20));
            assertThat(handset(no)).hasSize(3);
            assertThat(handset(buyer)).as("only the first reminder").hasSize(1);
            JsonNode stopperItems = handset(stopper);
            assertThat(stopperItems).hasSize(3);
            assertThat(stopperItems.get(2).path("body").asText()).contains("unsubscribed");
        }
    }
}
