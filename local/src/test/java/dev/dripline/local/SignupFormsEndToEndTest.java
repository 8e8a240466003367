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
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sign-up forms on the local runtime, over HTTP as a browser and a handset use them: the page and
 * its security headers, a wrong submission shown again with every error, a right one texted the
 * double opt-in question, Y, and the ledger's entry with the form's consent text; then the
 * per-number limit answering 429.
 */
class SignupFormsEndToEndTest {

    private static final String CONSENT = "I agree to receive recurring marketing texts from Dripline Demo. Msg&data rates may apply. Reply STOP to opt out.";
    private static LocalRuntime runtime;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static RuntimeClient client;

    @BeforeAll
    static void start() {
        runtime = LocalRuntime.start(Map.of("DRIPLINE_PORT", "0", "DRIPLINE_SIMULATOR_LATENCY_MS", "20",
                "DRIPLINE_API_RATE", "1000", "DRIPLINE_API_BURST", "1000", "DRIPLINE_SIGNUP_PER_PHONE", "2"));
        client = new RuntimeClient(runtime);
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    static HttpResponse<String> page(String method, String path, Map<String, String> form) throws Exception {
        StringBuilder encoded = new StringBuilder();
        form.forEach((k, v) -> encoded.append(encoded.isEmpty() ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(runtime.url() + path)).timeout(Duration.ofSeconds(30))
                .header("User-Agent", "SignupFormsEndToEndTest/1.0");
        if (method.equals("POST")) {
            r.POST(HttpRequest.BodyPublishers.ofString(encoded.toString())).header("Content-Type", "application/x-www-form-urlencoded");
        }
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aSubmissionThenYLeavesALedgerEntryWithTheFormsConsentText() throws Exception {
        JsonNode form = client.api("POST", "/v1/signup-forms", Json.write(Map.of("name", "Newsletter", "consentText", CONSENT,
                "fields", List.of("firstName", Map.of("name", "email", "required", true), "zip"), "keyword", "JOIN")));
        String id = form.path("id").asText();
        assertThat(form.path("url").asText()).isEqualTo(runtime.url() + "/join/" + id);

        HttpResponse<String> shown = page("GET", "/join/" + id, Map.of());
        assertThat(shown.statusCode()).isEqualTo(200);
        assertThat(shown.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(shown.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("default-src 'none'", "form-action 'self'", "frame-ancestors 'none'").doesNotContain("script-src", "unsafe-inline");
        assertThat(shown.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(shown.headers().allValues("Referrer-Policy")).containsExactly("same-origin");
        assertThat(shown.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(shown.body()).contains("<html lang=\"en\">", "<form method=\"post\"", "<label for=\"f-phone\">",
                "<label for=\"f-consent\">" + CONSENT.replace("&", "&amp;") + "</label>", "name=\"version\" value=\"1\"").doesNotContain("<script");

        HttpResponse<String> wrong = page("POST", "/join/" + id, Map.of("phone", "555", "email", "nope", "firstName", "<b>Lin</b>"));
        assertThat(wrong.statusCode()).isEqualTo(422);
        assertThat(wrong.body()).contains("role=\"alert\"", "There are 3 problems", "id=\"f-phone-error\"", "id=\"f-email-error\"",
                "id=\"f-consent-error\"", "aria-describedby=\"f-phone-hint f-phone-error\"", "value=\"&lt;b&gt;Lin&lt;/b&gt;\"")
                .doesNotContain("<b>Lin</b>");
        assertThat(runtime.dripline().contacts().byPhone("+14155550188")).isEmpty();

        String phone = "+14155550188";
        HttpResponse<String> done = page("POST", "/join/" + id, Map.of("phone", "(415) 555-0188", "firstName", "Lin",
                "email", "lin@example.com", "zip", "94107", "consent", "yes", "version", "1"));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        assertThat(done.body()).contains("Check your phone");
        List<String> bodies = client.await(phone, b -> !b.isEmpty());
        assertThat(bodies).singleElement().satisfies(b -> assertThat(b).contains("Reply Y to confirm", "Newsletter"));
        String contactId = runtime.dripline().contacts().byPhone(phone).orElseThrow().id();
        assertThat(client.api("GET", "/v1/contacts/" + contactId, null).path("consent").asText()).isEqualTo("pending");

        client.api("POST", "/local/phones/" + phone + "/reply", Json.write(Map.of("body", "Y")));
        client.await(phone, b -> b.size() >= 2);
        JsonNode contact = client.api("GET", "/v1/contacts/" + contactId, null);
        assertThat(contact.path("consent").asText()).isEqualTo("opted_in");
        assertThat(contact.path("firstName").asText()).isEqualTo("Lin");
        JsonNode optedIn = null;
        for (JsonNode e : client.api("GET", "/v1/contacts/" + contactId + "/consent", null).path("items")) {
            if ("opted_in".equals(e.path("status").asText())) {
                optedIn = e;
            }
        }
        assertThat(optedIn).isNotNull();
        assertThat(optedIn.path("source").asText()).isEqualTo("web_form");
        assertThat(optedIn.path("ip").asText()).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(optedIn.path("userAgent").asText()).isEqualTo("SignupFormsEndToEndTest/1.0");
        JsonNode proof = Json.mapper().readTree(optedIn.path("proof").asText());
        assertThat(proof.path("signupForm").asText()).isEqualTo(id);
        assertThat(proof.path("formVersion").asInt()).isEqualTo(1);
        assertThat(proof.path("consentText").asText()).isEqualTo(CONSENT);
        assertThat(proof.path("keyword").asText()).isEqualTo("JOIN");
        assertThat(proof.path("confirmation").asText()).isEqualTo("Y");

        // DRIPLINE_SIGNUP_PER_PHONE=2: the second submission of the number passes, the third is refused with a page.
        Map<String, String> again = Map.of("phone", phone, "email", "lin@example.com", "consent", "yes");
        assertThat(page("POST", "/join/" + id, again).statusCode()).isEqualTo(200);
        HttpResponse<String> limited = page("POST", "/join/" + id, again);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();
        assertThat(limited.body()).contains("Too many sign-ups", "try again");
        assertThat(limited.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("frame-ancestors 'none'");

        assertThat(page("GET", "/join/sf_nothing", Map.of()).statusCode()).isEqualTo(404);
    }
}
