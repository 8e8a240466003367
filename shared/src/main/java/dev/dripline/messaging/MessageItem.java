package dev.dripline.messaging;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondarySortKey;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;


/** The stored form of a message in the messages table, and its mapping to and from {@link Message}. */
final class MessageItem {

    static final TableSchema<StatusChangeItem> STATUS_CHANGE = StaticTableSchema.builder(StatusChangeItem.class)
            .newItemSupplier(StatusChangeItem::new)
            .addAttribute(String.class, a -> a.name("status").getter(i -> i.status).setter((i, v) -> i.status = v))
            .addAttribute(String.class, a -> a.name("at").getter(i -> i.at).setter((i, v) -> i.at = v))
            .addAttribute(String.class, a -> a.name("errorCode").getter(i -> i.errorCode).setter((i, v) -> i.errorCode = v))
            .build();

    static final TableSchema<MediaItem> MEDIA = StaticTableSchema.builder(MediaItem.class)
            .newItemSupplier(MediaItem::new)
            .addAttribute(String.class, a -> a.name("id").getter(i -> i.id).setter((i, v) -> i.id = v))
            .addAttribute(String.class, a -> a.name("url").getter(i -> i.url).setter((i, v) -> i.url = v))
            .addAttribute(String.class, a -> a.name("contentType").getter(i -> i.contentType).setter((i, v) -> i.contentType = v))
            .addAttribute(Long.class, a -> a.name("size").getter(i -> i.size).setter((i, v) -> i.size = v))
            .addAttribute(String.class, a -> a.name("status").getter(i -> i.status).setter((i, v) -> i.status = v))
            .addAttribute(String.class, a -> a.name("error").getter(i -> i.error).setter((i, v) -> i.error = v))
            .addAttribute(String.class, a -> a.name("source").getter(i -> i.source).setter((i, v) -> i.source = v))
            .addAttribute(Integer.class, a -> a.name("attempts").getter(i -> i.attempts).setter((i, v) -> i.attempts = v))
            .build();

    static final TableSchema<MessageItem> SCHEMA = StaticTableSchema.builder(MessageItem.class)
            .newItemSupplier(MessageItem::new)
            .addAttribute(String.class, a -> a.name("id").getter(i -> i.id).setter((i, v) -> i.id = v).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name("direction").getter(i -> i.direction).setter((i, v) -> i.direction = v))
            .addAttribute(String.class, a -> a.name("contactId").getter(i -> i.contactId).setter((i, v) -> i.contactId = v).tags(secondaryPartitionKey(MessageStore.CONTACT_INDEX)))
            .addAttribute(String.class, a -> a.name("createdAt").getter(i -> i.createdAt).setter((i, v) -> i.createdAt = v).tags(secondarySortKey(MessageStore.CONTACT_INDEX)))
            .addAttribute(String.class, a -> a.name("to").getter(i -> i.to).setter((i, v) -> i.to = v))
            .addAttribute(String.class, a -> a.name("from").getter(i -> i.from).setter((i, v) -> i.from = v))
            .addAttribute(String.class, a -> a.name("body").getter(i -> i.body).setter((i, v) -> i.body = v))
            .addAttribute(String.class, a -> a.name("category").getter(i -> i.category).setter((i, v) -> i.category = v))
            .addAttribute(String.class, a -> a.name("status").getter(i -> i.status).setter((i, v) -> i.status = v))
            .addAttribute(Integer.class, a -> a.name("statusRank").getter(i -> i.statusRank).setter((i, v) -> i.statusRank = v))
            .addAttribute(EnhancedType.listOf(EnhancedType.documentOf(StatusChangeItem.class, STATUS_CHANGE)),
                    a -> a.name("history").getter(i -> i.history).setter((i, v) -> i.history = v))
            .addAttribute(String.class, a -> a.name("provider").getter(i -> i.provider).setter((i, v) -> i.provider = v))
            .addAttribute(String.class, a -> a.name("providerMessageId").getter(i -> i.providerMessageId).setter((i, v) -> i.providerMessageId = v))
            .addAttribute(String.class, a -> a.name("encoding").getter(i -> i.encoding).setter((i, v) -> i.encoding = v))
            .addAttribute(Integer.class, a -> a.name("segments").getter(i -> i.segments).setter((i, v) -> i.segments = v))
            .addAttribute(BigDecimal.class, a -> a.name("cost").getter(i -> i.cost).setter((i, v) -> i.cost = v))
            .addAttribute(String.class, a -> a.name("errorCode").getter(i -> i.errorCode).setter((i, v) -> i.errorCode = v))
            .addAttribute(String.class, a -> a.name("dispatch").getter(i -> i.dispatch).setter((i, v) -> i.dispatch = v))
            .addAttribute(String.class, a -> a.name("dispatchedAt").getter(i -> i.dispatchedAt).setter((i, v) -> i.dispatchedAt = v))
            .addAttribute(String.class, a -> a.name("unknownSince").getter(i -> i.unknownSince).setter((i, v) -> i.unknownSince = v))
            .addAttribute(String.class, a -> a.name("sentFrom").getter(i -> i.sentFrom).setter((i, v) -> i.sentFrom = v))
            .addAttribute(String.class, a -> a.name("requestHash").getter(i -> i.requestHash).setter((i, v) -> i.requestHash = v))
            .addAttribute(Instant.class, a -> a.name("sendAt").getter(i -> i.sendAt).setter((i, v) -> i.sendAt = v))
            .addAttribute(Long.class, a -> a.name("expiresAt").getter(i -> i.expiresAt).setter((i, v) -> i.expiresAt = v))
            .addAttribute(Boolean.class, a -> a.name("optOutConfirmation").getter(i -> i.optOutConfirmation).setter((i, v) -> i.optOutConfirmation = v))
            .addAttribute(Boolean.class, a -> a.name("acted").getter(i -> i.acted).setter((i, v) -> i.acted = v))
            .addAttribute(String.class, a -> a.name("campaignId").getter(i -> i.campaignId).setter((i, v) -> i.campaignId = v))
            .addAttribute(Integer.class, a -> a.name("campaignVersion").getter(i -> i.campaignVersion).setter((i, v) -> i.campaignVersion = v))
            .addAttribute(String.class, a -> a.name("stepId").getter(i -> i.stepId).setter((i, v) -> i.stepId = v))
            .addAttribute(String.class, a -> a.name("variant").getter(i -> i.variant).setter((i, v) -> i.variant = v))
            .addAttribute(String.class, a -> a.name("topic").getter(i -> i.topic).setter((i, v) -> i.topic = v))
            .addAttribute(Instant.class, a -> a.name("heldUntil").getter(i -> i.heldUntil).setter((i, v) -> i.heldUntil = v))
            .addAttribute(String.class, a -> a.name("heldBy").getter(i -> i.heldBy).setter((i, v) -> i.heldBy = v))
            .addAttribute(String.class, a -> a.name("heldByJurisdiction").getter(i -> i.heldByJurisdiction).setter((i, v) -> i.heldByJurisdiction = v))
            .addAttribute(String.class, a -> a.name("heldBySource").getter(i -> i.heldBySource).setter((i, v) -> i.heldBySource = v))
            .addAttribute(String.class, a -> a.name("enrolmentId").getter(i -> i.enrolmentId).setter((i, v) -> i.enrolmentId = v))
            .addAttribute(String.class, a -> a.name("broadcastId").getter(i -> i.broadcastId).setter((i, v) -> i.broadcastId = v))
            .addAttribute(Long.class, a -> a.name("clicks").getter(i -> i.clicks).setter((i, v) -> i.clicks = v))
            .addAttribute(Long.class, a -> a.name("replies").getter(i -> i.replies).setter((i, v) -> i.replies = v))
            .addAttribute(Long.class, a -> a.name("optOuts").getter(i -> i.optOuts).setter((i, v) -> i.optOuts = v))
            .addAttribute(EnhancedType.listOf(EnhancedType.documentOf(MediaItem.class, MEDIA)),
                    a -> a.name("media").getter(i -> i.media).setter((i, v) -> i.media = v))
            .build();

        String id;
        String direction;
        String contactId;
        String createdAt;
        String to;
        String from;
        String body;
        String category;
        String status;
        Integer statusRank;
        List<StatusChangeItem> history;
        String provider;
        String providerMessageId;
        String encoding;
        Integer segments;
        BigDecimal cost;
        String errorCode;
        String dispatch;
        String dispatchedAt;
        String unknownSince;
        String sentFrom;
        Instant sendAt;
        String requestHash;
        Long expiresAt;
        Boolean optOutConfirmation;
        Boolean acted;
        String campaignId;
        Integer campaignVersion;
        String stepId;
        String variant;
        String topic;
        Instant heldUntil;
        String heldBy;
        String heldByJurisdiction;
        String heldBySource;
        String enrolmentId;
        String broadcastId;
        Long clicks;
        Long replies;
        Long optOuts;
        List<MediaItem> media;

        Message toMessage() {
            Origin origin = campaignId == null && broadcastId == null ? null
                    : new Origin(campaignId, campaignVersion, stepId, variant, enrolmentId, broadcastId);
            return new Message(id, Direction.valueOf(direction.toUpperCase(java.util.Locale.ROOT)), contactId, to, from, body,
                    Category.fromWire(category), MessageStatus.fromWire(status),
                    history == null ? List.of() : history.stream().map(StatusChangeItem::toChange).toList(),
                    provider, providerMessageId, encoding, segments, cost, errorCode, Instant.parse(createdAt), sendAt, origin, topic,
                    heldBy == null ? null : new Message.CapHold(heldUntil, heldBy, heldByJurisdiction, heldBySource),
                    media == null ? List.of() : media.stream().map(MediaItem::toMedia).toList());
        }

    static MessageItem of(Message m, boolean optOutConfirmation, Long expiresAt) {
        MessageItem item = new MessageItem();
        item.expiresAt = expiresAt;
        item.id = m.id();
        item.direction = m.direction().wire();
        item.contactId = m.contactId();
        item.createdAt = m.createdAt().toString();
        item.to = m.to();
        item.from = m.from();
        item.body = m.body();
        item.category = m.category() == null ? null : m.category().wire();
        item.status = m.status().wire();
        item.statusRank = m.status().rank();
        item.history = new ArrayList<>(m.history().stream().map(StatusChangeItem::of).toList());
        item.provider = m.provider();
        item.providerMessageId = m.providerMessageId();
        item.encoding = m.encoding();
        item.segments = m.segments();
        item.cost = m.cost();
        item.sendAt = m.sendAt();
        item.optOutConfirmation = optOutConfirmation ? Boolean.TRUE : null;
        item.media = m.media().isEmpty() ? null : new ArrayList<>(m.media().stream().map(MediaItem::of).toList());
        item.topic = m.topic();
        if (m.capHold() != null) {
            item.heldUntil = m.capHold().until();
            item.heldBy = m.capHold().ruleId();
            item.heldByJurisdiction = m.capHold().jurisdiction();
            item.heldBySource = m.capHold().source();
        }
        Origin o = m.origin();
        if (o != null) {
            item.campaignId = o.campaignId();
            item.campaignVersion = o.version();
            item.stepId = o.stepId();
            item.variant = o.variant();
            item.enrolmentId = o.enrolmentId();
            item.broadcastId = o.broadcastId();
        }
        return item;
    }

    /** The origin kept on a raw message item, or null. */
    static Origin origin(Map<String, AttributeValue> item) {
        if (item == null || !item.containsKey("campaignId") && !item.containsKey("broadcastId")) {
            return null;
        }
        return new Origin(str(item, "campaignId"), item.containsKey("campaignVersion") ? Integer.valueOf(item.get("campaignVersion").n()) : null,
                str(item, "stepId"), str(item, "variant"), str(item, "enrolmentId"), str(item, "broadcastId"));
    }

    private static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    /** One entry of a message's status history. */
    static final class StatusChangeItem {
        String status;
        String at;
        String errorCode;

        static StatusChangeItem of(Message.StatusChange c) {
            StatusChangeItem i = new StatusChangeItem();
            i.status = c.status().wire();
            i.at = c.at().toString();
            i.errorCode = c.errorCode();
            return i;
        }

        Message.StatusChange toChange() {
            return new Message.StatusChange(MessageStatus.fromWire(status), Instant.parse(at), errorCode);
        }
    }

    /** One media entry of a message (its fetch URL is never stored: it is made when read). */
    static final class MediaItem {
        String id;
        /** A caller's own URL (outbound media given by {@code url}, not uploaded): kept, since nothing else names it. */
        String url;
        String contentType;
        Long size;
        String status;
        String error;
        String source;
        Integer attempts;

        static MediaItem of(MessageMedia m) {
            MediaItem i = new MediaItem();
            i.id = m.id();
            i.url = m.id() == null && m.source() == null ? m.url() : null;
            i.contentType = m.contentType();
            i.size = m.size();
            i.status = m.status();
            i.error = m.error();
            i.source = m.source();
            i.attempts = m.attempts() == 0 ? null : m.attempts();
            return i;
        }

        MessageMedia toMedia() {
            return new MessageMedia(id, url, contentType, size, status, error, source, attempts == null ? 0 : attempts);
        }
    }
}
