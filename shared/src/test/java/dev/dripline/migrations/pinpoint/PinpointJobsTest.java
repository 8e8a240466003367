package dev.dripline.migrations.pinpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dripline.TestCore;
import dev.dripline.errors.InvalidInput;
import dev.dripline.imports.ImportChunk;
import dev.dripline.json.Json;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.model.Message;

/** POST /v1/migrations/pinpoint's path: recorded, queued on the imports queue, run where imports run (the files from a stand-in for S3). */
@ExtendWith(EnginesExtension.class)
class PinpointJobsTest {

    @SuppressWarnings("unchecked")
    @Test
    void aQueuedMigrationRunsOnTheImportsQueueAndShowsItsReportAndImportProgress(Engines engines) throws Exception {
        TestCore core = new TestCore(engines, Clock.systemUTC());
        PinpointJobs jobs = core.dripline.pinpointJobs("exports-bucket");
        Map<String, Object> started = jobs.start("exports/2026-10-01/", false, "api-key:test");
        String id = (String) started.get("id");
        assertThat(started).containsEntry("status", "queued");

        List<PinpointFile> files = PinpointImportTest.export();
        String url = core.dripline.settings().audience().importsQueueUrl();
        for (int round = 0; round < 10; round++) {
            List<Message> got = engines.sqs().receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
            for (Message m : got) {
                // As ImportsHandler dispatches: a migration request, or an import chunk.
                if (m.body().contains("\"migrationId\"")) {
                    PinpointJobs.Request request = Json.read(m.body(), PinpointJobs.Request.class);
                    assertThat(request.bucket()).isEqualTo("exports-bucket");
                    assertThat(request.prefix()).isEqualTo("exports/2026-10-01/");
                    jobs.process(request, r -> files, PinpointMigration.of(core.dripline));
                } else {
                    core.dripline.imports().process(Json.read(m.body(), ImportChunk.class));
                }
                engines.sqs().deleteMessage(r -> r.queueUrl(url).receiptHandle(m.receiptHandle()));
            }
        }
        Map<String, Object> status = jobs.status(id, core.dripline.imports());
        assertThat(status).containsEntry("status", "completed").containsEntry("dryRun", false);
        assertThat((Map<String, Object>) status.get("import")).containsEntry("status", "completed").containsEntry("created", 3);
        Map<String, Object> report = (Map<String, Object>) status.get("report");
        assertThat((List<Map<String, Object>>) report.get("journeys")).allMatch(j -> j.get("id") != null);
        assertThat(core.dripline.contacts().byPhone("+12065550101")).isPresent();
    }

    @Test
    void withoutAnExportBucketOrWithAnS3UrlForAPrefixTheRequestIsRefused(Engines engines) {
        TestCore core = new TestCore(engines, Clock.systemUTC());
        assertThatThrownBy(() -> core.dripline.pinpointJobs("").start("exports/", false, "t")).isInstanceOf(InvalidInput.class)
                .hasMessageContaining("PinpointExportBucket");
        assertThatThrownBy(() -> core.dripline.pinpointJobs("b").start("s3://b/exports/", false, "t")).isInstanceOf(InvalidInput.class);
    }
}
