package dev.dripline.contacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dripline.TestCore;
import dev.dripline.consent.ConsentEntry;
import dev.dripline.consent.ConsentStatus;
import dev.dripline.errors.FieldError;
import dev.dripline.errors.InvalidInput;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import java.time.Clock;
import java.util.ArrayList;
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
class ContactsTest {

    private Contacts contacts;
    private TestCore core;

    @BeforeEach
    void freshTables(Engines engines) {
        core = new TestCore(engines, Clock.systemUTC());
        contacts = core.dripline.contacts();
    }

    private static ContactInput phone(String phone) {
        return new ContactInput(phone, null, null, null, null, null, null, null, null);
    }

    @Test
    void upsertCreatesOnceThenMergesIntoTheSameContact() {
        Contacts.Upserted first = contacts.upsert(new ContactInput("+14155550123", null, "Ada", null, "ada@example.com", null,
                Map.of("tier", "gold", "orders", 3), List.of("vip"), null), "test");
        Contacts.Upserted second = contacts.upsert(new ContactInput("+1 415 555 0123", null, null, "Lovelace", null, null,
                Map.of("city", "London"), List.of("newsletter", "vip"), null), "test");

        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        assertThat(second.contact().id()).isEqualTo(first.contact().id());
        Contact stored = contacts.get(first.contact().id()).orElseThrow();
        assertThat(stored.firstName()).isEqualTo("Ada");
        assertThat(stored.lastName()).isEqualTo("Lovelace");
        assertThat(stored.email()).isEqualTo("ada@example.com");
        assertThat(stored.tags()).containsExactly("vip", "newsletter");
        assertThat(stored.attributes()).containsEntry("tier", "gold").containsEntry("city", "London");
        assertThat(((Number) stored.attributes().get("orders")).intValue()).isEqualTo(3);
        assertThat(stored.timeZone()).isEqualTo("America/Los_Angeles");
    }

    @Test
    void aGivenTimeZoneWinsOverTheNumbers() {
        Contact c = contacts.upsert(new ContactInput("+14155550124", null, null, null, null, "America/New_York", null, null, null), "t")
                .contact();
        assertThat(c.timeZone()).isEqualTo("America/New_York");
        assertThat(c.timeZones()).containsExactly("America/New_York");
    }

    @Test
    void everyBadFieldIsNamedAndNothingIsWritten() {
        assertThatThrownBy(() -> contacts.upsert(new ContactInput("+1415", null, null, null, "not-an-email", "Mars/Olympus",
                Map.of("nested", Map.of("a", 1)), List.of(" "), new ContactInput.ConsentInput("maybe", null, null, null, null, null)), "t"))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactlyInAnyOrder("phone", "email", "timeZone", "attributes.nested", "tags[0]", "consent.status"));
        assertThat(contacts.byPhone("+1415")).isEmpty();
    }

    @Test
    void consentGivenOnUpsertIsWrittenToTheLedgerWithItsEvidence() {
        Contact c = contacts.upsert(new ContactInput("+14155550125", null, null, null, null, null, null, null,
                new ContactInput.ConsentInput("opted_in", "web_form", null, "Yes, text me offers. Reply STOP to opt out.", "203.0.113.7",
                        "Mozilla/5.0")), "api-key:default").contact();
        assertThat(c.consent()).isEqualTo(ConsentStatus.OPTED_IN);
        List<ConsentEntry> ledger = core.dripline.consentLedger().entries(c.id());
        assertThat(ledger).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(ConsentStatus.OPTED_IN);
            assertThat(e.source()).isEqualTo("web_form");
            assertThat(e.proof()).contains("Reply STOP");
            assertThat(e.ip()).isEqualTo("203.0.113.7");
            assertThat(e.actor()).isEqualTo("api-key:default");
        });
        // The same consent again is not a change: no second entry.
        contacts.upsert(new ContactInput("+14155550125", null, null, null, null, null, null, null,
                new ContactInput.ConsentInput("opted_in", "web_form", null, "again", null, null)), "t");
        assertThat(core.dripline.consentLedger().entries(c.id())).hasSize(1);
    }

    @Test
    void concurrentUpsertsOfOneNewNumberCreateOneContact() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Callable<Contacts.Upserted>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int n = i;
            calls.add(() -> contacts.upsert(new ContactInput("+14155550126", null, null, null, null, null, null, List.of("t" + n), null), "t"));
        }
        List<Contacts.Upserted> results = new ArrayList<>();
        for (Future<Contacts.Upserted> f : pool.invokeAll(calls)) {
            results.add(f.get());
        }
        pool.shutdown();
        assertThat(results).filteredOn(Contacts.Upserted::created).hasSize(1);
        assertThat(results).extracting(r -> r.contact().id()).containsOnly(results.get(0).contact().id());
        // No update was lost: every writer's tag is there.
        assertThat(contacts.byPhone("+14155550126").orElseThrow().tags())
                .containsExactlyInAnyOrder("t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7");
    }

    @Test
    void findOrCreateGivesAnUnknownNumberNoMarketingConsent() {
        Contact c = contacts.findOrCreate(PhoneNumber.parse("+447400123456", null, "from"), "simulator");
        assertThat(c.consent()).isEqualTo(ConsentStatus.NONE);
        assertThat(c.country()).isEqualTo("GB");
        assertThat(contacts.findOrCreate(PhoneNumber.parse("+447400123456", null, "from"), "simulator").id()).isEqualTo(c.id());
    }

    @Test
    void anUnknownIdIsEmptyNotAnError() {
        assertThat(contacts.get("ct_nothing")).isEmpty();
        assertThat(contacts.get("phone#+14155550123")).isEmpty();
        assertThat(contacts.get(phone("x").phone())).isEmpty();
    }
}
