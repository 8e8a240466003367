package dev.dripline.webhooks.aws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.errors.InvalidInput;
import dev.dripline.json.Json;
import java.io.IOException;

/** One SNS HTTP(S) delivery, as SNS posts it (its fields keep SNS's names). */
public record SnsEnvelope(String type, String messageId, String token, String topicArn, String subject, String message,
                          String subscribeUrl, String timestamp, String signatureVersion, String signature, String signingCertUrl) {

    public static final String NOTIFICATION = "Notification";
    public static final String SUBSCRIPTION_CONFIRMATION = "SubscriptionConfirmation";
    public static final String UNSUBSCRIBE_CONFIRMATION = "UnsubscribeConfirmation";

    public static SnsEnvelope parse(String body) {
        JsonNode json;
        try {
            json = Json.mapper().readTree(body == null ? "" : body);
        } catch (IOException e) {
            throw InvalidInput.of("body", "is not valid JSON");
        }
        if (json == null || !json.isObject()) {
            throw InvalidInput.of("body", "must be a JSON object");
        }
        return new SnsEnvelope(text(json, "Type"), text(json, "MessageId"), text(json, "Token"), text(json, "TopicArn"),
                text(json, "Subject"), text(json, "Message"), text(json, "SubscribeURL"), text(json, "Timestamp"),
                text(json, "SignatureVersion"), text(json, "Signature"), text(json, "SigningCertURL"));
    }

    private static String text(JsonNode json, String field) {
        JsonNode v = json.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /**
     * The string SNS signs: name and value lines of the documented fields, in the documented
     * order, for this type; Subject only when the notification has one.
     */
    public String canonical() {
        StringBuilder s = new StringBuilder();
        if (NOTIFICATION.equals(type)) {
            line(s, "Message", message);
            line(s, "MessageId", messageId);
            if (subject != null) {
                line(s, "Subject", subject);
            }
            line(s, "Timestamp", timestamp);
            line(s, "TopicArn", topicArn);
            line(s, "Type", type);
        } else {
            line(s, "Message", message);
            line(s, "MessageId", messageId);
            line(s, "SubscribeURL", subscribeUrl);
            line(s, "Timestamp", timestamp);
            line(s, "Token", token);
            line(s, "TopicArn", topicArn);
            line(s, "Type", type);
        }
        return s.toString();
    }

    private static void line(StringBuilder s, String name, String value) {
        s.append(name).append('\n').append(value == null ? "" : value).append('\n');
    }
}
