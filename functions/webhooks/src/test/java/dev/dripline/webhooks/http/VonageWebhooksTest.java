package dev.dripline.webhooks.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dripline.Dripline;
import dev.dripline.TestCore;
import dev.dripline.consent.ConsentStatus;
import dev.dripline.contacts.Contact;
import dev.dripline.json.Json;
import dev.dripline.messaging.Message;
import dev.dripline.messaging.MessageStatus;
import dev.dripline.messaging.OneOffMessage;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import io.micronaut.context.ApplicationContext;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Vonage's webhooks fed the sample events of events/ (GET query, POST form, POST JSON), re-signed with a fresh timestamp. */
@ExtendWith(EnginesExtension.class)
class VonageWebhooksTest {

    private static final String SECRET = "example-vonage-signature-secret";

    private Dripline core;
    private ApplicationContext context;
    private WebhooksFunction function;

    @BeforeEach
    void start(Engines engines) {
        core = new TestCore(engines, Clock.systemUTC(), Map.of("DRIPLINE_VONAGE_SIGNATURE_SECRET", SECRET,
                "DRIPLINE_PUBLIC_URL", "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com")).dripline;
        context = ApplicationContext.builder().singletons(core).deduceEnvironment(false).start();
        function = new WebhooksFunction(context);
    }

    @AfterEach
    void stop() {
        context.close();
    }

    @Test
    void theSampleEventsArriveSignedAndTheirMd5hashIsWhatVonageComputes() {
        // The files carry a sig made with SECRET at their timestamp: the same algorithm, written independently (Python's hashlib).
        APIGatewayV2HTTPEvent part1 = EventLoader.loadApiGatewayHttpEvent("../../events/webhooks-vonage-inbound-part1.json");
        Map<String, String> params = decode(part1.getRawQueryString());
        assertThat(params.get("sig")).isEqualTo(md5hash(params));
    }

    @Test
    void aLongMessageInPartsIsStoredOnceWholeWhateverTheOrderAndRetries() {
        assertThat(handle(part(2, "POST form", null))).isEqualTo(204);
        assertThat(handle(part(2, "POST form", null))).isEqualTo(204);
        assertThat(core.contacts().byPhone("+447911123456")).isEmpty();
        assertThat(handle(part(1, "GET", null))).isEqualTo(204);
        assertThat(handle(part(1, "GET", null))).isEqualTo(204);

        Contact ada = core.contacts().byPhone("+447911123456").orElseThrow();
        List<Message> conversation = core.messageStore().conversation(ada.id(), 50, null).items();
        assertThat(conversation).hasSize(1);
        assertThat(conversation.get(0).id()).isEqualTo("in_vonage_1F0000003E7A2B51");
        assertThat(conversation.get(0).body()).startsWith("Hi, this is Ada.").endsWith("Thanks a lot!").hasSize(219);
        assertThat(conversation.get(0).to()).isEqualTo("+447700900000");
    }

    @Test
    void lastPartsArrivingTogetherAndTwiceStillMakeOneMessage() throws Exception {
        Map<Integer, Map<String, String>> parts = new TreeMap<>();
        for (int n = 1; n <= 3; n++) {
            parts.put(n, signed(Map.of("msisdn", "447911123460", "to", "447700900000", "messageId", "1F00000000000A0" + n,
                    "text", "part " + n + ";", "type", "text", "concat", "true", "concat-ref", "201", "concat-total", "3",
                    "concat-part", Integer.toString(n)), Instant.now()));
        }
        assertThat(handle(get("/webhooks/vonage/inbound", parts.get(1)))).isEqualTo(204);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Integer>> answers = new ArrayList<>();
            for (int n : List.of(2, 3, 2, 3)) {
                answers.add(pool.submit(() -> handle(get("/webhooks/vonage/inbound", parts.get(n)))));
            }
            for (java.util.concurrent.Future<Integer> a : answers) {
                assertThat(a.get()).isEqualTo(204);
            }
        } finally {
            pool.shutdownNow();
        }
        Contact sender = core.contacts().byPhone("+447911123460").orElseThrow();
        assertThat(core.messageStore().conversation(sender.id(), 50, null).items()).singleElement()
                .satisfies(m -> assertThat(m.body()).isEqualTo("part 1;part 2;part 3;"));
    }

    @Test
    void aKeywordSplitAcrossPartsIsSeenWholeAndOptsOut() {
        assertThat(handle(part(1, "GET", "ST"))).isEqualTo(204);
        assertThat(core.contacts().byPhone("+447911123456").map(Contact::consent).orElse(null)).isNull();
        assertThat(handle(part(2, "POST form", "OP"))).isEqualTo(204);
        assertThat(core.contacts().byPhone("+447911123456").orElseThrow().consent()).isEqualTo(ConsentStatus.OPTED_OUT);
    }

    @Test
    void unsignedMisSignedOrStaleRequestsAreRefusedAndStoreNothing() {
        APIGatewayV2HTTPEvent unsigned = part(1, "GET", null);
        unsigned.setRawQueryString(unsigned.getRawQueryString().replaceAll("&sig=[0-9a-f]+", ""));
        unsigned.getQueryStringParameters().remove("sig");
        assertThat(handle(unsigned)).isEqualTo(403);

        APIGatewayV2HTTPEvent wrong = part(1, "GET", null);
        wrong.setRawQueryString(wrong.getRawQueryString().replaceAll("sig=[0-9a-f]+", "sig=" + "0".repeat(32)));
        wrong.getQueryStringParameters().put("sig", "0".repeat(32));
        assertThat(handle(wrong)).isEqualTo(403);

        APIGatewayV2HTTPEvent stale = EventLoader.loadApiGatewayHttpEvent("../../events/webhooks-vonage-inbound-part1.json");
        assertThat(handle(stale)).isEqualTo(403); // signed correctly, but at the file's 2026 timestamp

        // A whole (single-part) message with its text changed after signing.
        Map<String, String> single = signed(Map.of("msisdn", "447911123457", "to", "447700900000", "messageId", "1F00000000000001",
                "text", "HELP", "type", "text"), Instant.now());
        single.put("text", "STOP");
        single = new TreeMap<>(single);
        assertThat(handle(get("/webhooks/vonage/inbound", single))).isEqualTo(403);

        assertThat(core.contacts().byPhone("+447911123456")).isEmpty();
        assertThat(core.contacts().byPhone("+447911123457")).isEmpty();
        assertThat(core.messageStore().get("in_vonage_1F0000003E7A2B51")).isEmpty();
    }

    @Test
    void theSampleDlrByPostJsonMovesTheMessageItsClientRefNames() throws Exception {
        Message m = core.messages().submit(new OneOffMessage("+447911123458", null, "hi", "transactional", null, null), "t");
        APIGatewayV2HTTPEvent dlr = EventLoader.loadApiGatewayHttpEvent("../../events/webhooks-vonage-status.json");
        ObjectNode body = (ObjectNode) Json.mapper().readTree(dlr.getBody());
        Map<String, String> params = new TreeMap<>();
        body.fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
        params.put("client-ref", m.id());
        dlr.setBody(Json.write(signed(params, Instant.now())));
        assertThat(handle(dlr)).isEqualTo(204);
        assertThat(handle(dlr)).isEqualTo(204);
        Message after = core.messages().get(m.id()).orElseThrow();
        assertThat(after.status()).isEqualTo(MessageStatus.DELIVERED);
        assertThat(after.history()).hasSize(2);
    }

    @Test
    void aDlrSayingTheNumberIsBlacklistedIsAnOptOutInTheLedger() {
        Message m = core.messages().submit(new OneOffMessage("+447911123459", null, "hi", "transactional", null, null), "t");
        Map<String, String> dlr = signed(Map.of("msisdn", "447911123459", "to", "Dripline", "messageId", "0B00000127FDBC99",
                "status", "failed", "err-code", "9", "client-ref", m.id(), "message-timestamp", "2026-11-21 14:00:05"), Instant.now());
        assertThat(handle(get("/webhooks/vonage/status", dlr))).isEqualTo(204);
        assertThat(core.messages().get(m.id()).orElseThrow().status()).isEqualTo(MessageStatus.FAILED);
        Contact contact = core.contacts().get(m.contactId()).orElseThrow();
        assertThat(contact.consent()).isEqualTo(ConsentStatus.OPTED_OUT);
        assertThat(core.consentLedger().entries(contact.id())).anySatisfy(e -> assertThat(e.source()).isEqualTo("provider_report"));
    }

    @Test
    void theMessagesApiSampleMmsIsStoredWithItsPictureAndAnUnsignedOneIsRefused() throws Exception {
        APIGatewayV2HTTPEvent mms = EventLoader.loadApiGatewayHttpEvent("../../events/webhooks-vonage-messages-inbound.json");
        // The file's token was made with SECRET at its 2026-11-21 time (Python's hmac): stale now, so signed afresh here.
        assertThat(handle(mms)).isEqualTo(403);
        Map<String, String> headers = new java.util.HashMap<>(mms.getHeaders());
        headers.put("authorization", "Bearer " + jwt("{\"iat\":" + Instant.now().getEpochSecond() + ",\"payload_hash\":\""
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(mms.getBody().getBytes(StandardCharsets.UTF_8)))
                + "\"}"));
        mms.setHeaders(headers);
        assertThat(handle(mms)).isEqualTo(200);

        Message stored = core.messageStore().get("in_vonage_aaaaaaaa-bbbb-cccc-dddd-0123456789ab").orElseThrow();
        assertThat(stored.body()).isEqualTo("Our porch");
        assertThat(stored.from()).isEqualTo("+14155550100");
        // No Vonage API key here, so its media host is not asked; the message is kept and says why.
        assertThat(stored.media()).singleElement().satisfies(m -> {
            assertThat(m.status()).isEqualTo("failed");
            assertThat(m.error()).contains("vonage's credentials are not configured");
        });
        headers.put("authorization", "Bearer " + jwt("{\"iat\":" + Instant.now().getEpochSecond() + ",\"payload_hash\":\"00\"}"));
        mms.setHeaders(headers);
        assertThat(handle(mms)).isEqualTo(403);
    }

    @Test
    void theMessagesApiSampleStatusMarksTheMmsDeliveredOnce() throws Exception {
        Message m = core.messages().submit(new OneOffMessage("+14155550161", null, "hi", "transactional", null, null), "t");
        APIGatewayV2HTTPEvent sample = EventLoader.loadApiGatewayHttpEvent("../../events/webhooks-vonage-messages-status.json");
        // The file's token was made with SECRET at its 2026-11-21 time (Python's hmac): stale now, and refused.
        assertThat(handle(sample)).isEqualTo(403);

        ObjectNode body = (ObjectNode) Json.mapper().readTree(sample.getBody());
        body.put("client_ref", m.id());
        APIGatewayV2HTTPEvent status = messagesStatus(Json.write(body), m.id(), SECRET, Instant.now());
        assertThat(handle(status)).isEqualTo(200);
        assertThat(handle(status)).isEqualTo(200); // Vonage retries: one effect
        Message after = core.messages().get(m.id()).orElseThrow();
        assertThat(after.status()).isEqualTo(MessageStatus.DELIVERED);
        assertThat(after.history()).hasSize(2);

        // Without client_ref (the application's Status URL was used), the URL's m names the message.
        Message other = core.messages().submit(new OneOffMessage("+14155550162", null, "hi", "transactional", null, null), "t");
        body.remove("client_ref");
        body.put("message_uuid", "cccccccc-cccc-dddd-eeee-0123456789ab");
        assertThat(handle(messagesStatus(Json.write(body), other.id(), SECRET, Instant.now()))).isEqualTo(200);
        assertThat(core.messages().get(other.id()).orElseThrow().status()).isEqualTo(MessageStatus.DELIVERED);
    }

    @Test
    void aMessagesApiStatusWithABadSignatureIsRefusedAndChangesNothing() throws Exception {
        Message m = core.messages().submit(new OneOffMessage("+14155550163", null, "hi", "transactional", null, null), "t");
        MessageStatus before = core.messages().get(m.id()).orElseThrow().status();
        String body = mmsStatus("dddddddd-cccc-dddd-eeee-0123456789ab", m.id(), "delivered", null);

        assertThat(handle(messagesStatus(body, m.id(), "not-the-" + SECRET, Instant.now()))).isEqualTo(403);
        assertThat(handle(messagesStatus(body, m.id(), SECRET, Instant.now().minusSeconds(600)))).isEqualTo(403);
        APIGatewayV2HTTPEvent unsigned = messagesStatus(body, m.id(), SECRET, Instant.now());
        Map<String, String> headers = new java.util.HashMap<>(unsigned.getHeaders());
        headers.remove("authorization");
        unsigned.setHeaders(headers);
        assertThat(handle(unsigned)).isEqualTo(403);
        // Signed, then the body changed: its payload_hash no longer matches.
        APIGatewayV2HTTPEvent altered = messagesStatus(body, m.id(), SECRET, Instant.now());
        altered.setBody(body.replace("\"delivered\"", "\"rejected\""));
        assertThat(handle(altered)).isEqualTo(403);

        assertThat(core.messages().get(m.id()).orElseThrow().status()).isEqualTo(before).isNotEqualTo(MessageStatus.DELIVERED);
    }

    @Test
    void aMessagesApiStatusForAnUnknownUuidIsAcknowledgedAndIgnored() {
        // A uuid never sent from here, whose client_ref names no Dripline message.
        String unknown = mmsStatus("eeeeeeee-cccc-dddd-eeee-0123456789ab", "msg_never_sent", "delivered", null);
        assertThat(handle(messagesStatus(unknown, null, SECRET, Instant.now()))).isEqualTo(200);
        assertThat(core.messageStore().get("msg_never_sent")).isEmpty();
        // Another sender on the same Vonage application: no client_ref, no m.
        String foreign = mmsStatus("ffffffff-cccc-dddd-eeee-0123456789ab", null, "delivered", null);
        assertThat(handle(messagesStatus(foreign, null, SECRET, Instant.now()))).isEqualTo(200);
    }

    @Test
    void aRejectedMmsIsFailedWithItsErrorCodeAndNumberBarredIsAnOptOut() {
        Message m = core.messages().submit(new OneOffMessage("+14155550164", null, "hi", "transactional", null, null), "t");
        String rejected = mmsStatus("abababab-cccc-dddd-eeee-0123456789ab", m.id(), "rejected",
                "{\"type\":\"https://developer.nexmo.com/api-errors/messages#1050\",\"title\":\"1050\","
                        + "\"detail\":\"Number barred\",\"instance\":\"bf0ca0bf927b3b52e3cb03217e1a1ddf\"}");
        assertThat(handle(messagesStatus(rejected, m.id(), SECRET, Instant.now()))).isEqualTo(200);
        Message after = core.messages().get(m.id()).orElseThrow();
        assertThat(after.status()).isEqualTo(MessageStatus.FAILED);
        assertThat(after.errorCode()).isEqualTo("1050");
        Contact contact = core.contacts().get(m.contactId()).orElseThrow();
        assertThat(contact.consent()).isEqualTo(ConsentStatus.OPTED_OUT);
    }

    /** A Messages API MMS status as Vonage documents it; {@code clientRef} and {@code error} (JSON) when not null. */
    private static String mmsStatus(String uuid, String clientRef, String status, String error) {
        return "{\"message_uuid\":\"" + uuid + "\",\"to\":\"14155550100\",\"from\":\"18335550100\","
                + "\"timestamp\":\"2026-12-03T18:00:00.000Z\",\"status\":\"" + status + "\",\"channel\":\"mms\""
                + (clientRef == null ? "" : ",\"client_ref\":\"" + clientRef + "\"") + (error == null ? "" : ",\"error\":" + error) + "}";
    }

    /** The sample status event carrying {@code body}, posted to ?m={@code m} (none when null), signed with {@code secret} at {@code iat}. */
    private static APIGatewayV2HTTPEvent messagesStatus(String body, String m, String secret, Instant iat) {
        APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent("../../events/webhooks-vonage-messages-status.json");
        event.setBody(body);
        event.setRawQueryString(m == null ? "" : "m=" + m);
        event.setQueryStringParameters(m == null ? Map.of() : Map.of("m", m));
        Map<String, String> headers = new java.util.HashMap<>(event.getHeaders());
        try {
            headers.put("authorization", "Bearer " + jwt(secret, "{\"iat\":" + iat.getEpochSecond() + ",\"payload_hash\":\""
                    + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8))) + "\"}"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        headers.put("content-length", Integer.toString(body.getBytes(StandardCharsets.UTF_8).length));
        event.setHeaders(headers);
        return event;
    }

    private static String jwt(String claims) throws Exception {
        return jwt(SECRET, claims);
    }

    /** An HS256 JWT made here with the JDK's Mac, apart from VonageMessagesCallbacks. */
    private static String jwt(String secret, String claims) throws Exception {
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        String head = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return head + "." + b64.encodeToString(mac.doFinal(head.getBytes(StandardCharsets.UTF_8)));
    }

    // ---- helpers: the signature computed here independently of VonageSignature ----

    private int handle(APIGatewayV2HTTPEvent event) {
        return function.handleRequest(event, null).getStatusCode();
    }

    /** A sample part, re-signed now; {@code text} replaces the sample's text when given. */
    private static APIGatewayV2HTTPEvent part(int n, String how, String text) {
        APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent("../../events/webhooks-vonage-inbound-part" + n + ".json");
        boolean get = how.equals("GET");
        Map<String, String> params = decode(get ? event.getRawQueryString() : event.getBody());
        if (text != null) {
            params.put("text", text);
        }
        Map<String, String> signed = signed(params, Instant.now());
        String encoded = encode(signed);
        if (get) {
            event.setRawQueryString(encoded);
            event.setQueryStringParameters(signed); // API Gateway hands over both
        } else {
            event.setBody(encoded);
        }
        return event;
    }

    private static APIGatewayV2HTTPEvent get(String path, Map<String, String> params) {
        APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent("../../events/webhooks-vonage-inbound-part1.json");
        event.setRawPath(path);
        event.getRequestContext().getHttp().setPath(path);
        event.setRawQueryString(encode(params));
        event.setQueryStringParameters(params);
        return event;
    }

    private static Map<String, String> signed(Map<String, String> params, Instant at) {
        Map<String, String> out = new TreeMap<>(params);
        out.remove("sig");
        out.put("timestamp", Long.toString(at.getEpochSecond()));
        out.put("sig", md5hash(out));
        return out;
    }

    private static String md5hash(Map<String, String> params) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(params).forEach((k, v) -> {
            if (!k.equals("sig")) {
                text.append('&').append(k.replaceAll("[&=]", "_")).append('=').append(v.replaceAll("[&=]", "_"));
            }
        });
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest((text + SECRET).getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> decode(String form) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static String encode(Map<String, String> params) {
        List<String> pairs = new ArrayList<>();
        params.forEach((k, v) -> pairs.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return pairs.stream().collect(Collectors.joining("&"));
    }
}
