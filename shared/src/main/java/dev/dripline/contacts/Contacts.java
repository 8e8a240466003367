package dev.dripline.contacts;

import dev.dripline.Ids;
import dev.dripline.consent.ConsentEntry;
import dev.dripline.consent.ConsentLedger;
import dev.dripline.consent.ConsentStatus;
import dev.dripline.errors.FieldError;
import dev.dripline.errors.InvalidInput;
import dev.dripline.errors.NotFound;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** Contacts: upsert by phone number, read. Every write of a contact and its consent is one transaction. */
public final class Contacts {

    /** Where a contact came from when the upsert returns: created now, or found and merged. */
    public record Upserted(Contact contact, boolean created) {
    }

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s.]+(\\.[^@\\s.]+)+$");
    /** Writers racing on one contact: each round one wins; the others back off a little and retry. */
    private static final int MAX_ATTEMPTS = 25;

    private final DynamoDbEnhancedClient client;
    private final ContactStore store;
    private final ConsentLedger ledger;
    private final Clock clock;

    public Contacts(DynamoDbEnhancedClient client, ContactStore store, ConsentLedger ledger, Clock clock) {
        this.client = client;
        this.store = store;
        this.ledger = ledger;
        this.clock = clock;
    }

    public Optional<Contact> get(String id) {
        return store.get(id);
    }

    public Optional<Contact> byPhone(String e164) {
        return store.byPhone(e164);
    }

    /**
     * Creates the contact that owns {@code input.phone()}, or merges into it. Safe under
     * concurrency: two upserts of one new number create one contact (the phone claim), and two
     * updates of one contact never lose a field (the version attribute; the loser retries).
     *
     * @param actor who is writing, recorded in the consent ledger
     */
    public Upserted upsert(ContactInput input, String actor) {
        Valid valid = validate(input);
        for (int attempt = 1; ; attempt++) {
            Optional<String> owner = store.claimedBy(valid.phone.e164());
            try {
                if (owner.isEmpty()) {
                    return new Upserted(create(valid, actor), true);
                }
                Optional<ContactStore.ContactItem> existing = store.item(owner.get());
                if (existing.isEmpty()) {
                    throw new IllegalStateException("phone claim points at a missing contact " + owner.get());
                }
                return new Upserted(merge(existing.get(), valid, actor), false);
            } catch (TransactionCanceledException lostRace) {
                if (attempt >= MAX_ATTEMPTS || !onlyConditionsFailed(lostRace)) {
                    throw lostRace;
                }
                backOff(attempt);
            }
        }
    }

    /**
     * Finds the contact for a number that wrote to us or that we were asked to text, creating
     * one with no marketing consent when the number is new.
     */
    public Contact findOrCreate(PhoneNumber phone, String actor) {
        return store.byPhone(phone.e164()).orElseGet(() -> upsert(
                new ContactInput(phone.e164(), null, null, null, null, null, null, null, null), actor).contact());
    }

    /**
     * Moves a contact's consent to {@code status} with a ledger entry, in one transaction with
     * whatever {@code alongside} adds (a keyword's confirmation reply), unless the contact is
     * already there or {@code onlyFrom} does not allow its current status.
     *
     * @param source how it was captured (keyword, provider_report)
     * @param proof  the evidence: the exact text received, or the provider's report
     * @return true only if this call changed the consent (so one opt-out gets one confirmation
     *         even when two STOPs race)
     */
    public boolean changeConsent(String contactId, ConsentStatus status, String source, String proof, String actor,
                                 Instant capturedAt, Predicate<ConsentStatus> onlyFrom,
                                 Consumer<TransactWriteItemsEnhancedRequest.Builder> alongside) {
        for (int attempt = 1; ; attempt++) {
            ContactStore.ContactItem stored = store.item(contactId).orElseThrow(() -> new NotFound("contact", contactId));
            ConsentStatus current = ConsentStatus.fromWire(stored.consent);
            if (current == status || !onlyFrom.test(current)) {
                return false;
            }
            Instant now = clock.instant();
            ContactStore.ContactItem item = stored.copy();
            item.consent = status.wire();
            item.updatedAt = now;
            ConsentEntry entry = new ConsentEntry(item.id, now + "#" + Ids.next("cs", clock), status, "sms", source, proof,
                    null, null, actor, capturedAt == null ? now : capturedAt, now);
            TransactWriteItemsEnhancedRequest.Builder tx = TransactWriteItemsEnhancedRequest.builder()
                    .addPutItem(store.contacts(), item)
                    .addPutItem(ledger.table(), ledger.appendRequest(entry));
            alongside.accept(tx);
            try {
                client.transactWriteItems(tx.build());
                return true;
            } catch (TransactionCanceledException lostRace) {
                if (attempt >= MAX_ATTEMPTS || !onlyConditionsFailed(lostRace)) {
                    throw lostRace;
                }
                backOff(attempt);
            }
        }
    }

    private Contact create(Valid valid, String actor) {
        Instant now = clock.instant();
        ContactStore.ContactItem item = new ContactStore.ContactItem();
        item.id = Ids.next("ct", clock);
        item.phone = valid.phone.e164();
        item.country = valid.phone.country();
        item.numberType = valid.phone.type();
        item.createdAt = now;
        item.consent = ConsentStatus.NONE.wire();
        apply(item, valid, now);
        ContactStore.PhoneClaimItem claim = new ContactStore.PhoneClaimItem();
        claim.id = ContactStore.claimKey(item.phone);
        claim.contactId = item.id;

        TransactWriteItemsEnhancedRequest.Builder tx = TransactWriteItemsEnhancedRequest.builder()
                .addPutItem(store.claims(), TransactPutItemEnhancedRequest.builder(ContactStore.PhoneClaimItem.class)
                        .item(claim).conditionExpression(notExists()).build())
                .addPutItem(store.contacts(), TransactPutItemEnhancedRequest.builder(ContactStore.ContactItem.class)
                        .item(item).conditionExpression(notExists()).build());
        consentEntry(item, valid, actor, now).ifPresent(e -> tx.addPutItem(ledger.table(), ledger.appendRequest(e)));
        client.transactWriteItems(tx.build());
        item.version = 1L;
        return item.toContact();
    }

    private Contact merge(ContactStore.ContactItem stored, Valid valid, String actor) {
        Instant now = clock.instant();
        ContactStore.ContactItem item = stored.copy();
        apply(item, valid, now);
        TransactWriteItemsEnhancedRequest.Builder tx = TransactWriteItemsEnhancedRequest.builder()
                .addPutItem(store.contacts(), item);
        consentEntry(item, valid, actor, now).ifPresent(e -> tx.addPutItem(ledger.table(), ledger.appendRequest(e)));
        client.transactWriteItems(tx.build());
        item.version = stored.version == null ? 1L : stored.version + 1;
        return item.toContact();
    }

    /** A ledger entry when the input changes the contact's consent; the item's status follows it. */
    private Optional<ConsentEntry> consentEntry(ContactStore.ContactItem item, Valid valid, String actor, Instant now) {
        if (valid.consent == null || valid.consent.wire().equals(item.consent)) {
            return Optional.empty();
        }
        ContactInput.ConsentInput c = valid.input.consent();
        item.consent = valid.consent.wire();
        return Optional.of(new ConsentEntry(item.id, now + "#" + Ids.next("cs", clock), valid.consent, "sms",
                c.source() == null ? "api" : c.source(), c.proof(), c.ip(), c.userAgent(), actor,
                c.capturedAt() == null ? now : c.capturedAt(), now));
    }

    private static void apply(ContactStore.ContactItem item, Valid valid, Instant now) {
        ContactInput in = valid.input;
        if (in.firstName() != null) {
            item.firstName = in.firstName().trim();
        }
        if (in.lastName() != null) {
            item.lastName = in.lastName().trim();
        }
        if (in.email() != null) {
            item.email = in.email().trim();
        }
        if (in.timeZone() != null) {
            item.timeZone = in.timeZone();
            item.timeZones = List.of(in.timeZone());
        } else if (item.timeZone == null) {
            item.timeZones = valid.phone.timeZones();
            item.timeZone = valid.phone.timeZones().isEmpty() ? null : valid.phone.timeZones().get(0);
        }
        if (in.attributes() != null) {
            Map<String, Object> merged = item.attributes == null ? new LinkedHashMap<>() : new LinkedHashMap<>(item.attributes);
            merged.putAll(in.attributes());
            item.attributes = merged;
        }
        if (in.tags() != null) {
            LinkedHashSet<String> tags = new LinkedHashSet<>(item.tags == null ? List.of() : item.tags);
            in.tags().forEach(t -> tags.add(t.trim()));
            item.tags = new ArrayList<>(tags);
        }
        item.updatedAt = now;
    }

    private record Valid(ContactInput input, PhoneNumber phone, ConsentStatus consent) {
    }

    private static Valid validate(ContactInput in) {
        List<FieldError> errors = new ArrayList<>();
        PhoneNumber phone = null;
        try {
            phone = PhoneNumber.parse(in.phone(), in.country(), "phone");
        } catch (InvalidInput e) {
            errors.addAll(e.errors());
        }
        if (in.email() != null && !EMAIL.matcher(in.email().trim()).matches()) {
            errors.add(new FieldError("email", "is not an e-mail address"));
        }
        if (in.timeZone() != null) {
            try {
                ZoneId zone = ZoneId.of(in.timeZone());
                if (!zone.getId().contains("/") && !"UTC".equals(zone.getId())) {
                    errors.add(new FieldError("timeZone", "must be an IANA zone name such as America/New_York"));
                }
            } catch (DateTimeException e) {
                errors.add(new FieldError("timeZone", "'" + in.timeZone() + "' is not an IANA zone name"));
            }
        }
        if (in.attributes() != null) {
            in.attributes().forEach((name, value) -> {
                if (name.isBlank() || name.length() > 64) {
                    errors.add(new FieldError("attributes", "names must be 1 to 64 characters"));
                } else if (value != null && !(value instanceof String || value instanceof Number || value instanceof Boolean)) {
                    errors.add(new FieldError("attributes." + name, "must be a string, number or boolean"));
                }
            });
        }
        if (in.tags() != null) {
            for (int i = 0; i < in.tags().size(); i++) {
                String tag = in.tags().get(i);
                if (tag == null || tag.isBlank() || tag.length() > 64) {
                    errors.add(new FieldError("tags[" + i + "]", "must be 1 to 64 characters"));
                }
            }
        }
        ConsentStatus consent = null;
        if (in.consent() != null) {
            consent = ConsentStatus.fromWire(in.consent().status());
            if (consent == null || consent == ConsentStatus.NONE) {
                errors.add(new FieldError("consent.status", "must be opted_in, opted_out or pending"));
            }
            if (consent == ConsentStatus.OPTED_IN && (in.consent().source() == null || in.consent().source().isBlank())) {
                errors.add(new FieldError("consent.source", "is required with opted_in: say where consent was captured"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
        return new Valid(in, phone, consent);
    }

    /** A short random pause, growing with the attempts, so racing writers stop colliding in lockstep. */
    private static void backOff(int attempt) {
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(1, 5L * Math.min(attempt, 8) + 2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a contact write", e);
        }
    }

    private static Expression notExists() {
        return Expression.builder().expression("attribute_not_exists(id)").build();
    }

    private static boolean onlyConditionsFailed(TransactionCanceledException e) {
        return e.hasCancellationReasons() && e.cancellationReasons().stream()
                .map(CancellationReason::code)
                .allMatch(code -> code == null || "None".equals(code) || "ConditionalCheckFailed".equals(code));
    }
}
