package dev.dripline.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.dripline.Dripline;
import dev.dripline.TestCore;
import dev.dripline.contacts.ContactInput;
import dev.dripline.conversations.InboundSms;
import dev.dripline.errors.Conflict;
import dev.dripline.errors.FieldError;
import dev.dripline.errors.InvalidInput;
import dev.dripline.json.Json;
import dev.dripline.queue.SqsQueue;
import dev.dripline.schedule.Due;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.model.Message;

/** Webhook endpoints as a resource: their rules, their fan-out, retries, log, rotation and replay, against local stubs. */
@ExtendWith(EnginesExtension.class)
class WebhookEndpointsTest {

    private HttpServer stub;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private Engines engines;
    private String stepsQueue;
    private Dripline core;

    record Received(String path, String signature, String deliveryId, String body, int answered) {
    }

    @BeforeEach
    void start(Engines engines) throws Exception {
        this.engines = engines;
        stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stub.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = exchange.getRequestURI().getPath().startsWith("/flaky") && failuresLeft.getAndDecrement() > 0 ? 500 : 200;
            received.add(new Received(exchange.getRequestURI().getPath(), exchange.getRequestHeaders().getFirst(OutboundSignature.HEADER),
                    exchange.getRequestHeaders().getFirst("X-Dripline-Delivery-Id"), body, status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        stub.start();
        stepsQueue = engines.sqs().createQueue(r -> r.queueName("t-we-steps-" + System.nanoTime())).queueUrl();
        core = new TestCore(engines, Clock.systemUTC(), Map.of("DRIPLINE_STEPS_QUEUE_URL", stepsQueue,
                "DRIPLINE_WEBHOOKS_ALLOW_PRIVATE", "true", "DRIPLINE_OUTBOUND_WEBHOOK_FIRST_RETRY", "PT1S",
                "DRIPLINE_OUTBOUND_WEBHOOK_MAX_ATTEMPTS", "3")).dripline;
    }

    @AfterEach
    void stop() {
        stub.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + stub.getAddress().getPort() + path;
    }

    @Test
    void anEndpointShowsItsSecretOnceAndRefusesUnknownFieldsAndEventTypesByName() {
        WebhookEndpoints endpoints = core.webhookEndpoints();
        WebhookEndpoints.Created created = endpoints.create(Map.of("url", url("/a"), "eventTypes", List.of("contact.opted_out"),
                "description", "CRM"));
        assertThat(created.secret()).startsWith("whsec_").hasSizeGreaterThan(40);
        assertThat(created.endpoint().id()).startsWith("we_");
        assertThat(created.endpoint().enabled()).isTrue();
        assertThat(Json.write(endpoints.get(created.endpoint().id()))).doesNotContain(created.secret()).doesNotContain("secret\"");

        assertThatThrownBy(() -> endpoints.create(Map.of("url", url("/b"), "eventTypes", List.of("message.sent", "contact.opted_in"),
                "secret", "mine")))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactlyInAnyOrder("secret", "eventTypes[0]"));
        assertThatThrownBy(() -> endpoints.create(Map.of("eventTypes", List.of())))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactlyInAnyOrder("url", "eventTypes"));

        WebhookEndpoint changed = endpoints.update(created.endpoint().id(), Map.of("enabled", false), false);
        assertThat(changed.enabled()).isFalse();
        assertThat(changed.description()).isEqualTo("CRM");
        assertThat(changed.eventTypes()).containsExactly("contact.opted_out");
        WebhookEndpoint replaced = endpoints.update(created.endpoint().id(), Map.of("url", url("/c"), "eventTypes", List.of("*")), true);
        assertThat(replaced.description()).isNull();
        assertThat(replaced.url()).endsWith("/c");
        assertThatThrownBy(() -> endpoints.update(created.endpoint().id(), Map.of("enabled", true), true))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactlyInAnyOrder("url", "eventTypes"));
    }

    @Test
    void theListIsPagedWithAnOpaqueCursor() {
        WebhookEndpoints endpoints = core.webhookEndpoints();
        for (int i = 0; i < 5; i++) {
            endpoints.create(Map.of("url", url("/p" + i), "eventTypes", List.of("message.status")));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            WebhookEndpoints.Page<WebhookEndpoint> page = endpoints.list(2, cursor);
            page.items().forEach(e -> seen.add(e.url()));
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null);
        assertThat(seen).hasSize(5).doesNotHaveDuplicates();
        assertThat(pages).isGreaterThanOrEqualTo(3);
        assertThatThrownBy(() -> endpoints.list(2, "not-a-cursor!")).isInstanceOfSatisfying(InvalidInput.class,
                e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("cursor"));
    }

    @Test
    void privateAndLoopbackAddressesAreRefusedWhenTheSettingIsOff() {
        Map<String, String> dns = Map.of("hooks.example.com", "93.184.216.34", "rebind.example.com", "10.1.2.3",
                "meta.example.com", "169.254.169.254", "v6.example.com", "fd12::1", "mapped.example.com", "::ffff:127.0.0.1",
                "cgnat.example.com", "100.64.0.9", "public6.example.com", "2606:4700::1111");
        WebhookAddress.Resolver resolver = host -> {
            String ip = dns.get(host);
            if (ip != null) {
                return new InetAddress[] {InetAddress.getByName(ip)};
            }
            if (host.matches("[0-9.]+|\\[?[0-9a-fA-F:.]+]?")) {
                return new InetAddress[] {InetAddress.getByName(host.replace("[", "").replace("]", ""))};
            }
            throw new UnknownHostException(host);
        };
        WebhookAddress strict = new WebhookAddress(false, false);
        for (String refused : List.of("http://127.0.0.1:8080/x", "http://localhost.invalid/x", "http://[::1]/x", "http://0.0.0.0/x",
                "http://rebind.example.com/x", "http://meta.example.com/latest/meta-data", "http://v6.example.com/x",
                "http://mapped.example.com/x", "http://cgnat.example.com/x", "http://192.168.1.10/x", "http://172.20.0.1/x",
                "ftp://hooks.example.com/x", "http://user:pw@hooks.example.com/x")) {
            assertThat(strict.refusal(URI.create(refused), resolver)).as(refused).isPresent();
        }
        assertThat(strict.refusal(URI.create("http://hooks.example.com/x"), resolver)).isEmpty();
        assertThat(strict.refusal(URI.create("https://public6.example.com/x"), resolver)).isEmpty();
        assertThat(new WebhookAddress(true, false).refusal(URI.create("http://hooks.example.com/x"), resolver)).contains("must be https");

        WebhookEndpoints endpoints = new WebhookEndpoints(engines.dynamoDb(), core.settings().tables().webhooks(), strict, resolver,
                Clock.systemUTC());
        assertThatThrownBy(() -> endpoints.create(Map.of("url", "http://127.0.0.1:9/hook", "eventTypes", List.of("message.inbound"))))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.errors()).singleElement().satisfies(error -> {
                    assertThat(error.field()).isEqualTo("url");
                    assertThat(error.message()).contains("127.0.0.1", "not a public address");
                }));
        // The setting on (the local runtime's default) lets loopback through.
        assertThat(new WebhookAddress(false, true).refusal(URI.create("http://127.0.0.1:9/hook"), resolver)).isEmpty();
    }

    @Test
    void aNameThatResolvesPrivatelyAtDeliveryIsNotCalledAndTheAttemptIsLogged() {
        AtomicReference<String> answer = new AtomicReference<>("93.184.216.34");
        WebhookAddress.Resolver resolver = host -> new InetAddress[] {InetAddress.getByName(answer.get())};
        WebhookEndpoints endpoints = new WebhookEndpoints(engines.dynamoDb(), core.settings().tables().webhooks(),
                new WebhookAddress(false, false), resolver, Clock.systemUTC());
        String id = endpoints.create(Map.of("url", "http://hooks.example.com:" + stub.getAddress().getPort() + "/rebind",
                "eventTypes", List.of("message.status"))).endpoint().id();
        OutboundWebhooks webhooks = new OutboundWebhooks(core.settings().outboundWebhook(), () -> new SqsQueue(engines.sqs(), stepsQueue),
                HttpClient::newHttpClient, Clock.systemUTC(), endpoints);
        answer.set("127.0.0.1");
        webhooks.publish("message.status", "evt_rebind", Instant.now(), Map.of("messageId", "msg_1"));
        Due.WebhookDelivery due = nextDelivery();
        webhooks.deliver(due);

        assertThat(received).isEmpty();
        WebhookDelivery logged = endpoints.deliveries(id, 10, null).items().get(0);
        assertThat(logged.status()).isEqualTo("retrying");
        assertThat(logged.attempts()).singleElement().satisfies(a -> {
            assertThat(a.statusCode()).isNull();
            assertThat(a.error()).contains("not sent", "127.0.0.1");
            assertThat(a.nextRetryAt()).isNotNull();
        });
    }

    @Test
    void anOptOutGoesToEverySubscribedEndpointEachWithItsOwnRetriesAndLog() {
        WebhookEndpoints endpoints = core.webhookEndpoints();
        String flaky = endpoints.create(Map.of("url", url("/flaky"), "eventTypes", List.of("contact.opted_out"))).endpoint().id();
        String steady = endpoints.create(Map.of("url", url("/steady"), "eventTypes", List.of("contact.opted_out", "contact.opted_in")))
                .endpoint().id();
        String other = endpoints.create(Map.of("url", url("/other"), "eventTypes", List.of("message.status"))).endpoint().id();
        failuresLeft.set(1);

        core.contacts().upsert(new ContactInput("+14155550931", null, null, null, null, null, null, null,
                new ContactInput.ConsentInput("opted_in", "web_form", null, "checkbox", null, null)), "api-key:test");
        core.conversations().receive(new InboundSms("simulator", "sim_we_1", "+14155550931", "+18335550100", "STOP", Instant.now()));
        drainSteps(4, 20_000);

        assertThat(received).extracting(Received::path).containsExactlyInAnyOrder("/steady", "/flaky", "/flaky", "/steady")
                .doesNotContain("/other");
        List<String> types = received.stream().map(r -> Json.read(r.body(), JsonNode.class).path("type").asText()).toList();
        assertThat(types).containsExactlyInAnyOrder("contact.opted_in", "contact.opted_out", "contact.opted_out", "contact.opted_out");
        JsonNode optOut = received.stream().filter(r -> r.path().equals("/steady")).map(r -> Json.read(r.body(), JsonNode.class))
                .filter(e -> e.path("type").asText().equals("contact.opted_out")).findFirst().orElseThrow();
        assertThat(optOut.path("data").path("phone").asText()).isEqualTo("+14155550931");
        assertThat(optOut.path("data").path("source").asText()).isEqualTo("keyword");
        assertThat(optOut.path("id").asText()).startsWith("evt_cs_");

        WebhookDelivery flakyLog = endpoints.deliveries(flaky, 10, null).items().get(0);
        assertThat(flakyLog.status()).isEqualTo("succeeded");
        assertThat(flakyLog.eventType()).isEqualTo("contact.opted_out");
        assertThat(flakyLog.eventId()).isEqualTo(optOut.path("id").asText());
        assertThat(flakyLog.attempts()).extracting(WebhookDelivery.Attempt::statusCode).containsExactly(500, 200);
        assertThat(flakyLog.attempts().get(0).error()).isEqualTo("answered 500");
        assertThat(flakyLog.attempts().get(0).nextRetryAt()).isNotNull();
        assertThat(endpoints.deliveries(steady, 10, null).items()).hasSize(2)
                .allSatisfy(d -> assertThat(d.attempts()).singleElement().satisfies(a -> assertThat(a.statusCode()).isEqualTo(200)));
        assertThat(endpoints.deliveries(other, 10, null).items()).isEmpty();
    }

    @Test
    void aRotatedSecretSignsAlongsideTheOldOneDuringTheOverlapAndAnyDeliveryCanBeReplayed() throws Exception {
        WebhookEndpoints endpoints = core.webhookEndpoints();
        WebhookEndpoints.Created created = endpoints.create(Map.of("url", url("/rotating"), "eventTypes", List.of("message.status")));
        String id = created.endpoint().id();
        String oldSecret = created.secret();
        WebhookEndpoints.Rotated rotated = endpoints.rotate(id, Map.of("overlap", "PT1H"));
        assertThat(rotated.secret()).isNotEqualTo(oldSecret);
        assertThat(rotated.previousSecretExpiresAt()).isAfter(Instant.now().plus(Duration.ofMinutes(59)));
        assertThat(endpoints.get(id).previousSecretExpiresAt()).isEqualTo(rotated.previousSecretExpiresAt());

        core.outboundWebhooks().publish("message.status", "evt_rot_1", Instant.now(), Map.of("messageId", "msg_r"));
        drainSteps(1, 10_000);
        Received first = received.get(0);
        assertThat(first.signature()).matches("t=\\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}");
        assertThat(signatures(first.signature(), first.body())).containsExactly(hmac(rotated.secret(), first), hmac(oldSecret, first));

        // Replay: a new delivery of the same event, from its first attempt, signed now with the new secret only.
        WebhookEndpoints.Rotated again = endpoints.rotate(id, Map.of("overlap", "PT0S"));
        WebhookDelivery replay = core.outboundWebhooks().replay(id, first.deliveryId());
        assertThat(replay.replayOf()).isEqualTo(first.deliveryId());
        assertThat(replay.eventId()).isEqualTo("evt_rot_1");
        assertThat(replay.status()).isEqualTo("pending");
        drainSteps(2, 10_000);
        Received second = received.get(1);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(second.deliveryId()).isEqualTo(replay.id());
        assertThat(signatures(second.signature(), second.body())).containsExactly(hmac(again.secret(), second));
        assertThat(endpoints.deliveries(id, 10, null).items()).extracting(WebhookDelivery::id).containsExactly(replay.id(), first.deliveryId());

        assertThatThrownBy(() -> endpoints.rotate(id, Map.of("overlap", "P30D", "reason", "x")))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactlyInAnyOrder("overlap", "reason"));
        endpoints.update(id, Map.of("enabled", false), false);
        assertThatThrownBy(() -> core.outboundWebhooks().replay(id, first.deliveryId())).isInstanceOf(Conflict.class);
    }

    @Test
    void aDeliveryDueAfterItsEndpointWasDeletedIsCancelledNotSent() {
        WebhookEndpoints endpoints = core.webhookEndpoints();
        String id = endpoints.create(Map.of("url", url("/gone"), "eventTypes", List.of("message.inbound"))).endpoint().id();
        core.outboundWebhooks().publish("message.inbound", "evt_gone", Instant.now(), Map.of("messageId", "msg_g"));
        Due.WebhookDelivery due = nextDelivery();
        endpoints.update(id, Map.of("enabled", false), false);
        core.outboundWebhooks().deliver(due);
        assertThat(received).isEmpty();
        assertThat(endpoints.deliveries(id, 10, null).items()).singleElement()
                .satisfies(d -> assertThat(d.status()).isEqualTo("cancelled"));
    }

    private static List<String> signatures(String header, String body) {
        List<String> out = new ArrayList<>();
        for (String part : header.split(",")) {
            if (part.startsWith("v1=")) {
                out.add(part.substring(3));
            }
        }
        return out;
    }

    /** The receiver's check, written independently of the code under test. */
    private static String hmac(String secret, Received r) throws Exception {
        String t = r.signature().replaceAll("^t=(\\d+),.*$", "$1");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal((t + "." + r.body()).getBytes(StandardCharsets.UTF_8)));
    }

    private Due.WebhookDelivery nextDelivery() {
        long deadline = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < deadline) {
            for (Message m : engines.sqs().receiveMessage(r -> r.queueUrl(stepsQueue).waitTimeSeconds(1).maxNumberOfMessages(10)).messages()) {
                engines.sqs().deleteMessage(r -> r.queueUrl(stepsQueue).receiptHandle(m.receiptHandle()));
                if (Json.read(m.body(), Due.class) instanceof Due.WebhookDelivery d) {
                    return d;
                }
            }
        }
        throw new AssertionError("no webhook delivery was queued");
    }

    /** What the steps function does with webhook deliveries, until n requests were seen. */
    private void drainSteps(int requests, long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (received.size() < requests && System.currentTimeMillis() < deadline) {
            for (Message m : engines.sqs().receiveMessage(r -> r.queueUrl(stepsQueue).waitTimeSeconds(1).maxNumberOfMessages(10)).messages()) {
                if (Json.read(m.body(), Due.class) instanceof Due.WebhookDelivery delivery) {
                    core.outboundWebhooks().deliver(delivery);
                }
                engines.sqs().deleteMessage(r -> r.queueUrl(stepsQueue).receiptHandle(m.receiptHandle()));
            }
        }
    }
}
