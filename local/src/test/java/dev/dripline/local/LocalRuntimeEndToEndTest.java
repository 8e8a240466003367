package dev.dripline.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.json.Json;
import dev.dripline.messaging.Message;
import dev.dripline.messaging.MessageStatus;
import dev.dripline.webhooks.SimulatorSignature;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.dripline.webhooks.Form;
import dev.dripline.webhooks.twilio.TwilioSignature;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The local runtime over HTTP, as an integrator, a provider and a handset use it. */
class LocalRuntimeEndToEndTest {

    private static LocalRuntime runtime;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String TWILIO_TOKEN = "e2e-twilio-auth-token-0123456789";
    private static final String UNSUBSCRIBED = "Dripline Demo: You are unsubscribed and will receive no more messages. Reply START to resubscribe.";

    @BeforeAll
    static void start() {
        runtime = LocalRuntime.start(Map.of("DRIPLINE_PORT", "0", "DRIPLINE_SIMULATOR_LATENCY_MS", "50",
                "DRIPLINE_TWILIO_AUTH_TOKEN", TWILIO_TOKEN));
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    record Answer(int status, String contentType, JsonNode json) {
    }

    private static Answer call(String method, String path, String body, String key) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(runtime.url() + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = response.body().isEmpty() ? Json.mapper().nullNode() : Json.mapper().readTree(response.body());
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), json);
    }

    private static Answer withIdempotencyKey(String key, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(runtime.url() + "/v1/messages")).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + runtime.apiKey()).header("Idempotency-Key", key).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                Json.mapper().readTree(response.body()));
    }

    @Test
    void aRetriedPostWithTheSameIdempotencyKeySendsOneMessage() throws Exception {
        String body = "{\"to\":\"+14155550157\",\"body\":\"Your order has shipped\"}";
        Answer first = withIdempotencyKey("order-9-shipped", body);
        Answer retry = withIdempotencyKey("order-9-shipped", body);
        assertThat(first.status()).isEqualTo(202);
        assertThat(retry.status()).isEqualTo(202);
        assertThat(retry.json().path("id").asText()).isEqualTo(first.json().path("id").asText());
        Answer reused = withIdempotencyKey("order-9-shipped", "{\"to\":\"+14155550157\",\"body\":\"Something else\"}");
        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.json().path("errors").findValuesAsText("field")).containsExactly("Idempotency-Key");
        eventually(Duration.ofSeconds(10), () -> call("GET", "/local/phones/+14155550157/messages", null, null).json(),
                h -> h.path("items").size() >= 1);
        runtime.awaitSettled(Duration.ofSeconds(20));
        assertThat(call("GET", "/local/phones/+14155550157/messages", null, null).json().path("items")).hasSize(1);
    }

    private static Answer api(String method, String path, String body) throws IOException, InterruptedException {
        return call(method, path, body, runtime.apiKey());
    }

    private static JsonNode eventually(Duration within, CheckedSupplier<JsonNode> probe, Predicate<JsonNode> until) throws Exception {
        Instant deadline = Instant.now().plus(within);
        JsonNode last = probe.get();
        while (!until.test(last) && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
            last = probe.get();
        }
        return last;
    }

    interface CheckedSupplier<T> {
        T get() throws Exception;
    }

    @Test
    void aTransactionalMessageTravelsFromTheApiToTheHandsetAndIsDelivered() throws Exception {
        Answer created = api("POST", "/v1/contacts", "{\"phone\":\"+14155550150\",\"firstName\":\"Ada\"}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("phone").asText()).isEqualTo("+14155550150");

        Answer accepted = api("POST", "/v1/messages", "{\"to\":\"+14155550150\",\"body\":\"Your code is 123456\"}");
        assertThat(accepted.status()).isEqualTo(202);
        assertThat(accepted.json().path("status").asText()).isEqualTo("accepted");
        String id = accepted.json().path("id").asText();

        JsonNode message = eventually(Duration.ofSeconds(10), () -> api("GET", "/v1/messages/" + id, null).json(),
                m -> m.path("history").size() == 4);
        assertThat(message.path("status").asText()).isEqualTo("delivered");
        assertThat(message.path("provider").asText()).isEqualTo("simulator");
        // The history records reports as they arrive. The two receipts travel separately and may arrive in either
        // order, and on a busy machine the carrier's first receipt can arrive before the sender has written its own
        // hand-over (two writers racing); the status is the same.
        assertThat(message.path("history").findValuesAsText("status").get(0)).isEqualTo("accepted");
        assertThat(message.path("history").findValuesAsText("status").subList(1, 4)).containsExactlyInAnyOrder("queued", "sent", "delivered");

        JsonNode handset = call("GET", "/local/phones/+14155550150/messages", null, null).json();
        assertThat(handset.path("items")).singleElement().satisfies(item -> {
            assertThat(item.path("body").asText()).isEqualTo("Your code is 123456");
            assertThat(item.path("direction").asText()).isEqualTo("outbound");
        });
    }

    @Test
    void upsertingAKnownNumberAnswers200WithTheSameContact() throws Exception {
        Answer first = api("POST", "/v1/contacts", "{\"phone\":\"+14155550151\"}");
        Answer second = api("POST", "/v1/contacts", "{\"phone\":\"(415) 555-0151\",\"country\":\"US\",\"lastName\":\"Byron\"}");
        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().path("id").asText()).isEqualTo(first.json().path("id").asText());
        assertThat(second.json().path("lastName").asText()).isEqualTo("Byron");
    }

    @Test
    void aMissingOrWrongApiKeyIs401ProblemJson() throws Exception {
        for (String key : new String[] {null, "dl_local_wrong_wrong_wrong_wrong"}) {
            Answer answer = call("POST", "/v1/contacts", "{\"phone\":\"+14155550152\"}", key);
            assertThat(answer.status()).isEqualTo(401);
            assertThat(answer.contentType()).startsWith("application/problem+json");
            assertThat(answer.json().path("status").asInt()).isEqualTo(401);
            assertThat(answer.json().path("title").asText()).isEqualTo("Unauthorized");
        }
        assertThat(runtime.dripline().contacts().byPhone("+14155550152")).isEmpty();
    }

    @Test
    void malformedJsonIs400NamingWhereItBroke() throws Exception {
        Answer answer = api("POST", "/v1/contacts", "{\"phone\": ");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.json().path("detail").asText()).contains("not valid JSON").contains("line 1");
    }

    @Test
    void everyInvalidFieldIs422NamedInErrors() throws Exception {
        Answer answer = api("POST", "/v1/contacts", "{\"phone\":\"+1415\",\"email\":\"nope\",\"timeZone\":\"Mars/Base\"}");
        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.json().path("errors").findValuesAsText("field")).containsExactlyInAnyOrder("phone", "email", "timeZone");
        Answer message = api("POST", "/v1/messages", "{\"to\":\"+14155550153\",\"category\":\"promo\"}");
        assertThat(message.status()).isEqualTo(422);
        assertThat(message.json().path("errors").findValuesAsText("field")).containsExactlyInAnyOrder("body", "category");
    }

    @Test
    void anUnknownRouteIs404ProblemJson() throws Exception {
        Answer answer = api("GET", "/v1/nothing-here", null);
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.contentType()).startsWith("application/problem+json");
    }

    @Test
    void unsignedTamperedOrReplayedReceiptsAreRefusedAndChangeNothing() throws Exception {
        String id = api("POST", "/v1/messages", "{\"to\":\"+14155550154\",\"body\":\"hello\"}").json().path("id").asText();
        eventually(Duration.ofSeconds(10), () -> api("GET", "/v1/messages/" + id, null).json(),
                m -> "delivered".equals(m.path("status").asText()));
        String path = "/webhooks/simulator/status?m=" + id;
        String body = "{\"id\":\"sim_forged\",\"status\":\"failed\"}";
        String url = runtime.dripline().settings().publicUrl() + path;
        String secret = runtime.dripline().settings().simulator().secret().reveal();
        Instant now = runtime.clock().instant();
        String[] headers = {
            null,
            SimulatorSignature.sign(secret, now, url, body.replace("failed", "sent")),
            SimulatorSignature.sign(secret, now.minus(Duration.ofMinutes(6)), url, body),
            SimulatorSignature.sign("not-the-secret-at-all", now, url, body),
            SimulatorSignature.sign(secret, now, url.replace(id, "msg_other"), body),
        };
        for (String header : headers) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(runtime.url() + path))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
            if (header != null) {
                request.header(SimulatorSignature.HEADER, header);
            }
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("signature %s", header).isEqualTo(403);
        }
        Message stored = runtime.dripline().messages().get(id).orElseThrow();
        assertThat(stored.status()).isEqualTo(MessageStatus.DELIVERED);
        assertThat(stored.history()).hasSize(4);
    }

    @Test
    void aHandsetReplyReachesDriplineThroughTheSignedWebhook() throws Exception {
        Answer reply = call("POST", "/local/phones/+14155550155/reply", "{\"body\":\"Hello there\"}", null);
        assertThat(reply.status()).isEqualTo(202);
        assertThat(reply.json().path("webhookStatus").asInt()).isEqualTo(204);
        String contactId = runtime.dripline().contacts().byPhone("+14155550155").orElseThrow().id();
        Message inbound = runtime.dripline().messages().get("in_simulator_" + reply.json().path("id").asText()).orElseThrow();
        assertThat(inbound.contactId()).isEqualTo(contactId);
        assertThat(inbound.body()).isEqualTo("Hello there");
    }

    @Test
    void manyHandsetsReplyingAtOnceAllReachDriplineWithoutStallingTheServer() throws Exception {
        // Each reply blocks until Dripline's own webhook answers: had those requests run on the
        // server's event loop, a handful at once would starve the webhooks they wait for.
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(12);
        java.util.List<java.util.concurrent.Future<Answer>> replies = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String phone = "+1415555" + (2100 + i);
            replies.add(pool.submit(() -> call("POST", "/local/phones/" + phone + "/reply", "{\"body\":\"hi\"}", null)));
        }
        for (java.util.concurrent.Future<Answer> reply : replies) {
            assertThat(reply.get(20, java.util.concurrent.TimeUnit.SECONDS).json().path("webhookStatus").asInt()).isEqualTo(204);
        }
        pool.shutdown();
    }

    @Test
    void aScheduledMessageWaitsForItsTimeOnTheMovableClock() throws Exception {
        Instant sendAt = runtime.clock().instant().plus(Duration.ofHours(1));
        String id = api("POST", "/v1/messages",
                "{\"to\":\"+14155550156\",\"body\":\"See you tomorrow\",\"sendAt\":\"" + sendAt + "\"}").json().path("id").asText();
        runtime.awaitSettled(Duration.ofSeconds(20));
        assertThat(call("GET", "/local/phones/+14155550156/messages", null, null).json().path("items")).isEmpty();

        Answer advanced = call("POST", "/local/clock/advance", "{\"duration\":\"PT1H\"}", null);
        assertThat(advanced.status()).isEqualTo(200);
        JsonNode message = eventually(Duration.ofSeconds(10), () -> api("GET", "/v1/messages/" + id, null).json(),
                m -> "delivered".equals(m.path("status").asText()));
        assertThat(message.path("status").asText()).isEqualTo("delivered");
        JsonNode handset = call("GET", "/local/phones/+14155550156/messages", null, null).json();
        assertThat(Instant.parse(handset.path("items").get(0).path("at").asText())).isAfterOrEqualTo(sendAt);
    }

    @Test
    void whenTheQueuesHaveSettledWhatWasSentIsOnTheHandset() throws Exception {
        assertThat(api("POST", "/v1/messages", "{\"to\":\"+14155550158\",\"body\":\"Your table is ready\"}").status()).isEqualTo(202);
        runtime.awaitSettled(Duration.ofSeconds(20));
        assertThat(call("GET", "/local/phones/+14155550158/messages", null, null).json().path("items").findValuesAsText("body"))
                .as("no polling: settled means handed to the carrier").containsExactly("Your table is ready");
    }

    /** LocalQueuesTest holds {@link LocalQueues} to template.yaml; this, the runtime's queues to it (they had 60 s each). */
    @Test
    void theRuntimesQueuesRetryAndDeadLetterAsTheTemplatesDo() {
        for (LocalQueues.Shape shape : LocalQueues.SHAPES) {
            var a = runtime.engines().sqs().getQueueAttributes(r -> r.queueUrl(runtime.queueUrls().get(shape.name())).attributeNames(
                    QueueAttributeName.ALL)).attributes();
            assertThat(a.get(QueueAttributeName.VISIBILITY_TIMEOUT)).as(shape.name())
                    .isEqualTo(Long.toString(shape.visibilityTimeout().toSeconds()));
            assertThat(a.get(QueueAttributeName.DELAY_SECONDS)).as(shape.name())
                    .isEqualTo(Long.toString(shape.delay().toSeconds()));
            JsonNode redrive = Json.read(a.get(QueueAttributeName.REDRIVE_POLICY), JsonNode.class);
            assertThat(redrive.path("maxReceiveCount").asInt()).as(shape.name()).isEqualTo(shape.maxReceiveCount());
            assertThat(redrive.path("deadLetterTargetArn").asText()).as(shape.name()).endsWith(shape.name() + "-dlq");
        }
    }

    @Test
    void theClockOnlyMovesForward() throws Exception {
        Answer answer = call("POST", "/local/clock/advance", "{\"duration\":\"-PT1H\"}", null);
        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.json().path("errors").findValuesAsText("field")).containsExactly("duration");
    }

    private static JsonNode handset(String phone) throws Exception {
        return call("GET", "/local/phones/" + phone + "/messages", null, null).json().path("items");
    }

    private static List<String> received(String phone) throws Exception {
        List<String> bodies = new ArrayList<>();
        for (JsonNode item : handset(phone)) {
            if ("outbound".equals(item.path("direction").asText())) {
                bodies.add(item.path("body").asText());
            }
        }
        return bodies;
    }

    private static List<String> receivedEventually(String phone, Predicate<List<String>> until) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        List<String> last = received(phone);
        while (!until.test(last) && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
            last = received(phone);
        }
        return last;
    }

    /** Marketing as sent: the brand first, the opt-out instructions last. */
    private static final String DEAL = "Dripline Demo: Deal of the day Reply STOP to opt out";
    private static final String WELCOME = "Dripline Demo: Welcome back Reply STOP to opt out";

    /** A zone where it is about noon now: marketing in these tests must not wait for quiet hours. */
    static String middayZone() {
        int offset = 12 - java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).getHour();
        return offset == 0 ? "Etc/GMT" : offset > 0 ? "Etc/GMT-" + offset : "Etc/GMT+" + (-offset);
    }

    private static void reply(String phone, String body) throws Exception {
        Answer answer = call("POST", "/local/phones/" + phone + "/reply", Json.write(Map.of("body", body)), null);
        assertThat(answer.json().path("webhookStatus").asInt()).as("webhook answer to %s", body).isEqualTo(204);
    }

    @Test
    void stopIsConfirmedOnceThenNothingIsSentUntilStart() throws Exception {
        String phone = "+14155550160";
        assertThat(api("POST", "/v1/contacts", "{\"phone\":\"" + phone + "\",\"timeZone\":\"" + middayZone() + "\","
                + "\"consent\":{\"status\":\"opted_in\",\"source\":\"web_form\",\"proof\":\"Text me deals\"}}").status()).isEqualTo(201);
        assertThat(api("POST", "/v1/messages", "{\"to\":\"" + phone + "\",\"body\":\"Deal of the day\",\"category\":\"marketing\"}")
                .status()).isEqualTo(202);
        assertThat(receivedEventually(phone, b -> b.size() == 1)).containsExactly(DEAL);

        reply(phone, "Stop");
        assertThat(receivedEventually(phone, b -> b.size() == 2)).containsExactly(DEAL, UNSUBSCRIBED);
        reply(phone, "STOP");
        runtime.awaitSettled(Duration.ofSeconds(20));
        assertThat(received(phone)).containsExactly(DEAL, UNSUBSCRIBED);

        Answer refused = api("POST", "/v1/messages", "{\"to\":\"" + phone + "\",\"body\":\"Your order shipped\"}");
        assertThat(refused.status()).isEqualTo(409);
        runtime.awaitSettled(Duration.ofSeconds(20));
        assertThat(received(phone)).hasSize(2);

        reply(phone, "START");
        assertThat(receivedEventually(phone, b -> b.size() == 3).get(2)).startsWith("Dripline Demo: You are subscribed again");
        assertThat(api("POST", "/v1/messages", "{\"to\":\"" + phone + "\",\"body\":\"Welcome back\",\"category\":\"marketing\"}")
                .status()).isEqualTo(202);
        assertThat(receivedEventually(phone, b -> b.size() == 4).get(3)).isEqualTo(WELCOME);

        String contactId = runtime.dripline().contacts().byPhone(phone).orElseThrow().id();
        JsonNode ledger = Json.mapper().valueToTree(runtime.dripline().consentLedger().entries(contactId));
        assertThat(ledger.findValuesAsText("status")).containsExactly("opted_in", "opted_out", "opted_in");
        assertThat(ledger.findValuesAsText("source")).containsExactly("web_form", "keyword", "keyword");

        // The conversation: both directions, oldest first, with statuses, in pages.
        JsonNode first = api("GET", "/v1/contacts/" + contactId + "/messages?limit=3", null).json();
        assertThat(first.path("items").findValuesAsText("body")).containsExactly(DEAL, "Stop", UNSUBSCRIBED);
        assertThat(first.path("items").findValuesAsText("direction")).containsExactly("outbound", "inbound", "outbound");
        assertThat(first.path("items").get(1).path("status").asText()).isEqualTo("delivered");
        String cursor = first.path("nextCursor").asText();
        assertThat(cursor).isNotBlank();
        JsonNode rest = api("GET", "/v1/contacts/" + contactId + "/messages?limit=500&cursor=" + cursor, null).json();
        assertThat(rest.path("items").findValuesAsText("body")).startsWith("STOP", "START").contains(WELCOME);
        assertThat(rest.path("nextCursor").isNull() || rest.path("nextCursor").isMissingNode()).isTrue();
        assertThat(api("GET", "/v1/contacts/" + contactId + "/messages?limit=501", null).status()).isEqualTo(422);
        assertThat(api("GET", "/v1/contacts/" + contactId + "/messages?cursor=bm9wZQ", null).status()).isEqualTo(422);
        assertThat(api("GET", "/v1/contacts/ct_nobody/messages", null).status()).isEqualTo(404);
    }

    @Test
    void chineseOptOutIsConfirmedInChineseAndHelpAnswers() throws Exception {
        String phone = "+14155550161";
        reply(phone, "帮助");
        assertThat(receivedEventually(phone, b -> b.size() == 1))
                .containsExactly("Dripline Demo：回复退订取消订阅。可能产生短信和流量费用。");
        reply(phone, "退订");
        List<String> bodies = receivedEventually(phone, b -> b.size() == 2);
        assertThat(bodies.get(1)).isEqualTo("Dripline Demo：您已退订，将不会再收到任何消息。回复START重新订阅。");
        reply(phone, "help");
        runtime.awaitSettled(Duration.ofSeconds(20));
        assertThat(received(phone)).hasSize(2);
        assertThat(api("POST", "/v1/messages", "{\"to\":\"" + phone + "\",\"body\":\"hi\"}").status()).isEqualTo(409);
    }

    private static HttpResponse<String> twilio(String pathAndQuery, String form, boolean sign) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(runtime.url() + pathAndQuery))
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .header("Content-Type", "application/x-www-form-urlencoded");
        if (sign) {
            request.header(TwilioSignature.HEADER, TwilioSignature.compute(TWILIO_TOKEN,
                    runtime.dripline().settings().publicUrl() + pathAndQuery, Form.parse(form)));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aSignedTwilioInboundIsAcceptedWithEmptyTwimlAndAnUnsignedOneIs403() throws Exception {
        String form = "ToCountry=US&MessageSid=SMe2e0001&AccountSid=AC123&From=%2B14155550162&To=%2B18335550100"
                + "&Body=Hello+from+Twilio+%E2%9C%93&NumMedia=0";
        HttpResponse<String> unsigned = twilio("/webhooks/twilio/inbound", form.replace("SMe2e0001", "SMe2e0002"), false);
        assertThat(unsigned.statusCode()).isEqualTo(403);
        assertThat(runtime.dripline().messages().get("in_twilio_SMe2e0002")).isEmpty();
        HttpResponse<String> tampered = HTTP.send(HttpRequest.newBuilder(URI.create(runtime.url() + "/webhooks/twilio/inbound"))
                .POST(HttpRequest.BodyPublishers.ofString(form.replace("SMe2e0001", "SMe2e0003")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header(TwilioSignature.HEADER, TwilioSignature.compute(TWILIO_TOKEN,
                        runtime.dripline().settings().publicUrl() + "/webhooks/twilio/inbound", Form.parse(form)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(tampered.statusCode()).isEqualTo(403);
        assertThat(runtime.dripline().messages().get("in_twilio_SMe2e0003")).isEmpty();

        HttpResponse<String> accepted = twilio("/webhooks/twilio/inbound", form, true);
        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(accepted.headers().firstValue("Content-Type").orElse("")).startsWith("text/xml");
        assertThat(accepted.body()).contains("<Response/>");
        Message inbound = runtime.dripline().messages().get("in_twilio_SMe2e0001").orElseThrow();
        assertThat(inbound.body()).isEqualTo("Hello from Twilio ✓");
        assertThat(inbound.from()).isEqualTo("+14155550162");
    }

    @Test
    void aTwilioWebhookByGetIsCheckedOverTheUrlWithItsQueryAndAccepted() throws Exception {
        // Issue 14: Twilio numbers may be set to call their webhooks by GET; that used to get 405.
        String query = "MessageSid=SMe2e0201&AccountSid=AC123&From=%2B14155550164&To=%2B18335550100&Body=By+GET&NumMedia=0";
        String signed = runtime.dripline().settings().publicUrl() + "/webhooks/twilio/inbound?" + query;
        HttpResponse<String> accepted = HTTP.send(HttpRequest.newBuilder(URI.create(runtime.url() + "/webhooks/twilio/inbound?" + query))
                .header(TwilioSignature.HEADER, TwilioSignature.compute(TWILIO_TOKEN, signed, Form.of(List.of()))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(runtime.dripline().messages().get("in_twilio_SMe2e0201").orElseThrow().body()).isEqualTo("By GET");

        String other = query.replace("SMe2e0201", "SMe2e0202");
        HttpResponse<String> wrong = HTTP.send(HttpRequest.newBuilder(URI.create(runtime.url() + "/webhooks/twilio/inbound?" + other))
                .header(TwilioSignature.HEADER, TwilioSignature.compute(TWILIO_TOKEN, signed, Form.of(List.of()))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(runtime.dripline().messages().get("in_twilio_SMe2e0202")).isEmpty();
    }

    @Test
    void twilioReceiptsPostedTwiceAndOutOfOrderEndInTheRightStatus() throws Exception {
        Instant later = runtime.clock().instant().plus(Duration.ofDays(2));
        String id = api("POST", "/v1/messages", "{\"to\":\"+14155550163\",\"body\":\"Order update\",\"sendAt\":\"" + later + "\"}")
                .json().path("id").asText();
        String path = "/webhooks/twilio/status?m=" + id;
        String delivered = "MessageSid=SMe2e0100&MessageStatus=delivered&AccountSid=AC123";
        String sent = "MessageSid=SMe2e0100&MessageStatus=sent&AccountSid=AC123";
        for (String form : List.of(delivered, sent, delivered, sent)) {
            assertThat(twilio(path, form, true).statusCode()).isEqualTo(204);
        }
        assertThat(twilio(path, "MessageSid=SMe2e0100&MessageStatus=failed&ErrorCode=30003", false).statusCode()).isEqualTo(403);
        Message stored = runtime.dripline().messages().get(id).orElseThrow();
        assertThat(stored.status()).isEqualTo(MessageStatus.DELIVERED);
        assertThat(stored.history()).extracting(h -> h.status().wire()).containsExactly("accepted", "delivered", "sent");
    }
}
