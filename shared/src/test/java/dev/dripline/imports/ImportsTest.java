package dev.dripline.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dripline.TestCore;
import dev.dripline.consent.ConsentStatus;
import dev.dripline.contacts.Contact;
import dev.dripline.errors.FieldError;
import dev.dripline.errors.InvalidInput;
import dev.dripline.json.Json;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.model.Message;

@ExtendWith(EnginesExtension.class)
class ImportsTest {

    private TestCore core;
    private Engines engines;
    private Imports imports;

    @BeforeEach
    void freshTables(Engines engines) {
        this.engines = engines;
        core = new TestCore(engines, Clock.systemUTC());
        imports = core.dripline.imports();
    }

    /** Plays the imports consumer: every queued chunk, each processed once (or as often as asked). */
    private List<ImportChunk> drain(boolean deliverTwice) {
        String url = core.dripline.settings().audience().importsQueueUrl();
        List<ImportChunk> chunks = new ArrayList<>();
        while (true) {
            List<Message> got = engines.sqs().receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
            if (got.isEmpty()) {
                return chunks;
            }
            for (Message m : got) {
                ImportChunk chunk = Json.read(m.body(), ImportChunk.class);
                imports.process(chunk);
                if (deliverTwice) {
                    imports.process(chunk);
                }
                chunks.add(chunk);
                engines.sqs().deleteMessage(r -> r.queueUrl(url).receiptHandle(m.receiptHandle()));
            }
        }
    }

    @SuppressWarnings("unchecked")
    @Test
    void badRowsAreReportedByLineGoodRowsWrittenWholeDuplicatesMerged() {
        String csv = String.join("\n",
                "phone,country,firstName,lastName,email,timeZone,tags,attr.tier,attr.orders,attr.signupDate,consent.status,consent.source,consent.proof",
                "+14155550501,,Ada,Lovelace,ada@example.com,,vip;beta,gold,3,2026-01-15,opted_in,web_form,Yes text me",
                "(415) 555-0502,US,Bob,,bob@example.com,,,silver,12,,,,",
                "+1415,,Bad,Phone,,,,,,,,,",
                "+14155550503,,Cid,,not-an-email,Mars/Base,,,,2026-02-30,,,",
                "+14155550501,,,,,,newsletter,platinum,,,,,",
                "+14155550504,,Dee,,,,\"a,b\",,,,maybe,,",
                "+14155550505,,Too,Few",
                "");
        Map<String, Object> started = imports.start(csv, "api-key:test");
        assertThat(started).containsEntry("status", "queued").containsEntry("rows", 7);
        String id = (String) started.get("id");
        assertThat(imports.status(id)).containsEntry("processed", 0).containsEntry("status", "queued");

        drain(true);

        Map<String, Object> status = imports.status(id);
        assertThat(status).containsEntry("status", "completed").containsEntry("rows", 7).containsEntry("processed", 7)
                .containsEntry("created", 2).containsEntry("updated", 0).containsEntry("merged", 1).containsEntry("rejected", 4)
                .containsEntry("moreErrors", 0);
        List<Map<String, Object>> errors = (List<Map<String, Object>>) status.get("errors");
        assertThat(errors).extracting(e -> e.get("row") + ":" + e.get("field")).containsExactlyInAnyOrder(
                "4:phone", "5:email", "5:timeZone", "5:attr.signupDate", "7:consent.status", "8:row");

        Contact ada = core.dripline.contacts().byPhone("+14155550501").orElseThrow();
        assertThat(ada.firstName()).isEqualTo("Ada");
        assertThat(ada.tags()).containsExactly("vip", "beta", "newsletter");
        assertThat(ada.attributes()).containsEntry("tier", "platinum").containsEntry("signupDate", "2026-01-15");
        assertThat(new BigDecimal(ada.attributes().get("orders").toString())).isEqualByComparingTo("3");
        assertThat(ada.consent()).isEqualTo(ConsentStatus.OPTED_IN);
        assertThat(core.dripline.consentLedger().entries(ada.id())).singleElement()
                .satisfies(e -> assertThat(e.proof()).isEqualTo("Yes text me"));
        assertThat(core.dripline.contacts().byPhone("+14155550502").orElseThrow().lastName()).isNull();
        // Rejected rows wrote nothing at all.
        for (String phone : List.of("+14155550503", "+14155550504", "+14155550505")) {
            assertThat(core.dripline.contacts().byPhone(phone)).isEmpty();
        }
        assertThat(core.dripline.audience().find(null, "newsletter", null, 10, null).items()).extracting(Contact::id)
                .containsExactly(ada.id());
    }

    @Test
    void aSecondImportOfTheSameNumbersUpdates() {
        imports.start("phone,firstName\n+14155550511,Ann\n+14155550512,Ben\n", "t");
        drain(false);
        String id = (String) imports.start("phone,lastName\n+14155550511,Smith\n+14155550513,New\n", "t").get("id");
        drain(false);
        assertThat(imports.status(id)).containsEntry("created", 1).containsEntry("updated", 1);
        Contact ann = core.dripline.contacts().byPhone("+14155550511").orElseThrow();
        assertThat(ann.firstName()).isEqualTo("Ann");
        assertThat(ann.lastName()).isEqualTo("Smith");
    }

    @Test
    void anImportNeverOptsBackInAPersonWhoTextedStop() {
        imports.start("phone,consent.status,consent.source\n+14155550521,opted_in,web_form\n", "t");
        drain(false);
        Contact eve = core.dripline.contacts().byPhone("+14155550521").orElseThrow();
        core.dripline.contacts().changeConsent(eve.id(), ConsentStatus.OPTED_OUT, "keyword", "STOP", "inbound", Instant.now(),
                s -> true, tx -> { });

        String id = (String) imports.start("phone,firstName,consent.status,consent.source\n+14155550521,Eve,opted_in,web_form\n", "t").get("id");
        drain(false);

        assertThat(imports.status(id)).containsEntry("updated", 1);
        Contact after = core.dripline.contacts().byPhone("+14155550521").orElseThrow();
        assertThat(after.firstName()).as("the rest of the row is applied").isEqualTo("Eve");
        assertThat(after.consent()).isEqualTo(ConsentStatus.OPTED_OUT);
        assertThat(core.dripline.consentLedger().entries(eve.id())).extracting(e -> e.status())
                .containsExactly(ConsentStatus.OPTED_IN, ConsentStatus.OPTED_OUT);
    }

    @Test
    void manyRowsGoInSeveralChunksAndAreCountedOnce() {
        StringBuilder csv = new StringBuilder("phone,tags,attr.n\n");
        for (int i = 0; i < 2500; i++) {
            csv.append("+1212555").append(String.format("%04d", i)).append(",bulk,").append(i).append('\n');
        }
        String id = (String) imports.start(csv.toString(), "t").get("id");
        List<ImportChunk> chunks = drain(true);
        assertThat(chunks).hasSize(3);
        assertThat(imports.status(id)).containsEntry("processed", 2500).containsEntry("created", 2500).containsEntry("status", "completed");
    }

    @Test
    void aFileImportedAgainUnchangedWritesNothingAndKeepsEachContactsVersion() {
        dev.dripline.engines.ClientCalls calls = new dev.dripline.engines.ClientCalls();
        core = new TestCore(engines, Clock.systemUTC(), Map.of(), calls);
        imports = core.dripline.imports();
        String csv = "phone,firstName,email,tags,attr.tier,attr.orders,attr.signupDate,consent.status,consent.source,consent.proof\n"
                + "+14155550531,Ann,ann@example.com,vip;newsletter,gold,3,2026-01-15,opted_in,import,Yes text me\n"
                + "+14155550532,Ben,,newsletter,silver,12,2026-02-15,opted_in,import,Yes text me\n";
        imports.start(csv, "t");
        calls.reset();
        drain(false);
        assertThat(calls.snapshot()).as("two new contacts: one transaction").containsEntry("DynamoDB.TransactWriteItems", 1L);
        Contact before = core.dripline.contacts().byPhone("+14155550531").orElseThrow();

        String again = (String) imports.start(csv, "t").get("id");
        calls.reset();
        drain(true);

        assertThat(imports.status(again)).containsEntry("processed", 2).containsEntry("updated", 2).containsEntry("created", 0);
        assertThat(calls.snapshot()).as("nothing changed: no contact, ledger or tag write").containsEntry("DynamoDB.TransactWriteItems", 0L);
        Contact after = core.dripline.contacts().byPhone("+14155550531").orElseThrow();
        assertThat(after.updatedAt()).isEqualTo(before.updatedAt());
        assertThat(core.dripline.consentLedger().entries(after.id())).hasSize(1);

        // One changed cell is written as before.
        imports.start(csv.replace("Ann,", "Anne,"), "t");
        drain(false);
        assertThat(core.dripline.contacts().byPhone("+14155550531").orElseThrow().firstName()).isEqualTo("Anne");
        assertThat(core.dripline.contacts().byPhone("+14155550531").orElseThrow().tags()).containsExactly("vip", "newsletter");
    }

    @Test
    void aBadHeaderIsRefusedBeforeAnythingIsQueued() {
        assertThatThrownBy(() -> imports.start("firstName,shoeSize,firstName\nAda,44,Ada\n", "t"))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactlyInAnyOrder("columns", "header[2]", "header"));
        assertThatThrownBy(() -> imports.start("phone\n\"+1415", "t")).isInstanceOf(InvalidInput.class);
        assertThat(drain(false)).isEmpty();
    }

    /** A Shopify customers export as Shopify writes it (its column names, comma tags, yes/no SMS consent). */
    static final String SHOPIFY = String.join("\n",
            "Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address Company,Default Address Address1,"
                    + "Default Address City,Default Address Province Code,Default Address Country Code,Default Address Zip,"
                    + "Default Address Phone,Phone,Accepts SMS Marketing,Total Spent,Total Orders,Note,Tax Exempt,Tags",
            "'7001,Ada,Lovelace,ada@example.com,yes,,1 Main St,Austin,TX,US,78701,,+15125550601,yes,120.50,3,,no,\"vip, newsletter\"",
            "'7002,Bob,Stone,bob@example.com,no,,2 Side St,Austin,TX,US,78702,(512) 555-0602,,no,0.00,0,,no,",
            "'7003,Cy,Bad,,no,,,,,US,,,+15125550603,maybe,0.00,0,,no,");

    @Test
    void aShopifyExportIsRefusedOnceForItsUnknownColumnsNotOncePerCell() {
        assertThatThrownBy(() -> imports.start(SHOPIFY, "t"))
                .isInstanceOfSatisfying(InvalidInput.class, e -> {
                    assertThat(e.errors()).singleElement().satisfies(error -> {
                        assertThat(error.field()).isEqualTo("columns");
                        assertThat(error.message()).contains("'Customer ID'", "'Accepts Email Marketing'", "'Total Spent'", "'Tax Exempt'",
                                "unknownColumns=attributes").doesNotContain("'Phone'", "'Email'", "'Tags'", "'First Name'");
                    });
                });
        assertThat(drain(false)).isEmpty();
    }

    @SuppressWarnings("unchecked")
    @Test
    void aShopifyExportImportsWithItsOwnColumnNamesAndConsentFromYesOrNo() {
        String id = (String) imports.start(SHOPIFY, ImportOptions.parse("Note=ignore", "attributes"), "t").get("id");
        drain(false);
        Map<String, Object> status = imports.status(id);
        assertThat(status).containsEntry("created", 2).containsEntry("rejected", 1);
        assertThat((List<Map<String, Object>>) status.get("errors")).singleElement()
                .satisfies(e -> assertThat(e).containsEntry("row", 4).containsEntry("field", "consent.status")
                        .satisfies(m -> assertThat((String) m.get("message")).contains("'maybe'", "Accepts SMS Marketing")));

        Contact ada = core.dripline.contacts().byPhone("+15125550601").orElseThrow();
        assertThat(ada.firstName()).isEqualTo("Ada");
        assertThat(ada.lastName()).isEqualTo("Lovelace");
        assertThat(ada.email()).isEqualTo("ada@example.com");
        assertThat(ada.tags()).containsExactly("vip", "newsletter");
        assertThat(ada.attributes()).containsEntry("state", "TX").containsKey("zip")
                .containsEntry("customerId", "'7001").containsKey("totalSpent").doesNotContainKey("note");
        assertThat(ada.consent()).isEqualTo(ConsentStatus.OPTED_IN);
        assertThat(core.dripline.consentLedger().entries(ada.id())).singleElement().satisfies(entry -> {
            assertThat(entry.source()).isEqualTo("csv_import:" + id);
            assertThat(entry.proof()).isEqualTo("column 'Accepts SMS Marketing' was 'yes'");
        });
        // Bob has no Phone but a Default Address Phone (national, with the address's country).
        Contact bob = core.dripline.contacts().byPhone("+15125550602").orElseThrow();
        assertThat(bob.consent()).isEqualTo(ConsentStatus.OPTED_OUT);
        assertThat(bob.tags()).isEmpty();
    }

    @Test
    void headersMatchWithoutRegardToCaseSpacesOrUnderscoresAndMappingNamesOtherColumns() {
        String csv = "PHONE_NUMBER,first_name,LAST NAME,Loyalty Tier,Mobile Notes,TAGS\n"
                + "+14155550701,Ann,Lee,gold,call after 5,\"\"\"Summer\"\",\"\"VIP\"\"\"\n";
        imports.start(csv, ImportOptions.parse("Loyalty Tier=attr.tier,Mobile Notes=ignore", null), "t");
        drain(false);
        Contact ann = core.dripline.contacts().byPhone("+14155550701").orElseThrow();
        assertThat(ann.firstName()).isEqualTo("Ann");
        assertThat(ann.lastName()).isEqualTo("Lee");
        assertThat(ann.attributes()).containsOnlyKeys("tier");
        assertThat(ann.tags()).containsExactly("Summer", "VIP");
    }

    @Test
    void twoColumnsForOneFieldAndABadMappingAreEachOneError() {
        assertThatThrownBy(() -> imports.start("Phone,phone,Email,E-mail Address\n+14155550801,+14155550801,a@b.co,a@b.co\n",
                ImportOptions.parse("Fax=phone,Email=shoeSize", null), "t"))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactlyInAnyOrder("header[1]", "mapping", "mapping"));
        assertThatThrownBy(() -> ImportOptions.parse("nonsense", "sometimes"))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactly("mapping", "unknownColumns"));
    }
}
