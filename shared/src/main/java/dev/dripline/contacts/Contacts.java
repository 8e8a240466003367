// Over 400 lines: the four writes of a contact (upsert, consent, patch, erase) share one retry loop and the listeners they tell.
package dev.dripline.contacts;

import dev.dripline.ids.Ids;
import dev.dripline.consent.ConsentEntry;
import dev.dripline.consent.ConsentLedger;
import dev.dripline.consent.ConsentStatus;
import dev.dripline.errors.InvalidInput;
import dev.dripline.errors.NotFound;
import dev.dripline.errors.Conflict;
import dev.dripline.logging.Masked;
import dev.dripline.store.Transaction;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Contacts: upsert by phone number, read, change, erase. Every write of a contact, its phone
 * claim, its tag memberships and its consent is one transaction, so no reader ever sees half of
 * one; concurrent writers of one contact are serialised by its version attribute (the loser
 * re-reads and retries, in {@link #retried}), so no field is lost. The transactions are
 * {@link ContactStore}'s; a refusal reaches this class as a result, never as an exception.
 */
public final class Contacts {

    /** Where a contact came from when the upsert returns: created now, or found and merged. */
    public record Upserted(Contact contact, boolean created) {
    }

    /** A contact as written, and whether this write moved its consent to pending (double opt-in asks then). */
    record Written(Contact contact, boolean created, boolean becamePending) {
    }

    /** Writers racing on one contact: each round one wins; the others back off a little and retry. */
    private static final int MAX_ATTEMPTS = 25;

    private final ContactStore store;
    private final ConsentLedger ledger;
    private final Clock clock;
    private final Suppression suppression;
    private volatile Consumer<Contact> onPending = c -> { };
    private volatile Consumer<Contact> onChanged = c -> { };
    private volatile java.util.function.BiConsumer<ConsentEntry, String> onConsent = (e, phone) -> { };

    public Contacts(ContactStore store, ConsentLedger ledger, Clock clock, Suppression suppression) {
        this.store = store;
        this.ledger = ledger;
        this.clock = clock;
        this.suppression = suppression;
    }

    /** Called after a write that made a contact's consent pending: the double opt-in question goes out there. */
    /**
     * Told of every contact created or changed through the API (not by bulk import, which would
     * make one notification per row): segment-triggered campaigns listen here.
     */
    public void onChanged(Consumer<Contact> listener) {
        this.onChanged = listener;
    }

    private void changed(Contact contact) {
        try {
            onChanged.accept(contact);
        } catch (RuntimeException e) {
            // The contact is written; a lost notification is logged, not a failed write.
            org.slf4j.LoggerFactory.getLogger(Contacts.class).warn("contact {} changed, segment campaigns not told: {}", contact.id(), e.toString());
        }
    }

    /**
     * Told of every opt-in and opt-out written here (keywords, the API, provider reports,
     * erasure), after its transaction, with the contact's number (null once erased). Bulk
     * imports do not call it.
     */
    public void onConsentChanged(java.util.function.BiConsumer<ConsentEntry, String> listener) {
        this.onConsent = listener;
    }

    private void consentChanged(ConsentEntry entry, String phone) {
        if (entry.status() != ConsentStatus.OPTED_IN && entry.status() != ConsentStatus.OPTED_OUT) {
            return;
        }
        try {
            onConsent.accept(entry, phone);
        } catch (RuntimeException e) {
            // The consent is written; a lost notification is logged, not a failed write.
            org.slf4j.LoggerFactory.getLogger(Contacts.class).warn("consent change of {} not published: {}", entry.contactId(), e.toString());
        }
    }

    public void onPending(Consumer<Contact> listener) {
        this.onPending = listener;
    }

    public Optional<Contact> get(String id) {
        return store.get(id);
    }

    public Optional<Contact> byPhone(String e164) {
        return store.byPhone(e164);
    }

    /** Contacts by id, in that order, skipping the missing. */
    public List<Contact> get(List<String> ids) {
        return store.contacts(ids);
    }

    ContactStore store() {
        return store;
    }

    Clock clock() {
        return clock;
    }

    Suppression suppression() {
        return suppression;
    }

    ConsentLedger ledger() {
        return ledger;
    }

    void pending(Contact contact) {
        try {
            onPending.accept(contact);
        } catch (RuntimeException e) {
            // The contact is written; a failed question is logged, not a failed upsert.
            org.slf4j.LoggerFactory.getLogger(Contacts.class).warn("double opt-in text for {} not sent: {}", contact.id(), e.toString());
        }
    }

    /**
     * Creates the contact that owns {@code input.phone()}, or merges into it. Safe under
     * concurrency: two upserts of one new number create one contact (the phone claim), and two
     * updates of one contact never lose a field (the version attribute; the loser retries).
     * A number on the suppression list (erased before) is created opted out, whatever the input says.
     *
     * @param actor who is writing, recorded in the consent ledger
     */
    public Upserted upsert(ContactInput input, String actor) {
        Written w = upsertValid(ContactRules.validate(input), actor);
        if (w.becamePending()) {
            pending(w.contact());
        }
        changed(w.contact());
        return new Upserted(w.contact(), w.created());
    }

    Written upsertValid(ContactRules.Valid valid, String actor) {
        return retried("contact " + Masked.phone(valid.phone().e164()), () -> {
            Optional<String> owner = store.claimedBy(valid.phone().e164());
            if (owner.isEmpty()) {
                return create(valid, actor, null);
            }
            Optional<ContactStore.ContactItem> existing = store.item(owner.get());
            if (existing.isEmpty()) {
                // A claim whose contact was never written (cannot happen in one transaction; repaired if it does).
                return create(valid, actor, owner.get());
            }
            return merge(existing.get(), valid, actor);
        });
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
                                 Instant capturedAt, Predicate<ConsentStatus> onlyFrom, Consumer<Transaction> alongside) {
        return changeConsent(contactId, null, status, new dev.dripline.consent.ConsentProof(source, proof, null, null), actor, capturedAt,
                onlyFrom, null, alongside);
    }

    /** As above, with the evidence's IP and user agent (a web form's) in the ledger entry. */
    public boolean changeConsent(String contactId, ConsentStatus status, dev.dripline.consent.ConsentProof evidence, String actor,
                                 Instant capturedAt, Predicate<ConsentStatus> onlyFrom, Consumer<Transaction> alongside) {
        return changeConsent(contactId, null, status, evidence, actor, capturedAt, onlyFrom, null, alongside);
    }

    /**
     * What a STOP or START records: the scope applied ({@code all}, or {@code topic} with the
     * topic it changed) and the rule or setting that chose it, both kept in the ledger entry.
     */
    public record Scope(String scope, String rule) {
    }

    /** As the topic-scoped change below, with evidence of a source and a proof only. */
    public boolean changeConsent(String contactId, String topic, ConsentStatus status, String source, String proof, String actor,
                                 Instant capturedAt, Predicate<ConsentStatus> onlyFrom, Scope scope, Consumer<Transaction> alongside) {
        return changeConsent(contactId, topic, status, new dev.dripline.consent.ConsentProof(source, proof, null, null), actor, capturedAt,
                onlyFrom, scope, alongside);
    }

    /**
     * As {@link #changeConsent(String, ConsentStatus, String, String, String, Instant, Predicate, Consumer)},
     * for one {@code topic} when it is not null (the contact's consent for that topic alone; its
     * other topics and its consent as a whole stay), else for the contact as a whole;
     * {@code onlyFrom} sees the consent that governs that topic now ({@link Contact#consentFor}).
     *
     * @param evidence how it was captured and its proof, with a web form's IP and user agent
     * @param scope the revocation scope and rule to record (a keyword's), or null
     */
    public boolean changeConsent(String contactId, String topic, ConsentStatus status, dev.dripline.consent.ConsentProof evidence,
                                 String actor, Instant capturedAt, Predicate<ConsentStatus> onlyFrom, Scope scope,
                                 Consumer<Transaction> alongside) {
        String source = evidence.source();
        String proof = evidence.proof();
        return retried("contact " + contactId, () -> {
            ContactStore.ContactItem stored = store.item(contactId).orElseThrow(() -> new NotFound("contact", contactId));
            ConsentStatus current = topic == null ? ConsentStatus.fromWire(stored.consent) : stored.toContact().consentFor(topic);
            if (current == status || !onlyFrom.test(current)) {
                return false;
            }
            Instant now = clock.instant();
            ContactStore.ContactItem item = stored.copy();
            if (topic == null) {
                item.consent = status.wire();
            } else {
                item.topics = item.topics == null ? new java.util.LinkedHashMap<>() : item.topics;
                item.topics.put(topic, status.wire());
            }
            item.updatedAt = now;
            ConsentEntry entry = new ConsentEntry(item.id, now + "#" + Ids.next("cs", clock), status, "sms", source, proof,
                    evidence.ip(), evidence.userAgent(), actor, capturedAt == null ? now : capturedAt, now, topic,
                    scope == null ? null : scope.scope(), scope == null ? null : scope.rule());
            Transaction tx = Transaction.of();
            store.write(tx, "").replace(item).consent(ledger.appendPut(entry));
            alongside.accept(tx);
            if (!store.commit(tx).committed()) {
                return null;
            }
            consentChanged(entry, item.phone);
            return true;
        });
    }

    /**
     * Changes a contact: the fields the patch names, attributes merged (null removes one), tags
     * replaced or added/removed, a new phone number re-claimed in the same transaction (409 if
     * another contact owns it).
     */
    public Contact patch(String id, ContactPatch patch, String actor) {
        return retried("contact " + id, () -> {
            ContactStore.ContactItem stored = store.item(id).orElseThrow(() -> new NotFound("contact", id));
            Instant now = clock.instant();
            ContactStore.ContactItem item = stored.copy();
            patch.applyTo(item);
            item.updatedAt = now;
            Transaction tx = Transaction.of();
            ContactWrite write = store.write(tx, "");
            Optional<ConsentEntry> entry = Optional.empty();
            boolean newPhone = patch.phone() != null && !patch.phone().e164().equals(stored.phone);
            if (newPhone) {
                Optional<String> owner = store.claimedBy(patch.phone().e164());
                if (owner.isPresent() && !owner.get().equals(id)) {
                    throw anotherOwns(patch.phone().e164());
                }
                item.phone = patch.phone().e164();
                item.country = patch.phone().country();
                item.numberType = patch.phone().type();
                if (!patch.setsTimeZone() && inferred(stored)) {
                    // A zone given by hand stays; one inferred from the old number follows the new one.
                    item.timeZones = patch.phone().timeZones();
                    item.timeZone = patch.phone().timeZones().isEmpty() ? null : patch.phone().timeZones().get(0);
                }
                write.claim(item.phone, id).unclaim(stored.phone, id);
                if (isSuppressed(item.phone)) {
                    entry = suppressedEntry(item, actor, now);
                }
            }
            if (entry.isEmpty() && patch.consent() != null) {
                entry = consentEntry(item, patch.consentStatus(), patch.consent(), actor, now);
            }
            write.replace(item);
            entry.ifPresent(e -> write.consent(ledger.appendPut(e)));
            write.tags(id, stored.tags, item.tags);
            if (!store.commit(tx).committed()) {
                return null;
            }
            item.version = stored.version == null ? 1L : stored.version + 1;
            entry.ifPresent(e -> consentChanged(e, item.phone));
            Contact contact = item.toContact();
            if (contact.consent() == ConsentStatus.PENDING && !ConsentStatus.PENDING.wire().equals(stored.consent)) {
                pending(contact);
            }
            changed(contact);
            return contact;
        });
    }

    private static Conflict anotherOwns(String e164) {
        return new Conflict("another contact has the number " + Masked.phone(e164));
    }

    /**
     * Erases a contact's personal data (GDPR Art. 17): the contact item, its phone claim and tag
     * memberships go; the number stays only as a salted hash on the suppression list, so that it
     * is opted out if it is ever created again; the ledger gets an entry recording the erasure.
     * Messages are scrubbed by the caller before this ({@code gdpr.PersonalData}).
     */
    public void erase(String id, String actor) {
        if (!suppression.configured()) {
            throw new Conflict("erasure needs DRIPLINE_SUPPRESSION_SALT: without it the number cannot be kept as a hash "
                    + "on the suppression list, and a re-imported number would be texted again");
        }
        retried("contact " + id, () -> {
            ContactStore.ContactItem stored = store.item(id).orElseThrow(() -> new NotFound("contact", id));
            Instant now = clock.instant();
            ContactStore.SuppressionItem suppressed = new ContactStore.SuppressionItem();
            suppressed.id = suppression.key(stored.phone).orElseThrow();
            suppressed.erasedAt = now;
            suppressed.consentAtErasure = stored.consent;
            ConsentEntry entry = new ConsentEntry(id, now + "#" + Ids.next("cs", clock), ConsentStatus.OPTED_OUT, "sms",
                    "erasure", "personal data erased on request; the number is kept only as a salted hash on the suppression list",
                    null, null, actor, now, now);
            Transaction tx = Transaction.of();
            store.write(tx, "").delete(id, stored.version).unclaim(stored.phone, id).suppress(suppressed)
                    .consent(ledger.appendPut(entry)).tags(id, stored.tags, List.of());
            if (!store.commit(tx).committed()) {
                return null;
            }
            consentChanged(entry, null);
            return true;
        });
    }

    /**
     * Runs one write of a contact (read, decide, write in one transaction) until it commits: a
     * round answers null when its transaction was refused because another writer got there first,
     * and goes again after a short pause from a fresh read. The only retry loop of contact writes.
     */
    private static <T> T retried(String what, java.util.function.Supplier<T> round) {
        for (int attempt = 1; ; attempt++) {
            T done = round.get();
            if (done != null) {
                return done;
            }
            if (attempt >= MAX_ATTEMPTS) {
                throw new Conflict(what + " kept changing under " + MAX_ATTEMPTS + " attempts to write it; try again");
            }
            backOff(attempt);
        }
    }

    boolean isSuppressed(String e164) {
        return suppression.key(e164).map(store::suppressed).orElse(false);
    }

    /** The entry that opts out a number found on the suppression list; the item follows it. */
    Optional<ConsentEntry> suppressedEntry(ContactStore.ContactItem item, String actor, Instant now) {
        if (ConsentStatus.OPTED_OUT.wire().equals(item.consent) && item.version != null) {
            return Optional.empty();
        }
        item.consent = ConsentStatus.OPTED_OUT.wire();
        return Optional.of(new ConsentEntry(item.id, now + "#" + Ids.next("cs", clock), ConsentStatus.OPTED_OUT, "sms",
                "suppression_list", "the number was erased before and is on the suppression list: kept opted out "
                + "(consent given with this write ignored; an opt-in keyword from the handset opts it back in)",
                null, null, actor, now, now));
    }

    /** Whether the stored zones are the ones its number implies (not given by hand). */
    private static boolean inferred(ContactStore.ContactItem stored) {
        try {
            return PhoneNumber.parse(stored.phone, null, "phone").timeZones().equals(stored.timeZones == null ? List.of() : stored.timeZones);
        } catch (InvalidInput e) {
            return false;
        }
    }

    /** A new contact item for a valid input, with its consent entry (the suppression list first). */
    ContactStore.ContactItem newItem(ContactRules.Valid valid, String id, String actor, Instant now, List<ConsentEntry> entries, boolean suppressed) {
        ContactStore.ContactItem item = new ContactStore.ContactItem();
        item.id = id == null ? Ids.next("ct", clock) : id;
        item.phone = valid.phone().e164();
        item.country = valid.phone().country();
        item.numberType = valid.phone().type();
        item.createdAt = now;
        item.consent = ConsentStatus.NONE.wire();
        ContactRules.apply(item, valid, now);
        if (suppressed) {
            suppressedEntry(item, actor, now).ifPresent(entries::add);
        } else {
            consentEntry(item, valid.consent(), valid.input().consent(), actor, now).ifPresent(entries::add);
        }
        return item;
    }

    /** Null when the transaction was refused (the number was claimed meanwhile): the caller goes round. */
    private Written create(ContactRules.Valid valid, String actor, String claimedId) {
        Instant now = clock.instant();
        List<ConsentEntry> entries = new ArrayList<>();
        ContactStore.ContactItem item = newItem(valid, claimedId, actor, now, entries, isSuppressed(valid.phone().e164()));
        Transaction tx = Transaction.of();
        ContactWrite write = store.write(tx, "");
        if (claimedId == null) {
            write.claim(item.phone, item.id);
        }
        write.create(item);
        entries.forEach(e -> write.consent(ledger.appendPut(e)));
        write.tags(item.id, List.of(), item.tags);
        if (!store.commit(tx).committed()) {
            return null;
        }
        entries.forEach(e -> consentChanged(e, item.phone));
        item.version = 1L;
        return new Written(item.toContact(), true, ConsentStatus.PENDING.wire().equals(item.consent));
    }

    /** Null when the transaction was refused (the contact changed meanwhile): the caller goes round. */
    private Written merge(ContactStore.ContactItem stored, ContactRules.Valid valid, String actor) {
        Instant now = clock.instant();
        ContactStore.ContactItem item = stored.copy();
        Optional<ConsentEntry> entry = mergeInto(item, valid, actor, now);
        Transaction tx = Transaction.of();
        ContactWrite write = store.write(tx, "").replace(item);
        entry.ifPresent(e -> write.consent(ledger.appendPut(e)));
        write.tags(item.id, stored.tags, item.tags);
        if (!store.commit(tx).committed()) {
            return null;
        }
        entry.ifPresent(e -> consentChanged(e, item.phone));
        item.version = stored.version == null ? 1L : stored.version + 1;
        return new Written(item.toContact(), false,
                ConsentStatus.PENDING.wire().equals(item.consent) && !ConsentStatus.PENDING.wire().equals(stored.consent));
    }

    /** Applies a valid input to a copy of a stored contact; the consent entry if consent changes. */
    Optional<ConsentEntry> mergeInto(ContactStore.ContactItem item, ContactRules.Valid valid, String actor, Instant now) {
        ContactRules.apply(item, valid, now);
        return consentEntry(item, valid.consent(), valid.input().consent(), actor, now);
    }

    /** A ledger entry when the input changes the contact's consent; the item's status follows it. */
    Optional<ConsentEntry> consentEntry(ContactStore.ContactItem item, ConsentStatus status, ContactInput.ConsentInput c,
                                        String actor, Instant now) {
        if (status == null || status.wire().equals(item.consent)) {
            return Optional.empty();
        }
        item.consent = status.wire();
        return Optional.of(new ConsentEntry(item.id, now + "#" + Ids.next("cs", clock), status, "sms",
                c.source() == null ? "api" : c.source(), c.proof(), c.ip(), c.userAgent(), actor,
                c.capturedAt() == null ? now : c.capturedAt(), now));
    }

    /** A short random pause, growing with the attempts, so racing writers stop colliding in lockstep. */
    static void backOff(int attempt) {
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(1, 5L * Math.min(attempt, 8) + 2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a contact write", e);
        }
    }
}
