package dev.dripline.contacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dripline.TestCore;
import dev.dripline.consent.ConsentStatus;
import dev.dripline.errors.Conflict;
import dev.dripline.errors.FieldError;
import dev.dripline.errors.InvalidInput;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EnginesExtension.class)
class ContactChangesTest {

    private TestCore core;
    private Contacts contacts;

    @BeforeEach
    void freshTables(Engines engines) {
        core = new TestCore(engines, Clock.systemUTC());
        contacts = core.dripline.contacts();
    }

    private Contact create(String phone, Map<String, Object> attributes, List<String> tags) {
        return contacts.upsert(new ContactInput(phone, null, "Ada", "Lovelace", "ada@example.com", null, attributes, tags, null), "t").contact();
    }

    private static Map<String, Object> json(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private List<String> tagged(String tag) {
        return core.dripline.audience().find(null, tag, null, 500, null).items().stream().map(Contact::id).toList();
    }

    @Test
    void patchMergesAttributesRemovesNullsAndLeavesOtherFieldsAlone() {
        Contact c = create("+14155550201", Map.of("tier", "gold", "city", "Paris", "orders", 2), List.of("vip"));
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("city", null);
        attributes.put("signupDate", "2026-03-01");
        Contact patched = contacts.patch(c.id(), ContactPatch.parse(json("attributes", attributes, "lastName", null)), "t");

        assertThat(patched.attributes()).containsEntry("tier", "gold").containsEntry("signupDate", "2026-03-01").doesNotContainKey("city");
        assertThat(Attributes.typeOf(patched.attributes().get("signupDate"))).isEqualTo("date");
        assertThat(patched.lastName()).isNull();
        assertThat(patched.firstName()).isEqualTo("Ada");
        assertThat(contacts.get(c.id()).orElseThrow()).isEqualTo(patched);
    }

    @Test
    void tagsAreAddedAndRemovedOrReplacedAndTheTagIndexFollows() {
        Contact c = create("+14155550202", null, List.of("vip", "newsletter"));
        assertThat(tagged("vip")).containsExactly(c.id());

        contacts.patch(c.id(), ContactPatch.parse(json("tags", json("add", List.of("beta"), "remove", List.of("vip")))), "t");
        assertThat(contacts.get(c.id()).orElseThrow().tags()).containsExactly("newsletter", "beta");
        assertThat(tagged("vip")).isEmpty();
        assertThat(tagged("beta")).containsExactly(c.id());

        contacts.patch(c.id(), ContactPatch.parse(json("tags", List.of("gold"))), "t");
        assertThat(contacts.get(c.id()).orElseThrow().tags()).containsExactly("gold");
        assertThat(tagged("newsletter")).isEmpty();
        assertThat(tagged("beta")).isEmpty();
        assertThat(tagged("gold")).containsExactly(c.id());
    }

    @Test
    void aNewPhoneIsReclaimedInOneTransactionAndTheOldNumberIsFree() {
        Contact c = create("+14155550203", null, null);
        Contact moved = contacts.patch(c.id(), ContactPatch.parse(json("phone", "(212) 555-0199", "country", "US")), "t");

        assertThat(moved.phone()).isEqualTo("+12125550199");
        assertThat(moved.timeZone()).isEqualTo("America/New_York");
        assertThat(contacts.byPhone("+12125550199").orElseThrow().id()).isEqualTo(c.id());
        assertThat(contacts.byPhone("+14155550203")).isEmpty();
        Contacts.Upserted fresh = contacts.upsert(new ContactInput("+14155550203", null, null, null, null, null, null, null, null), "t");
        assertThat(fresh.created()).isTrue();
        assertThat(fresh.contact().id()).isNotEqualTo(c.id());
    }

    @Test
    void aPhoneOwnedByAnotherContactIs409AndNothingChanges() {
        Contact a = create("+14155550204", null, null);
        Contact b = create("+14155550205", null, null);
        assertThatThrownBy(() -> contacts.patch(a.id(), ContactPatch.parse(json("phone", "+14155550205", "firstName", "Changed")), "t"))
                .isInstanceOf(Conflict.class);
        assertThat(contacts.get(a.id()).orElseThrow().firstName()).isEqualTo("Ada");
        assertThat(contacts.byPhone("+14155550205").orElseThrow().id()).isEqualTo(b.id());
    }

    @Test
    void concurrentPatchesOfOneContactLoseNoField() throws Exception {
        Contact c = create("+14155550206", null, null);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Callable<Contact>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int n = i;
            calls.add(() -> contacts.patch(c.id(), ContactPatch.parse(json("attributes", Map.of("a" + n, n),
                    "tags", json("add", List.of("t" + n)))), "t"));
        }
        for (Future<Contact> f : pool.invokeAll(calls)) {
            f.get();
        }
        pool.shutdown();
        Contact stored = contacts.get(c.id()).orElseThrow();
        assertThat(stored.attributes()).containsKeys("a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7");
        assertThat(stored.tags()).containsExactlyInAnyOrder("t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7");
        assertThat(tagged("t5")).containsExactly(c.id());
    }

    @Test
    void everyMalformedPatchFieldIsNamed() {
        assertThatThrownBy(() -> ContactPatch.parse(json("email", "nope", "timeZone", "Mars/Base", "phone", null, "id", "ct_x",
                "shoeSize", 44, "attributes", json("bad", List.of(1), "when", "2026-02-30"), "tags", json("add", "vip"),
                "consent", json("status", "maybe"))))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactlyInAnyOrder("email", "timeZone", "phone", "id", "shoeSize", "attributes.bad", "attributes.when",
                                "tags.add", "consent.status"));
    }

    @Test
    void aPatchOfConsentIsWrittenToTheLedger() {
        Contact c = create("+14155550207", null, null);
        contacts.patch(c.id(), ContactPatch.parse(json("consent", json("status", "opted_in", "source", "web_form", "proof", "Yes"))), "t");
        assertThat(contacts.get(c.id()).orElseThrow().consent()).isEqualTo(ConsentStatus.OPTED_IN);
        assertThat(core.dripline.consentLedger().entries(c.id())).singleElement()
                .satisfies(e -> assertThat(e.source()).isEqualTo("web_form"));
    }

    @Test
    void upsertIsIdempotent() {
        ContactInput input = new ContactInput("+14155550208", null, "Ada", null, null, null, Map.of("tier", "gold"), List.of("vip"),
                new ContactInput.ConsentInput("opted_in", "web_form", null, "Yes", null, null));
        Contact first = contacts.upsert(input, "t").contact();
        Contact second = contacts.upsert(input, "t").contact();
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.attributes()).isEqualTo(first.attributes());
        assertThat(second.tags()).isEqualTo(first.tags());
        assertThat(core.dripline.consentLedger().entries(first.id())).hasSize(1);
        assertThat(tagged("vip")).containsExactly(first.id());
    }
}
