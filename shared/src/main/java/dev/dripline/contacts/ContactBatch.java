package dev.dripline.contacts;

import dev.dripline.store.Transaction;
import java.util.Set;

import dev.dripline.consent.ConsentEntry;
import dev.dripline.consent.ConsentStatus;
import dev.dripline.errors.FieldError;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Many rows at once (imports): the same rules as {@link Contacts#upsert}, with fewer calls.
 * Rows of one number are merged in order into one contact first. Claims, suppressions and
 * existing contacts are read in BatchGetItem calls of 100 keys; then each contact's complete set
 * of items (claim, contact, ledger entries, tag memberships) is one unit, and units are packed
 * into TransactWriteItems calls of at most {@value #MAX_TX_ITEMS} items. A transaction is all or
 * nothing, so no contact is ever half written; a unit whose condition fails (another writer
 * claimed the number or changed the contact meanwhile) is redone alone through the single-row
 * path, which re-reads and merges. A row that changes nothing of a stored contact writes nothing.
 */
public final class ContactBatch {

    static final int MAX_TX_ITEMS = 100;

    /** One input row and its number in the file (for the error report). */
    public record Row(int row, ContactInput input) {
    }

    public record RowError(int row, String field, String message) {
    }

    /** What a batch did: contacts created and updated, rows merged into an earlier row of the batch, rows rejected. */
    public record Outcome(int created, int updated, int merged, int rejected, List<RowError> errors, int transactions) {
    }

    private record Valid(int row, ContactRules.Valid valid) {
    }

    /** One contact's writes. */
    private static final class Unit {
        final List<Valid> rows;
        final List<Object[]> ops = new ArrayList<>();
        boolean created;
        ContactStore.ContactItem item;
        boolean becamePending;

        Unit(List<Valid> rows) {
            this.rows = rows;
        }
    }

    private final Contacts contacts;

    public ContactBatch(Contacts contacts) {
        this.contacts = contacts;
    }

    public Outcome write(List<Row> rows, String actor) {
        ContactStore store = contacts.store();
        List<RowError> errors = new ArrayList<>();
        Map<String, List<Valid>> byPhone = new LinkedHashMap<>();
        int rejected = 0;
        for (Row row : rows) {
            List<FieldError> problems = new ArrayList<>();
            ContactRules.Valid v = ContactRules.validate(row.input(), problems);
            if (!problems.isEmpty()) {
                rejected++;
                problems.forEach(p -> errors.add(new RowError(row.row(), p.field(), p.message())));
                continue;
            }
            byPhone.computeIfAbsent(v.phone().e164(), k -> new ArrayList<>()).add(new Valid(row.row(), v));
        }
        List<String> keys = new ArrayList<>();
        for (String phone : byPhone.keySet()) {
            keys.add(ContactStore.claimKey(phone));
            contacts.suppression().key(phone).ifPresent(keys::add);
        }
        Map<String, Map<String, AttributeValue>> found = store.batchGet(keys);
        Map<String, String> owners = new LinkedHashMap<>();
        for (String phone : byPhone.keySet()) {
            Map<String, AttributeValue> claim = found.get(ContactStore.claimKey(phone));
            if (claim != null) {
                owners.put(phone, claim.get("contactId").s());
            }
        }
        Map<String, Map<String, AttributeValue>> existing = store.batchGet(owners.values());

        Instant now = contacts.clock().instant();
        List<Unit> units = new ArrayList<>();
        int merged = 0;
        for (Map.Entry<String, List<Valid>> group : byPhone.entrySet()) {
            Unit unit = new Unit(group.getValue());
            merged += group.getValue().size() - 1;
            String owner = owners.get(group.getKey());
            Map<String, AttributeValue> stored = owner == null ? null : existing.get(owner);
            boolean suppressed = contacts.suppression().key(group.getKey()).map(found::containsKey).orElse(false);
            build(unit, owner, stored == null ? null : ContactStore.CONTACT.mapToItem(stored), suppressed, actor, now);
            units.add(unit);
        }
        int[] counts = new int[3];
        int transactions = writeAll(units, actor, counts);
        return new Outcome(counts[0], counts[1], merged, rejected, errors, transactions);
    }

    private void build(Unit unit, String owner, ContactStore.ContactItem stored, boolean suppressed, String actor, Instant now) {
        List<ConsentEntry> entries = new ArrayList<>();
        ContactStore.ContactItem item;
        List<String> tagsBefore;
        if (stored == null) {
            item = contacts.newItem(unit.rows.get(0).valid(), owner, actor, now, entries, suppressed);
            for (Valid more : unit.rows.subList(1, unit.rows.size())) {
                contactsMerge(item, more.valid(), actor, now, entries, suppressed);
            }
            if (owner == null) {
                unit.ops.add(new Object[] {"claim"});
            }
            unit.ops.add(new Object[] {"new", item});
            unit.created = true;
            tagsBefore = List.of();
        } else {
            item = stored.copy();
            for (Valid v : unit.rows) {
                contactsMerge(item, v.valid(), actor, now, entries, false);
            }
            if (!entries.isEmpty() || !item.sameFacts(stored)) {
                unit.ops.add(new Object[] {"put", item});
            } else {
                // Nothing to say (a file imported again, a redelivered chunk): no write, the stored version stands.
                item = stored;
            }
            tagsBefore = stored.tags == null ? List.of() : stored.tags;
        }
        entries.forEach(e -> unit.ops.add(new Object[] {"entry", e}));
        unit.item = item;
        unit.becamePending = ConsentStatus.PENDING.wire().equals(item.consent)
                && (stored == null || !ConsentStatus.PENDING.wire().equals(stored.consent));
        unit.ops.add(new Object[] {"tags", tagsBefore, item.tags});
    }

    private void contactsMerge(ContactStore.ContactItem item, ContactRules.Valid valid, String actor, Instant now,
                               List<ConsentEntry> entries, boolean suppressed) {
        ContactRules.apply(item, valid, now);
        if (!suppressed && !liftsAnOptOut(item, valid.consent())) {
            contacts.consentEntry(item, valid.consent(), valid.input().consent(), actor, now).ifPresent(entries::add);
        }
    }

    /**
     * A bulk import never opts a person back in who opted out (a STOP, or an opt-out in an earlier
     * file): a list is not that person's consent. Only they can undo it (START), or a request for
     * that one contact with its own evidence (POST/PATCH /v1/contacts).
     */
    static boolean liftsAnOptOut(ContactStore.ContactItem item, ConsentStatus status) {
        return ConsentStatus.OPTED_OUT.wire().equals(item.consent) && status != null && status != ConsentStatus.OPTED_OUT;
    }

    /** Adds a unit's parts to a transaction, each named with the unit's prefix. */
    private void add(Transaction tx, String prefix, Unit unit) {
        ContactWrite write = contacts.store().write(tx, prefix);
        for (Object[] op : unit.ops) {
            switch ((String) op[0]) {
                case "claim" -> write.claim(unit.item.phone, unit.item.id);
                case "new" -> write.create((ContactStore.ContactItem) op[1]);
                case "put" -> write.replace((ContactStore.ContactItem) op[1]);
                case "entry" -> write.consent(contacts.ledger().appendPut((ConsentEntry) op[1]));
                case "tags" -> {
                    @SuppressWarnings("unchecked") List<String> before = (List<String>) op[1];
                    @SuppressWarnings("unchecked") List<String> after = (List<String>) op[2];
                    write.tags(unit.item.id, before, after);
                }
                default -> throw new IllegalStateException("unknown op " + op[0]);
            }
        }
    }

    private int size(Unit unit) {
        int n = 0;
        for (Object[] op : unit.ops) {
            if ("tags".equals(op[0])) {
                @SuppressWarnings("unchecked") List<String> before = (List<String>) op[1];
                @SuppressWarnings("unchecked") List<String> after = (List<String>) op[2];
                n += ContactWrite.tagChanges(before, after);
            } else {
                n++;
            }
        }
        return n;
    }

    /** Writes the units in packed transactions; counts[0] created, counts[1] updated. */
    private int writeAll(List<Unit> units, String actor, int[] counts) {
        int transactions = 0;
        List<Unit> queue = new ArrayList<>(units);
        while (!queue.isEmpty()) {
            List<Unit> batch = new ArrayList<>();
            int items = 0;
            while (!queue.isEmpty() && (batch.isEmpty() || items + size(queue.get(0)) <= MAX_TX_ITEMS)) {
                Unit u = queue.remove(0);
                items += size(u);
                batch.add(u);
            }
            if (items == 0) {
                batch.forEach(u -> done(u, counts));
                continue;
            }
            Transaction tx = Transaction.of();
            for (int i = 0; i < batch.size(); i++) {
                add(tx, "u" + i + ":", batch.get(i));
            }
            transactions++;
            Transaction.Outcome outcome = contacts.store().commit(tx);
            if (outcome.committed()) {
                batch.forEach(u -> done(u, counts));
                continue;
            }
            Set<String> failed = outcome.failedParts();
            for (int i = 0; i < batch.size(); i++) {
                String prefix = "u" + i + ":";
                if (failed.stream().anyMatch(part -> part.startsWith(prefix))) {
                    alone(batch.get(i), actor, counts);
                } else {
                    queue.add(0, batch.get(i));
                }
            }
        }
        return transactions;
    }

    private void done(Unit u, int[] counts) {
        counts[u.created ? 0 : 1]++;
        if (u.becamePending) {
            Contact c = u.item.toContact();
            contacts.pending(c);
        }
    }

    /** A unit that lost a race: its rows again, one by one, through the path that re-reads and retries. */
    private void alone(Unit u, String actor, int[] counts) {
        boolean created = false;
        Contact last = null;
        boolean pending = false;
        for (Valid v : u.rows) {
            Contacts.Written w = contacts.upsertValid(v.valid(), actor);
            created |= w.created();
            pending |= w.becamePending();
            last = w.contact();
        }
        counts[created ? 0 : 1]++;
        if (pending && last != null) {
            contacts.pending(last);
        }
    }
}
