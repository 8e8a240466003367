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
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * AWS End User Messaging SMS through SNS HTTPS deliveries, signed here with a test key whose
 * certificate a test fetcher serves (src/test/resources/sns/README.md).
 */
@ExtendWith(EnginesExtension.class)
class AwsWebhooksTest {

    private static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:dripline-inbound-sms";
    private static final String CERT_URL = "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem";

    private Dripline core;
    private ApplicationContext context;
    private WebhooksFunction function;
    private final List<URI> fetched = new CopyOnWriteArrayList<>();
    private static PrivateKey key;

    @BeforeEach
    void start(Engines engines) throws Exception {
        if (key == null) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = getClass().getResourceAsStream("/sns/sns-test-signer.p12")) {
                store.load(in, "dripline-test".toCharArray());
            }
            key = (PrivateKey) store.getKey("sns", "dripline-test".toCharArray());
        }
        byte[] pem;
        try (InputStream in = getClass().getResourceAsStream("/sns/sns-test-signer.pem")) {
            pem = in.readAllBytes();
        }
        core = new TestCore(engines, Clock.systemUTC(), Map.of("DRIPLINE_AWS_SNS_TOPIC_ARNS", "arn:aws:sns:us-east-1:123456789012:other, " + TOPIC,
                "DRIPLINE_PUBLIC_URL", "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com"), seams -> seams.snsHttp(url -> {
            fetched.add(url);
            if (url.toString().equals(CERT_URL)) {
                return pem;
            }
            if (url.getPath().equals("/") && url.getQuery() != null && url.getQuery().startsWith("Action=ConfirmSubscription")) {
                return "<ConfirmSubscriptionResponse/>".getBytes(StandardCharsets.UTF_8);
            }
            throw new IOException("404 " + url);
        })).dripline;
        context = ApplicationContext.builder().singletons(core).deduceEnvironment(false).start();
        function = new WebhooksFunction(context);
    }

    @AfterEach
    void stop() {
        context.close();
    }

    @Test
    void aSignedInboundNotificationFromTheSampleEventLandsInTheConversationOnce() throws Exception {
        APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent("../../events/webhooks-aws-inbound.json");
        ObjectNode envelope = (ObjectNode) Json.mapper().readTree(event.getBody());
        event.setBody(sign(envelope, "2"));
        assertThat(handle("/webhooks/aws/inbound", event.getBody())).isEqualTo(204);
        assertThat(handle("/webhooks/aws/inbound", event.getBody())).isEqualTo(204);

        Contact contact = core.contacts().byPhone("+14255550182").orElseThrow();
        List<Message> conversation = core.messageStore().conversation(contact.id(), 10, null).items();
        assertThat(conversation).singleElement().satisfies(m -> {
            assertThat(m.id()).isEqualTo("in_aws_cae173d2-66b9-564c-8309-21f858e9fb84");
            assertThat(m.body()).isEqualTo("Can I move my booking to Friday?");
        });
        assertThat(fetched).containsExactly(URI.create(CERT_URL)); // the certificate is cached by URL
    }

    @Test
    void signatureVersion1IsSha1WithRsa() {
        assertThat(handle("/webhooks/aws/inbound", sign(inbound("STOP", "in-1"), "1"))).isEqualTo(204);
        assertThat(core.contacts().byPhone("+14255550183").orElseThrow().consent()).isEqualTo(ConsentStatus.OPTED_OUT);
    }

    @Test
    void tamperedWrongTopicUnknownVersionOrForeignCertificateUrlsAreRefusedAndStoreNothing() {
        String signed = sign(inbound("hello", "in-2"), "2");
        assertThat(handle("/webhooks/aws/inbound", signed.replace("hello", "STOP"))).isEqualTo(403);

        ObjectNode otherTopic = inbound("hello", "in-3");
        otherTopic.put("TopicArn", "arn:aws:sns:us-east-1:999999999999:someone-else");
        assertThat(handle("/webhooks/aws/inbound", sign(otherTopic, "2"))).isEqualTo(403);

        assertThat(handle("/webhooks/aws/inbound", sign(inbound("hello", "in-4"), "3"))).isEqualTo(403);
        assertThat(handle("/webhooks/aws/inbound", "not json")).isEqualTo(403);

        for (String url : List.of("http://sns.us-east-1.amazonaws.com/cert.pem",
                "https://sns.us-east-1.amazonaws.com.evil.example/cert.pem",
                "https://evil.example/sns.us-east-1.amazonaws.com/cert.pem",
                "https://sns.us-east-1.amazonaws.com@evil.example/cert.pem")) {
            ObjectNode foreign = inbound("hello", "in-5");
            foreign.put("SigningCertURL", url);
            assertThat(handle("/webhooks/aws/inbound", sign(foreign, "2"))).as(url).isEqualTo(403);
        }
        assertThat(fetched).allMatch(u -> u.toString().equals(CERT_URL));
        assertThat(core.contacts().byPhone("+14255550183")).isEmpty();
    }

    @Test
    void aSubscriptionConfirmationIsConfirmedOnlyOnAnSnsHost() {
        String subscribe = "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=" + TOPIC + "&Token=2336412f37";
        assertThat(handle("/webhooks/aws/inbound", sign(confirmation(subscribe), "2"))).isEqualTo(204);
        assertThat(fetched).contains(URI.create(subscribe));

        fetched.clear();
        String elsewhere = "https://evil.example/?Action=ConfirmSubscription&Token=2336412f37";
        assertThat(handle("/webhooks/aws/inbound", sign(confirmation(elsewhere), "2"))).isEqualTo(403);
        assertThat(fetched).noneMatch(u -> u.getHost().equals("evil.example"));

        ObjectNode unsigned = confirmation(subscribe);
        unsigned.put("Signature", Base64.getEncoder().encodeToString(new byte[256]));
        unsigned.put("SignatureVersion", "2");
        unsigned.put("SigningCertURL", CERT_URL);
        fetched.clear();
        assertThat(handle("/webhooks/aws/inbound", Json.write(unsigned))).isEqualTo(403);
        assertThat(fetched).doesNotContain(URI.create(subscribe));
    }

    @Test
    void deliveryEventsMoveTheMessageAndTextBlockedIsAFailedDeliveryNotAnOptOut() {
        Message delivered = core.messages().submit(new OneOffMessage("+14255550184", null, "hi", "transactional", null, null), "t");
        assertThat(handle("/webhooks/aws/status", sign(event("TEXT_DELIVERED", delivered.id(), "+14255550184"), "2"))).isEqualTo(204);
        assertThat(core.messages().get(delivered.id()).orElseThrow().status()).isEqualTo(MessageStatus.DELIVERED);

        Message blocked = core.messages().submit(new OneOffMessage("+14255550185", null, "hi", "transactional", null, null), "t");
        assertThat(handle("/webhooks/aws/status", sign(event("TEXT_BLOCKED", blocked.id(), "+14255550185"), "2"))).isEqualTo(204);
        assertThat(core.messages().get(blocked.id()).orElseThrow().status()).isEqualTo(MessageStatus.FAILED);
        // Issue 14: a device or carrier block is a failed delivery; only the recipient's own opt-out goes in the ledger.
        Contact contact = core.contacts().get(blocked.contactId()).orElseThrow();
        assertThat(contact.consent()).isNotEqualTo(ConsentStatus.OPTED_OUT);
        assertThat(core.consentLedger().entries(contact.id())).noneSatisfy(e -> assertThat(e.source()).isEqualTo("provider_report"));
        assertThat(core.messages().submit(new OneOffMessage("+14255550185", null, "your code", "transactional", null, null), "t").status())
                .isEqualTo(MessageStatus.ACCEPTED);
    }

    // ---- SNS messages, signed here over the canonical string written out field by field ----

    private ObjectNode inbound(String body, String id) {
        Map<String, Object> sms = new LinkedHashMap<>();
        sms.put("originationNumber", "+14255550183");
        sms.put("destinationNumber", "+12125550101");
        sms.put("messageKeyword", "KEYWORD_123456789012");
        sms.put("messageBody", body);
        sms.put("inboundMessageId", id);
        return notification(Json.write(sms));
    }

    private ObjectNode event(String type, String messageId, String to) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("eventType", type);
        e.put("eventVersion", "1.0");
        e.put("eventTimestamp", 1795269605123L);
        e.put("isFinal", true);
        e.put("originationPhoneNumber", "+12125550101");
        e.put("destinationPhoneNumber", to);
        e.put("messageId", "aws-" + type + "-" + messageId);
        e.put("messageStatus", type.equals("TEXT_BLOCKED") ? "BLOCKED" : "DELIVERED");
        e.put("totalMessageParts", 1);
        e.put("context", Map.of("messageId", messageId));
        return notification(Json.write(e));
    }

    private ObjectNode notification(String message) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("Type", "Notification");
        n.put("MessageId", java.util.UUID.randomUUID().toString());
        n.put("TopicArn", TOPIC);
        n.put("Message", message);
        n.put("Timestamp", "2026-11-21T14:00:05.123Z");
        n.put("SigningCertURL", CERT_URL);
        return n;
    }

    private ObjectNode confirmation(String subscribeUrl) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("Type", "SubscriptionConfirmation");
        n.put("MessageId", "165545c9-2a5c-472c-8df2-7ff2be2b3b1b");
        n.put("Token", "2336412f37");
        n.put("TopicArn", TOPIC);
        n.put("Message", "You have chosen to subscribe to the topic " + TOPIC + ".\nTo confirm the subscription, visit the SubscribeURL included in this message.");
        n.put("SubscribeURL", subscribeUrl);
        n.put("Timestamp", "2026-11-21T14:00:05.123Z");
        n.put("SigningCertURL", CERT_URL);
        return n;
    }

    private static String sign(ObjectNode n, String version) {
        String type = n.get("Type").asText();
        List<String> fields = type.equals("Notification")
                ? List.of("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type")
                : List.of("Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type");
        StringBuilder canonical = new StringBuilder();
        for (String f : fields) {
            if (n.has(f)) {
                canonical.append(f).append('\n').append(n.get(f).asText()).append('\n');
            }
        }
        try {
            Signature s = Signature.getInstance(version.equals("1") ? "SHA1withRSA" : "SHA256withRSA");
            s.initSign(key);
            s.update(canonical.toString().getBytes(StandardCharsets.UTF_8));
            n.put("SignatureVersion", version);
            n.put("Signature", Base64.getEncoder().encodeToString(s.sign()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Json.write(n);
    }

    private int handle(String path, String body) {
        APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent("../../events/webhooks-aws-inbound.json");
        event.setRawPath(path);
        event.getRequestContext().getHttp().setPath(path);
        event.setBody(body);
        return function.handleRequest(event, null).getStatusCode();
    }
}
