package dev.dripline.migrations.pinpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dripline.TestCore;
import dev.dripline.consent.ConsentEntry;
import dev.dripline.consent.ConsentStatus;
import dev.dripline.contacts.Contact;
import dev.dripline.imports.ImportChunk;
import dev.dripline.json.Json;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.model.Message;

/** Endpoint exports into contacts, through the import machinery, on the in-process engines. */
@ExtendWith(EnginesExtension.class)
class PinpointImportTest {

    static final Path FIXTURES = Path.of("src/test/resources/pinpoint");

    private TestCore core;
    private Engines engines;

    @BeforeEach
    void fresh(Engines engines) {
        this.engines = engines;
        core = new TestCore(engines, Clock.systemUTC());
    }

    static byte[] gzip(byte[] plain) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        }
        return out.toByteArray();
    }

    /** The export as CreateExportJob writes it: the endpoints gzip'd, next to the other documents. */
    static List<PinpointFile> export() throws Exception {
        List<PinpointFile> files = new ArrayList<>();
        files.add(PinpointFile.recognise("exports/1234/part-00000.gz",
                gzip(Files.readAllBytes(FIXTURES.resolve("endpoints-part-00000.jsonl")))));
        for (PinpointFile f : ExportFolder.read(FIXTURES)) {
            if (f.kind() != PinpointFile.Kind.ENDPOINTS) {
                files.add(f);
            }
        }
        return files;
    }

    private void drain() {
        String url = core.dripline.settings().audience().importsQueueUrl();
        while (true) {
            List<Message> got = engines.sqs().receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
            if (got.isEmpty()) {
                return;
            }
            for (Message m : got) {
                core.dripline.imports().process(Json.read(m.body(), ImportChunk.class));
                engines.sqs().deleteMessage(r -> r.queueUrl(url).receiptHandle(m.receiptHandle()));
            }
        }
    }

    @SuppressWarnings("unchecked")
    @Test
    void smsEndpointsBecomeContactsMergedByNumberWithTheOthersRefusedForAReason() throws Exception {
        Map<String, Object> report = PinpointMigration.of(core.dripline).run(export(), false, "cli", s -> { });
        drain();
        Map<String, Object> ep = (Map<String, Object>) report.get("endpoints");
        assertThat(ep).containsEntry("read", 8).containsEntry("sms", 6).containsEntry("contacts", 3).containsEntry("merged", 1)
                .containsEntry("optedOut", 1).containsEntry("refused", 4);
        assertThat((Map<String, Integer>) ep.get("refusedByReason")).containsOnlyKeys(
                "channel EMAIL is not SMS", "channel APNS is not SMS", "Address is not a phone number",
                "Address is a fixed line, which cannot receive SMS");
        assertThat((List<Map<String, Object>>) ep.get("refusals")).contains(
                Map.of("file", "exports/1234/part-00000.gz", "line", 5, "reason", "Address is not a phone number"));
        Map<String, Object> status = core.dripline.imports().status((String) ep.get("importId"));
        assertThat(status).containsEntry("status", "completed").containsEntry("created", 3).containsEntry("rejected", 0);

        Contact ana = core.dripline.contacts().byPhone("+12065550100").orElseThrow();
        assertThat(ana.firstName()).isEqualTo("Ana");
        assertThat(ana.lastName()).isEqualTo("Lima");
        assertThat(ana.timeZone()).isEqualTo("America/Los_Angeles");
        assertThat(ana.consent()).isEqualTo(ConsentStatus.OPTED_IN);
        assertThat(ana.attributes()).containsEntry("externalId", "user-ana").containsEntry("city", "Seattle")
                .containsEntry("state", "WA").containsEntry("country", "US")
                .containsEntry("Tier", "gold").containsEntry("Store", "Pike Place");
        assertThat(String.valueOf(ana.attributes().get("zip"))).as("typed as a CSV cell is").isEqualTo("98101");
        assertThat(((Number) ana.attributes().get("purchases")).intValue()).isEqualTo(3);
        assertThat(ana.tags()).contains("interests:hiking", "interests:cooking", "tier:gold", "store:pike place");

        Contact bo = core.dripline.contacts().byPhone("+12065550101").orElseThrow();
        assertThat(bo.consent()).isEqualTo(ConsentStatus.OPTED_OUT);
        List<ConsentEntry> ledger = core.dripline.consentLedger().entries(bo.id());
        assertThat(ledger).hasSize(1);
        assertThat(ledger.get(0).status()).isEqualTo(ConsentStatus.OPTED_OUT);
        assertThat(ledger.get(0).source()).isEqualTo("pinpoint_export");
        assertThat(ledger.get(0).proof()).isEqualTo("exports/1234/part-00000.gz line 4: OptOut ALL");
        assertThat(ledger.get(0).capturedAt()).hasToString("2026-04-05T18:30:00Z");

        assertThat(core.dripline.contacts().byPhone("+12065550102").orElseThrow().tags()).contains("pinpoint-inactive");
    }

    @SuppressWarnings("unchecked")
    @Test
    void importingTheSameFilesTwiceChangesNoContactAndNoLedger() throws Exception {
        PinpointMigration migration = PinpointMigration.of(core.dripline);
        migration.run(export(), false, "cli", s -> { });
        drain();
        Contact bo = core.dripline.contacts().byPhone("+12065550101").orElseThrow();
        Contact ana = core.dripline.contacts().byPhone("+12065550100").orElseThrow();

        Map<String, Object> again = migration.run(export(), false, "cli", s -> { });
        drain();
        String id = (String) ((Map<String, Object>) again.get("endpoints")).get("importId");
        assertThat(core.dripline.imports().status(id)).containsEntry("created", 0).containsEntry("updated", 3);
        Contact bo2 = core.dripline.contacts().byPhone("+12065550101").orElseThrow();
        Contact ana2 = core.dripline.contacts().byPhone("+12065550100").orElseThrow();
        assertThat(bo2.id()).isEqualTo(bo.id());
        assertThat(ana2.attributes()).isEqualTo(ana.attributes());
        assertThat(ana2.tags()).containsExactlyInAnyOrderElementsOf(ana.tags());
        assertThat(bo2.consent()).isEqualTo(ConsentStatus.OPTED_OUT);
        assertThat(core.dripline.consentLedger().entries(bo.id())).hasSize(1);
        assertThat(core.dripline.consentLedger().entries(ana.id())).hasSize(1);
    }

    @SuppressWarnings("unchecked")
    @Test
    void aDryRunTranslatesEverythingAndCreatesNothing() throws Exception {
        List<PinpointFile> files = new ArrayList<>(export());
        files.add(PinpointFile.recognise("notes.txt", "not an export".getBytes()));
        Map<String, Object> report = PinpointMigration.of(core.dripline).run(files, true, "cli", s -> { });
        assertThat((List<String>) report.get("unknownFiles")).containsExactly("SOURCE.md", "notes.txt");
        assertThat(((Map<String, Object>) report.get("endpoints"))).doesNotContainKey("importId").containsEntry("contacts", 3);
        assertThat((List<Map<String, Object>>) report.get("journeys")).as(Json.write(report.get("journeys"))).extracting(j -> j.get("status"))
                .containsOnly("translated");
        assertThat((List<Map<String, Object>>) report.get("segments")).noneMatch(s -> s.containsKey("id"));
        assertThat(core.dripline.contacts().byPhone("+12065550100")).isEmpty();
        assertThat(core.dripline.campaigns().list(10, null).items()).isEmpty();
        assertThat(core.dripline.audience().segments(10, null).items()).isEmpty();
    }
}
