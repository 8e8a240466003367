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
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Appointment reminders on the local runtime, over HTTP, with the movable clock
 * (events/campaign-appointment-reminder.json): booked for 14:30 on a day, the reminder arrives at
 * 09:00 New York time the day before; rebooked two days later it moves and the old time sends
 * nothing; two appointments of one contact both arrive; a cancelled one sends nothing; one less
 * than a day away skips the reminder, or with {@code "ifPast": "now"} is reminded at once.
 */
class RemindersEndToEndTest {

    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalRuntime runtime;
    private static String campaign;

    @BeforeAll
    static void start() throws Exception {
        runtime = LocalRuntime.start(Map.of("DRIPLINE_PORT", "0", "DRIPLINE_SIMULATOR_LATENCY_MS", "20"));
        String definition = java.nio.file.Files.readString(java.nio.file.Path.of("../events/campaign-appointment-reminder.json"));
        campaign = api("POST", "/v1/campaigns", definition).path("id").asText();
        assertThat(api("POST", "/v1/campaigns/" + campaign + "/activate", null).path("status").asText()).isEqualTo("active");
        // Every test starts at the next noon in New York.
        ZonedDateTime local = now().atZone(NEW_YORK);
        advanceTo(local.toLocalDate().plusDays(1).atTime(12, 0).atZone(NEW_YORK));
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    static JsonNode api(String method, String path, String body) throws Exception {
        HttpResponse<String> response = call(method, path, body);
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isLessThan(300);
        return response.body().isEmpty() ? Json.mapper().nullNode() : Json.mapper().readTree(response.body());
    }

    static HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(runtime.url() + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + runtime.apiKey());
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    static Instant now() throws Exception {
        return Instant.parse(api("GET", "/local/clock", null).path("now").asText());
    }

    static void advanceTo(ZonedDateTime target) throws Exception {
        Duration by = Duration.between(now(), target.toInstant());
        if (!by.isNegative() && !by.isZero()) {
            api("POST", "/local/clock/advance", "{\"duration\":\"" + by + "\"}");
        }
        runtime.awaitSettled(Duration.ofSeconds(20));
    }

    static String contact(String phone, String name) throws Exception {
        return api("POST", "/v1/contacts", "{\"phone\":\"" + phone + "\",\"firstName\":\"" + name
                + "\",\"consent\":{\"status\":\"opted_in\",\"source\":\"booking\",\"proof\":\"Text me reminders\"}}").path("id").asText();
    }

    static void event(String contactId, String name, String appointmentId, ZonedDateTime at) throws Exception {
        String when = at == null ? "" : ",\"appointmentAt\":\"" + at.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME) + "\"";
        api("POST", "/v1/events", "{\"contactId\":\"" + contactId + "\",\"name\":\"" + name + "\",\"properties\":{\"appointmentId\":\""
                + appointmentId + "\"" + when + "}}");
    }

    static JsonNode waitForEnrolment(String campaignId, String contactId, String key, Predicate<JsonNode> until) throws Exception {
        Instant deadline = Instant.now().plusSeconds(15);
        String path = "/v1/campaigns/" + campaignId + "/enrolments/" + contactId + "?key=" + URLEncoder.encode(key, StandardCharsets.UTF_8);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> r = call("GET", path, null);
            if (r.statusCode() == 200) {
                last = Json.mapper().readTree(r.body());
                if (until.test(last)) {
                    return last;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the run " + key + " of " + contactId + " never got there; last seen " + last);
    }

    /** When the handset received each message, New York time to the minute, oldest first. */
    static List<ZonedDateTime> received(String phone) throws Exception {
        List<ZonedDateTime> at = new ArrayList<>();
        for (JsonNode m : api("GET", "/local/phones/" + phone + "/messages", null).path("items")) {
            if (!"inbound".equals(m.path("direction").asText())) {
                at.add(Instant.parse(m.path("at").asText()).atZone(NEW_YORK).truncatedTo(java.time.temporal.ChronoUnit.MINUTES));
            }
        }
        return at;
    }

    static List<String> bodies(String phone) throws Exception {
        List<String> out = new ArrayList<>();
        api("GET", "/local/phones/" + phone + "/messages", null).path("items").forEach(m -> out.add(m.path("body").asText()));
        return out;
    }

    static ZonedDateTime at(LocalDate day, int hour, int minute) {
        return day.atTime(hour, minute).atZone(NEW_YORK);
    }

    static String dueOf(ZonedDateTime t) {
        return t.toInstant().toString();
    }

    @Test
    void aReminderMovedByAReschedulePairedWithASecondAppointmentAndACancellation() throws Exception {
        synchronized (RemindersEndToEndTest.class) {
            String phone = "+12125550171";
            String ada = contact(phone, "Ada");
            LocalDate today = now().atZone(NEW_YORK).toLocalDate();
            LocalDate day = today.plusDays(3);

            event(ada, "appointment_booked", "apt-1", at(day, 14, 30));
            waitForEnrolment(campaign, ada, "apt-1", e -> dueOf(at(day.minusDays(1), 9, 0)).equals(e.path("dueAt").asText()));

            // Rebooked for two days later: the run moves, and the old time sends nothing.
            event(ada, "appointment_booked", "apt-1", at(day.plusDays(2), 14, 30));
            JsonNode moved = waitForEnrolment(campaign, ada, "apt-1", e -> dueOf(at(day.plusDays(1), 9, 0)).equals(e.path("dueAt").asText()));
            assertThat(moved.path("key").asText()).isEqualTo("apt-1");
            advanceTo(at(day.minusDays(1), 10, 0));
            assertThat(received(phone)).as("nothing at the old time").isEmpty();

            // A second appointment of the same contact runs beside the first; a third is cancelled.
            event(ada, "appointment_booked", "apt-2", at(day.plusDays(1), 11, 0));
            event(ada, "appointment_booked", "apt-3", at(day.plusDays(3), 16, 0));
            waitForEnrolment(campaign, ada, "apt-3", e -> "active".equals(e.path("state").asText()));
            event(ada, "appointment_cancelled", "apt-3", null);
            waitForEnrolment(campaign, ada, "apt-3", e -> "exited".equals(e.path("state").asText()));
            assertThat(waitForEnrolment(campaign, ada, "apt-1", e -> true).path("state").asText()).isEqualTo("active");

            advanceTo(at(day.plusDays(5), 12, 0));
            assertThat(received(phone)).as("apt-2 the day before it, apt-1 the day before its new date, nothing for apt-3")
                    .containsExactly(at(day, 9, 0), at(day.plusDays(1), 9, 0));
            assertThat(bodies(phone).get(1)).contains("Hi Ada, see you tomorrow: appointment apt-1 at " + day.plusDays(2) + "T14:30");
            assertThat(received(phone)).allSatisfy(t -> assertThat(t.toLocalTime()).isEqualTo(LocalTime.of(9, 0)));
        }
    }

    @Test
    void anAppointmentLessThanADayAwaySkipsTheReminderOrWithIfPastNowIsRemindedAtOnce() throws Exception {
        synchronized (RemindersEndToEndTest.class) {
            String skipper = "+12125550172";
            String prompt = "+12125550173";
            String bo = contact(skipper, "Bo");
            String cy = contact(prompt, "Cy");
            String definition = java.nio.file.Files.readString(java.nio.file.Path.of("../events/campaign-appointment-reminder.json"))
                    .replace("appointment_booked", "callback_booked").replace("\"at\": \"09:00\"", "\"at\": \"09:00\", \"ifPast\": \"now\"");
            String atOnce = api("POST", "/v1/campaigns", definition).path("id").asText();
            api("POST", "/v1/campaigns/" + atOnce + "/activate", null);
            ZonedDateTime soon = now().atZone(NEW_YORK).plusHours(20);

            event(bo, "appointment_booked", "apt-9", soon);
            JsonNode skipped = waitForEnrolment(campaign, bo, "apt-9", e -> "completed".equals(e.path("state").asText()));
            assertThat(skipped.path("history").toString()).contains("skipped: due at");
            event(cy, "callback_booked", "cb-1", soon);
            waitForEnrolment(atOnce, cy, "cb-1", e -> "completed".equals(e.path("state").asText()));
            runtime.awaitSettled(Duration.ofSeconds(20));
            Instant sentAt = now();

            advanceTo(soon.plusDays(1));
            assertThat(received(skipper)).isEmpty();
            assertThat(received(prompt)).singleElement().satisfies(t ->
                    assertThat(Duration.between(t.toInstant(), sentAt).abs()).isLessThan(Duration.ofMinutes(1)));
        }
    }
}
