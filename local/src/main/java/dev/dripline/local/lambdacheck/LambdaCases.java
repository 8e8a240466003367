package dev.dripline.local.lambdacheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dripline.Dripline;
import dev.dripline.audience.AudienceTable;
import dev.dripline.messaging.Category;
import dev.dripline.messaging.Direction;
import dev.dripline.messaging.Message;
import dev.dripline.messaging.MessageStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The lambda check's cases: for each sample event of events/, what to store first, how to sign it, what must hold after. */
final class LambdaCases {

    static final String MESSAGE_ID = "msg_01JEXAMPLE00000000000000000";

    /** An answer from the emulator: HTTP status of the invoke call and the handler's JSON. */
    record Answer(int invokeStatus, JsonNode json, String raw) {
        int statusCode() {
            return json.path("statusCode").asInt(-1);
        }

        String body() {
            return json.path("body").asText("");
        }
    }

    /** One event for one function: what to store first, how to change the event, what must hold after. */
    record Case(String function, String event, String check, Runnable seed, Function<ObjectNode, ObjectNode> prepare,
                Function<Answer, String> verify) {
    }

    private final Dripline core;
    private final LocalAws aws;
    private final DynamoDbClient dynamo;
    private final SqsClient sqs;

    LambdaCases(Dripline core, LocalAws aws) {
        this.core = core;
        this.aws = aws;
        this.dynamo = aws.dynamo;
        this.sqs = aws.sqs;
    }

    List<Case> all() {
        Function<ObjectNode, ObjectNode> asIs = e -> e;
        Function<ObjectNode, ObjectNode> signedNow = e -> TestProviders.signed(e, Instant.now());
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("ApiFunction", "api-post-contact.json", "201, the contact stored", () -> { }, asIs,
                a -> all(status(a, 201), core.contacts().byPhone("+14155550123").isPresent() ? null : "no contact +1415555**23 stored")));
        cases.add(new Case("ApiFunction", "api-get-message.json", "200 with the stored message",
                () -> seedMessage(MessageStatus.SENT, null, null), asIs,
                a -> all(status(a, 200), a.body().contains(MESSAGE_ID) ? null : "the body does not carry " + MESSAGE_ID)));
        cases.add(new Case("ApiFunction", "api-get-short-link.json", "404 problem+json for an unknown code", () -> { }, asIs,
                a -> all(status(a, 404), a.json().path("headers").toString().contains("application/problem+json") ? null
                        : "not application/problem+json")));

        cases.add(inbound("webhooks-twilio-inbound.json", "+14155550142", 200));
        cases.add(receipt("webhooks-twilio-status.json", "twilio", "SM9e8d7c6b5a4938271605f4e3d2c1b0a9"));
        cases.add(new Case("WebhooksFunction", "webhooks-twilio-inbound.json", "403 with a wrong signature, nothing stored",
                () -> { }, e -> {
                    ObjectNode signed = TestProviders.signed(e, Instant.now());
                    signed.with("headers").put("x-twilio-signature", "AAAAAAAAAAAAAAAAAAAAAAAAAAA=");
                    String body = TestProviders.rawBody(signed).replace("%2B14155550142", "%2B14155550149");
                    signed.put("body", java.util.Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)));
                    return signed;
                },
                a -> all(status(a, 403), core.contacts().byPhone("+14155550149").isEmpty() ? null : "a contact was stored")));
        cases.add(inbound("webhooks-plivo-inbound.json", "+14155550143", 204));
        cases.add(receipt("webhooks-plivo-status.json", "plivo", "db3ce55a-7f1d-11f0-8b6e-0242ac110003"));
        cases.add(inbound("webhooks-telnyx-inbound.json", "+14155550144", 204));
        cases.add(receipt("webhooks-telnyx-status.json", "telnyx", "40385f64-5717-4562-b3fc-2c963f66afa6"));

        // The template configures no simulator secret (DRIPLINE_SIMULATOR_SECRET): its callbacks must be refused.
        cases.add(new Case("WebhooksFunction", "webhooks-simulator-status.json", "403 without a simulator secret, nothing changed",
                () -> seedMessage(MessageStatus.SENT, "simulator", "sim_01JEXAMPLE00000000000000001"), asIs,
                a -> all(status(a, 403), messageStatus(MessageStatus.SENT))));

        cases.add(new Case("StepsFunction", "sqs-steps.json", "no failures; the due send queued", () -> {
            seedMessage(MessageStatus.ACCEPTED, null, null);
            purge("SendQueue");
        }, asIs, a -> all(noFailures(a), queued("SendQueue", MESSAGE_ID))));
        cases.add(new Case("ImportsFunction", "sqs-imports.json", "no failures; 2 contacts stored, job counted",
                this::seedImport, asIs, a -> all(noFailures(a), importDone())));
        cases.add(new Case("SenderFunction", "sqs-send.json", "no failures; the carrier got it, message queued", () -> {
            seedMessage(MessageStatus.ACCEPTED, null, null);
            aws.carrierCalls.set(0);
        }, asIs, a -> all(noFailures(a), aws.carrierCalls.get() == 1 ? null : "the carrier stub got " + aws.carrierCalls.get() + " calls",
                messageStatus(MessageStatus.QUEUED))));
        return cases;
    }

    /** An inbound webhook, signed with the test credentials (Telnyx: now): answered, the sender stored as a contact with the message. */
    private Case inbound(String event, String from, int status) {
        return new Case("WebhooksFunction", event, status + ", contact and inbound message stored", () -> { },
                e -> checkedSignature(e),
                a -> all(status(a, status), inboundStored(from)));
    }

    private String inboundStored(String from) {
        var contact = core.contacts().byPhone(from);
        if (contact.isEmpty()) {
            return "no contact " + from.substring(0, from.length() - 4) + "**" + from.substring(from.length() - 2) + " stored";
        }
        return core.messageStore().conversation(contact.get().id(), 10, null).items().stream()
                .anyMatch(m -> m.direction() == Direction.INBOUND) ? null : "no inbound message stored for the contact";
    }

    /** A status callback for a message handed to the provider: answered 204, the message delivered. */
    private Case receipt(String event, String provider, String providerId) {
        return new Case("WebhooksFunction", event, "204, the message marked delivered",
                () -> seedMessage(MessageStatus.SENT, provider, providerId), this::checkedSignature,
                a -> all(status(a, 204), messageStatus(MessageStatus.DELIVERED)));
    }

    /** Twilio's and Plivo's stored signatures must be the test credentials' (a time-free signature); Telnyx's are made now. */
    private ObjectNode checkedSignature(ObjectNode event) {
        ObjectNode signed = TestProviders.signed(event, Instant.now());
        if (!TestProviders.provider(event).equals("telnyx") && !signed.path("headers").equals(event.path("headers"))) {
            throw new IllegalStateException("the event's signature is not the test credentials' (run lambda-check --sign-events events)");
        }
        return signed;
    }

    private void seedMessage(MessageStatus status, String provider, String providerId) {
        dynamo.deleteItem(r -> r.tableName(core.messageStore().tableName()).key(Map.of("id", AttributeValue.fromS(MESSAGE_ID))));
        Instant now = Instant.now();
        List<Message.StatusChange> history = new ArrayList<>();
        history.add(new Message.StatusChange(MessageStatus.ACCEPTED, now.minusSeconds(5), null));
        if (status != MessageStatus.ACCEPTED) {
            history.add(new Message.StatusChange(status, now.minusSeconds(4), null));
        }
        core.messageStore().create(new Message(MESSAGE_ID, Direction.OUTBOUND, "ct_lambdacheck", "+14155550199", "+14155550100",
                "Your order has shipped.", Category.TRANSACTIONAL, status, history, provider, providerId, "GSM-7", 1, null, null,
                now.minusSeconds(5), null, null));
    }

    private void seedImport() {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(AudienceTable.PK, AttributeValue.fromS("imp_01JEXAMPLE00000000000000000"));
        item.put(AudienceTable.SK, AttributeValue.fromS("import"));
        item.put("rows", AttributeValue.fromN("2"));
        item.put("chunks", AttributeValue.fromN("1"));
        item.put("actor", AttributeValue.fromS("key:default"));
        item.put("createdAt", AttributeValue.fromS(Instant.now().toString()));
        for (String counter : List.of("processed", "created", "updated", "merged", "rejected", "errorCount", "storedErrors")) {
            item.put(counter, AttributeValue.fromN("0"));
        }
        dynamo.putItem(r -> r.tableName(core.settings().tables().audience()).item(item));
    }

    private String importDone() {
        List<String> missing = List.of("+14155550161", "+14155550162").stream().filter(p -> core.contacts().byPhone(p).isEmpty())
                .map(p -> p.substring(0, p.length() - 4) + "**" + p.substring(p.length() - 2)).toList();
        if (!missing.isEmpty()) {
            return "contacts not stored: " + missing;
        }
        Map<String, AttributeValue> job = dynamo.getItem(r -> r.tableName(core.settings().tables().audience()).consistentRead(true)
                .key(Map.of(AudienceTable.PK, AttributeValue.fromS("imp_01JEXAMPLE00000000000000000"),
                        AudienceTable.SK, AttributeValue.fromS("import")))).item();
        String processed = job == null || !job.containsKey("processed") ? "none" : job.get("processed").n();
        return processed.equals("2") ? null : "the import job counts " + processed + " processed rows, not 2";
    }

    private String messageStatus(MessageStatus expected) {
        MessageStatus actual = core.messageStore().get(MESSAGE_ID).map(Message::status).orElse(null);
        return actual == expected ? null : "message status " + actual + ", expected " + expected;
    }

    private void purge(String queue) {
        String url = aws.queues.get(queue);
        while (!sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10)).messages().isEmpty()) {
            sqs.purgeQueue(r -> r.queueUrl(url));
        }
    }

    private String queued(String queue, String text) {
        var received = sqs.receiveMessage(r -> r.queueUrl(aws.queues.get(queue)).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
        return received.stream().anyMatch(m -> m.body().contains(text)) ? null
                : queue + " holds no message with " + text + " (" + received.size() + " messages)";
    }

    private static String status(Answer a, int expected) {
        return a.statusCode() == expected ? null
                : "status " + a.statusCode() + ", expected " + expected + ": " + a.raw().substring(0, Math.min(300, a.raw().length()));
    }

    private static String noFailures(Answer a) {
        JsonNode failures = a.json().path("batchItemFailures");
        return failures.isArray() && failures.isEmpty() ? null : "batchItemFailures not empty: " + a.raw();
    }

    private static String all(String... problems) {
        String joined = java.util.Arrays.stream(problems).filter(Objects::nonNull).collect(Collectors.joining("; "));
        return joined.isEmpty() ? null : joined;
    }

}
