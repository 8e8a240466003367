package dev.dripline.steps;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.dripline.TestCore;
import dev.dripline.consent.ConsentEntry;
import dev.dripline.consent.ConsentStatus;
import dev.dripline.contacts.Contact;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import dev.dripline.engines.aws.AwsCallRecorder;
import dev.dripline.migrations.pinpoint.PinpointJobs;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * POST /v1/migrations/pinpoint as it runs on AWS: the queued job read by the imports handler from
 * an S3-compatible server (S3StandIn; path-style through DRIPLINE_S3_ENDPOINT), its endpoints
 * imported as contacts, all on DynamoDB Local and ElasticMQ. The fixtures are the shared module's
 * (shared/src/test/resources/pinpoint, SOURCE.md there cites the Pinpoint API model).
 */
@ExtendWith(EnginesExtension.class)
class PinpointMigrationFromS3Test {

    private static final Path FIXTURES = Path.of("../../shared/src/test/resources/pinpoint");
    private static final String BUCKET = "acme-pinpoint-exports";
    // Spaces and a '+' in keys: S3 keys are any UTF-8, and CreateExportJob's S3UrlPrefix is the customer's.
    private static final String PREFIX = "pinpoint exports/2026-10-01/";

    private Engines engines;
    private TestCore core;
    private S3StandIn s3;
    private ImportsHandler handler;

    @BeforeEach
    void start(Engines engines) throws Exception {
        this.engines = engines;
        core = new TestCore(engines, Clock.systemUTC());
        s3 = new S3StandIn(BUCKET, 2);
        handler = new ImportsHandler(core.dripline, () -> S3Exports.builder(Map.of(
                        "DRIPLINE_S3_ENDPOINT", s3.endpoint().toString(), "AWS_REGION", "eu-west-1"))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .overrideConfiguration(c -> c.addExecutionInterceptor(AwsCallRecorder.global()))
                .build());
    }

    @AfterEach
    void stop() {
        s3.close();
    }

    private static byte[] gzip(byte[] plain) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        }
        return out.toByteArray();
    }

    private static byte[] fixture(String name) throws Exception {
        return Files.readAllBytes(FIXTURES.resolve(name));
    }

    /** What is on the imports queue, handed to the handler as Lambda would, until it is empty; the failures it reported. */
    private List<String> drain() {
        String url = core.dripline.settings().audience().importsQueueUrl();
        List<String> failures = new ArrayList<>();
        for (int round = 0; round < 50; round++) {
            List<Message> got = engines.sqs().receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
            if (got.isEmpty()) {
                return failures;
            }
            for (Message m : got) {
                SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
                record.setMessageId(m.messageId());
                record.setBody(m.body());
                SQSEvent event = new SQSEvent();
                event.setRecords(List.of(record));
                SQSBatchResponse response = handler.handleRequest(event, null);
                response.getBatchItemFailures().forEach(f -> failures.add(f.getItemIdentifier()));
                engines.sqs().deleteMessage(r -> r.queueUrl(url).receiptHandle(m.receiptHandle()));
            }
        }
        throw new IllegalStateException("the imports queue never emptied");
    }

    @SuppressWarnings("unchecked")
    @Test
    void aMigrationReadsEveryPageOfTheListingAndImportsTheGzippedEndpointsWithTheOptOutKept() throws Exception {
        String endpointsKey = PREFIX + "app-1/job 7f3c/part-00000"; // no .gz: told gzip by its bytes
        s3.put(PREFIX + "app-1/", new byte[0]) // the console's "folder"
                .put(endpointsKey, gzip(fixture("endpoints-part-00000.jsonl")))
                .put(PREFIX + "journeys/get-journey roundtrip+v1.json", fixture("journey-roundtrip.json"))
                .put(PREFIX + "templates/welcome.json", fixture("template-welcome.json"))
                .put(PREFIX + "templates/offer.json", fixture("template-offer.json"))
                .put("pinpoint exports/2026-10-01-old/part-00000", gzip("{\"ChannelType\":\"SMS\",\"Address\":\"+12065550199\",\"Id\":\"x\"}".getBytes()));

        PinpointJobs jobs = core.dripline.pinpointJobs(BUCKET);
        String id = (String) jobs.start(PREFIX, false, "api-key:test").get("id");
        assertThat(drain()).as("batch item failures").isEmpty();

        Map<String, Object> status = jobs.status(id, core.dripline.imports());
        assertThat(status).as(String.valueOf(status)).containsEntry("status", "completed").doesNotContainKey("error");
        Map<String, Object> report = (Map<String, Object>) status.get("report");
        assertThat((List<Map<String, Object>>) report.get("files")).extracting(f -> f.get("name") + " " + f.get("kind")).containsExactly(
                endpointsKey + " endpoints",
                PREFIX + "journeys/get-journey roundtrip+v1.json journey",
                PREFIX + "templates/offer.json sms_template",
                PREFIX + "templates/welcome.json sms_template");
        assertThat((List<String>) report.get("unknownFiles")).isEmpty();
        Map<String, Object> endpoints = (Map<String, Object>) report.get("endpoints");
        assertThat(endpoints).containsEntry("read", 8).containsEntry("contacts", 3).containsEntry("merged", 1)
                .containsEntry("optedOut", 1).containsEntry("refused", 4);
        assertThat((List<Map<String, Object>>) report.get("journeys")).hasSize(1).allMatch(j -> j.get("id") != null);
        assertThat((Map<String, Object>) status.get("import")).containsEntry("status", "completed").containsEntry("created", 3);

        // The listing was followed page by page (2 keys a page), the continuation token sent back.
        List<S3StandIn.Seen> lists = s3.seen.stream().filter(r -> "2".equals(r.query().get("list-type"))).toList();
        assertThat(lists).hasSize(3).allMatch(r -> r.path().equals("/" + BUCKET) && PREFIX.equals(r.query().get("prefix")));
        assertThat(lists.get(0).query()).doesNotContainKey("continuation-token");
        assertThat(lists.subList(1, 3)).allMatch(r -> r.query().containsKey("continuation-token"));
        assertThat(s3.seen.stream().filter(r -> !r.query().containsKey("list-type")).map(S3StandIn.Seen::path))
                .as("each object read once, path-style, the folder marker and the other prefix not at all")
                .containsExactlyInAnyOrder("/" + BUCKET + "/" + endpointsKey,
                        "/" + BUCKET + "/" + PREFIX + "journeys/get-journey roundtrip+v1.json",
                        "/" + BUCKET + "/" + PREFIX + "templates/offer.json", "/" + BUCKET + "/" + PREFIX + "templates/welcome.json");

        assertThat(core.dripline.contacts().byPhone("+12065550100").orElseThrow().consent()).isEqualTo(ConsentStatus.OPTED_IN);
        assertThat(core.dripline.contacts().byPhone("+12065550199")).as("outside the prefix").isEmpty();
        Contact bo = core.dripline.contacts().byPhone("+12065550101").orElseThrow();
        assertThat(bo.consent()).isEqualTo(ConsentStatus.OPTED_OUT);
        List<ConsentEntry> ledger = core.dripline.consentLedger().entries(bo.id());
        assertThat(ledger).hasSize(1);
        assertThat(ledger.get(0).source()).isEqualTo("pinpoint_export");
        assertThat(ledger.get(0).proof()).isEqualTo(endpointsKey + " line 4: OptOut ALL");
    }

    @Test
    void aPrefixWithNothingUnderItFailsTheJobSayingSoInsteadOfCompletingEmpty() throws Exception {
        s3.put("exports/2026-10-01/part-00000", gzip(fixture("endpoints-part-00000.jsonl")));
        PinpointJobs jobs = core.dripline.pinpointJobs(BUCKET);
        String id = (String) jobs.start("Exports/2026-10-01/", false, "api-key:test").get("id");

        assertThat(drain()).as("the message is redelivered").hasSize(1);
        Map<String, Object> status = jobs.status(id, core.dripline.imports());
        assertThat(status).containsEntry("status", "failed");
        assertThat((String) status.get("error")).contains("no object under s3://" + BUCKET + "/Exports/2026-10-01/");
        assertThat(core.dripline.contacts().byPhone("+12065550100")).isEmpty();
    }
}
