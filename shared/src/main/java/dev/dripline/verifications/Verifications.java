package dev.dripline.verifications;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import dev.dripline.contacts.PhoneNumber;
import dev.dripline.config.Secret;
import dev.dripline.errors.Conflict;
import dev.dripline.errors.FieldError;
import dev.dripline.errors.InvalidInput;
import dev.dripline.errors.RateLimited;
import dev.dripline.logging.Masked;
import dev.dripline.messaging.Message;
import dev.dripline.messaging.Messages;
import dev.dripline.messaging.OneOffMessage;
import dev.dripline.store.TableShape;
import dev.dripline.store.Transaction;
import dev.dripline.webhooks.Hmac;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Low-level client throughout: every write is a conditional update or counter the Enhanced client cannot say.
 * One-time codes sent by SMS and checked once. A code is kept only as an HMAC-SHA256 keyed by
 * DRIPLINE_VERIFY_SECRET (a table dump alone cannot be brute-forced over the small code space),
 * one item per number (a resend replaces it: one valid code at a time), with its own count of
 * checks. Sends are rationed per number and per number prefix per clock hour, both counters
 * taken in one transaction so a refusal consumes neither; only allowed countries get codes.
 * The SMS is an ordinary transactional message: quiet hours do not hold it, an opt-out refuses it.
 *
 * <p>The verifications table holds {@code code#<E.164>} (hash, expiry, checks) and
 * {@code sends#number#<E.164>#<hour>} / {@code sends#prefix#<prefix>#<hour>} counters, all with TTL.
 */
public final class Verifications {

    private static final Logger LOG = LoggerFactory.getLogger(Verifications.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The result of a check, in the API's words. */
    public enum Status {
        /** The code matched; it is used up. */
        APPROVED,
        /** The code did not match; the valid code can still be tried. */
        PENDING,
        /** No valid code: never sent, expired, used, or tried too often. */
        DENIED;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A code on its way: the message carrying it and when it stops being accepted. */
    public record Sent(String to, String channel, String status, Instant expiresAt, String messageId) {
    }

    public static TableShape shape(String tableName) {
        return new TableShape(tableName, "id", null, List.of(), "expiresAt");
    }

    private final DynamoDbClient dynamo;
    private final String table;
    private final VerificationSettings settings;
    private final Supplier<Messages> messages;
    private final Clock clock;
    private final String brand;

    public Verifications(DynamoDbClient dynamo, String table, VerificationSettings settings, Supplier<Messages> messages, Clock clock,
                         String brand) {
        this.dynamo = dynamo;
        this.table = table;
        this.settings = settings;
        this.messages = messages;
        this.clock = clock;
        this.brand = brand;
    }

    /** Sends a new code to {@code to} by SMS; any earlier code for the number stops being valid. */
    public Sent send(String to, String channel, String locale, String actor) {
        messages.get().requireProvider();
        List<FieldError> errors = new ArrayList<>();
        PhoneNumber number = null;
        try {
            number = PhoneNumber.parse(to, null, "to");
        } catch (InvalidInput e) {
            errors.addAll(e.errors());
        }
        if (channel != null && !"sms".equals(channel)) {
            errors.add(new FieldError("channel", "must be sms"));
        }
        if (number != null && !settings.allows(number.country())) {
            errors.add(new FieldError("to", "verification codes are not sent to numbers of " + number.country()
                    + " (DRIPLINE_VERIFY_COUNTRIES)"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
        String secret = settings.secret().map(Secret::reveal).orElseThrow(() -> new Conflict("verification codes are not configured (DRIPLINE_VERIFY_SECRET)"));
        Instant now = clock.instant();
        ration(number, now);
        String code = newCode();
        Instant expiresAt = now.plus(settings.lifetime());
        String e164 = number.e164();
        dynamo.putItem(r -> r.tableName(table).item(Map.of(
                "id", s(codeId(e164)),
                "codeHash", AttributeValue.fromS(hash(secret, e164, code)),
                "validUntil", n(expiresAt.toEpochMilli()),
                "checks", n(0),
                "expiresAt", n(expiresAt.getEpochSecond() + 60))));
        Message message;
        try {
            message = messages.get().submit(new OneOffMessage(number.e164(), null, VerificationText.of(locale, brand, code, settings.lifetime()),
                    "transactional", null, null), actor);
        } catch (RuntimeException refused) {
            // Opted out, or the queue is down: no code the person never received stays valid.
            dynamo.deleteItem(r -> r.tableName(table).key(Map.of("id", s(codeId(e164)))));
            throw refused;
        }
        LOG.info("verification code sent to {} as {}", Masked.phone(number.e164()), message.id());
        return new Sent(number.e164(), "sms", "pending", expiresAt, message.id());
    }

    /** Checks {@code code} against the number's valid code; a match uses it up. */
    public Status check(String to, String code) {
        List<FieldError> errors = new ArrayList<>();
        PhoneNumber number = null;
        try {
            number = PhoneNumber.parse(to, null, "to");
        } catch (InvalidInput e) {
            errors.addAll(e.errors());
        }
        if (code == null || code.isBlank()) {
            errors.add(new FieldError("code", "is required"));
        } else if (code.length() > 64) {
            errors.add(new FieldError("code", "has more than 64 characters"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
        String secret = settings.secret().map(Secret::reveal).orElse(null);
        if (secret == null) {
            return Status.DENIED;
        }
        String id = codeId(number.e164());
        Map<String, AttributeValue> item;
        try {
            // Count the check before comparing: concurrent guesses each use one of the tries.
            item = dynamo.updateItem(r -> r.tableName(table).key(Map.of("id", s(id)))
                    .updateExpression("ADD checks :one")
                    .conditionExpression("attribute_exists(codeHash) AND checks < :max AND validUntil > :now")
                    .expressionAttributeValues(Map.of(":one", n(1), ":max", n(settings.maxChecks()),
                            ":now", n(clock.instant().toEpochMilli())))
                    .returnValues(ReturnValue.ALL_NEW)).attributes();
        } catch (ConditionalCheckFailedException noValidCode) {
            return Status.DENIED;
        }
        String stored = item.get("codeHash").s();
        if (Hmac.equal(stored.getBytes(StandardCharsets.US_ASCII), hash(secret, number.e164(), code.trim()).getBytes(StandardCharsets.US_ASCII))) {
            try {
                // Single use: of two concurrent right answers, only the one that deletes it is approved.
                dynamo.deleteItem(r -> r.tableName(table).key(Map.of("id", s(id)))
                        .conditionExpression("codeHash = :hash").expressionAttributeValues(Map.of(":hash", s(stored))));
                return Status.APPROVED;
            } catch (ConditionalCheckFailedException alreadyUsed) {
                return Status.DENIED;
            }
        }
        int checks = Integer.parseInt(item.get("checks").n());
        return checks < settings.maxChecks() ? Status.PENDING : Status.DENIED;
    }

    /** Takes one send from the number's and the prefix's hourly allowance, both or neither. */
    private void ration(PhoneNumber number, Instant now) {
        long hour = now.getEpochSecond() / 3600;
        long ttl = (hour + 2) * 3600;
        String prefix = prefix(number);
        Transaction.Outcome outcome = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            outcome = Transaction.of()
                    .update("number", counter("sends#number#" + number.e164() + "#" + hour, settings.perNumberPerHour(), ttl))
                    .update("prefix", counter("sends#prefix#" + prefix + "#" + hour, settings.perPrefixPerHour(), ttl))
                    .write(dynamo);
            if (!outcome.conflicted() || outcome.onlyConditionsFailed()) {
                break; // a conflict wrote nothing: take both again
            }
        }
        if (outcome.committed()) {
            return;
        }
        boolean numberFull = outcome.refused("number");
        boolean prefixFull = outcome.refused("prefix");
        if (!numberFull && !prefixFull) {
            throw new IllegalStateException("verification send counters for " + Masked.phone(number.e164()) + " stayed contended: " + outcome);
        }
        Duration untilNextHour = Duration.between(now, Instant.ofEpochSecond((hour + 1) * 3600));
        LOG.warn("verification send refused for {}: {} limit reached", Masked.phone(number.e164()), numberFull ? "number" : "prefix " + prefix);
        throw new RateLimited(numberFull
                ? "too many codes for this number this hour (at most " + settings.perNumberPerHour() + ")"
                : "too many codes for numbers starting " + prefix + " this hour (at most " + settings.perPrefixPerHour() + ")",
                untilNextHour);
    }

    private Update counter(String id, int max, long ttl) {
        return Update.builder().tableName(table).key(Map.of("id", s(id)))
                .updateExpression("ADD sends :one SET expiresAt = :ttl")
                .conditionExpression("attribute_not_exists(sends) OR sends < :max")
                .expressionAttributeValues(Map.of(":one", n(1), ":max", n(max), ":ttl", n(ttl)))
                .build();
    }

    /** The country calling code and the first national digits: {@code +1415} for +14155550123. */
    String prefix(PhoneNumber number) {
        String cc = Integer.toString(PhoneNumberUtil.getInstance().getCountryCodeForRegion(number.country()));
        String national = number.e164().substring(1 + cc.length());
        return "+" + cc + national.substring(0, Math.min(settings.prefixDigits(), national.length()));
    }

    private String newCode() {
        StringBuilder code = new StringBuilder(settings.codeLength());
        for (int i = 0; i < settings.codeLength(); i++) {
            code.append((char) ('0' + RANDOM.nextInt(10)));
        }
        return code.toString();
    }

    /** Keyed by the secret and bound to the number, so a hash says nothing without both. */
    static String hash(String secret, String e164, String code) {
        return HexFormat.of().formatHex(Hmac.of("HmacSHA256", secret, e164 + ":" + code));
    }

    private static String codeId(String e164) {
        return "code#" + e164;
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
