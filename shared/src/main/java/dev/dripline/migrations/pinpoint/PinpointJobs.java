package dev.dripline.migrations.pinpoint;

import dev.dripline.ids.Ids;
import dev.dripline.audience.AudienceTable;
import dev.dripline.errors.InvalidInput;
import dev.dripline.errors.NotFound;
import dev.dripline.imports.Imports;
import dev.dripline.json.Json;
import dev.dripline.queue.SqsQueue;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code POST /v1/migrations/pinpoint} on AWS: the request is recorded (audience table, sk
 * {@code migration}) and queued on the imports queue as a {@link Request}; the imports function
 * reads the files under the prefix ({@code source}), runs {@link PinpointMigration} and stores its
 * report; {@code GET /v1/migrations/pinpoint/{id}} shows the status, the report and the progress
 * of the endpoints' import.
 */
public final class PinpointJobs {

    /** The imports queue's message for a migration (told apart from an import chunk by {@code migrationId}). */
    public record Request(String migrationId, String bucket, String prefix, boolean dryRun, String actor) {
    }

    private final DynamoDbClient dynamo;
    private final String table;
    private final Supplier<SqsQueue> queue;
    private final Clock clock;
    private final String bucket;

    public PinpointJobs(DynamoDbClient dynamo, String audienceTable, Supplier<SqsQueue> queue, Clock clock, String bucket) {
        this.dynamo = dynamo;
        this.table = audienceTable;
        this.queue = queue;
        this.clock = clock;
        this.bucket = bucket;
    }

    public Map<String, Object> start(String prefix, boolean dryRun, String actor) {
        if (bucket == null || bucket.isBlank()) {
            throw InvalidInput.of("prefix", "no export bucket is configured: deploy with the PinpointExportBucket parameter "
                    + "(DRIPLINE_PINPOINT_EXPORT_BUCKET), the bucket CreateExportJob wrote to");
        }
        if (prefix == null || prefix.isBlank() || prefix.length() > 900 || prefix.startsWith("/") || prefix.startsWith("s3://")) {
            throw InvalidInput.of("prefix", "must be a key prefix inside the export bucket, e.g. exports/2026-10-01/ (no s3:// and no leading /)");
        }
        String id = Ids.next("mig", clock);
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put(AudienceTable.PK, AttributeValue.fromS(id));
        item.put(AudienceTable.SK, AttributeValue.fromS("migration"));
        item.put("prefix", AttributeValue.fromS(prefix));
        item.put("dryRun", AttributeValue.fromBool(dryRun));
        item.put("status", AttributeValue.fromS("queued"));
        item.put("createdAt", AttributeValue.fromS(clock.instant().toString()));
        dynamo.putItem(r -> r.tableName(table).item(item));
        queue.get().send(new Request(id, bucket, prefix, dryRun, actor));
        return status(id, null);
    }

    /** Runs a queued migration with the files {@code source} reads; its report is stored with it. */
    public void process(Request request, Function<Request, List<PinpointFile>> source, PinpointMigration migration) {
        update(request.migrationId(), "running", null, null);
        List<PinpointFile> files;
        try {
            files = source.apply(request);
        } catch (RuntimeException e) {
            // Shown by GET (the message is redelivered, and after five failures waits in the dead-letter queue).
            update(request.migrationId(), "failed", null, "cannot read the export: " + e.getMessage());
            throw e;
        }
        Map<String, Object> report = migration.run(files, request.dryRun(), request.actor(), line -> { });
        update(request.migrationId(), "completed", Json.write(report), null);
    }

    private void update(String id, String status, String report, String error) {
        Map<String, AttributeValue> values = new LinkedHashMap<>();
        values.put(":s", AttributeValue.fromS(status));
        values.put(":t", AttributeValue.fromS(clock.instant().toString()));
        String set = "SET #s = :s, lastProgressAt = :t";
        if (report != null) {
            values.put(":r", AttributeValue.fromS(report));
            set += ", report = :r";
        }
        if (error != null) {
            values.put(":e", AttributeValue.fromS(error.length() > 1000 ? error.substring(0, 1000) : error));
            set += ", #e = :e";
        }
        String remove = error == null ? " REMOVE #e" : "";
        String expression = set + remove;
        dynamo.updateItem(r -> r.tableName(table)
                .key(Map.of(AudienceTable.PK, AttributeValue.fromS(id), AudienceTable.SK, AttributeValue.fromS("migration")))
                .updateExpression(expression).expressionAttributeNames(Map.of("#s", "status", "#e", "error"))
                .expressionAttributeValues(values));
    }

    /** {@code GET /v1/migrations/pinpoint/{id}}: status, report when done, and the endpoints import's progress. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> status(String id, Imports imports) {
        if (id == null || !id.startsWith("mig_")) {
            throw new NotFound("migration", id);
        }
        Map<String, AttributeValue> job = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                .key(Map.of(AudienceTable.PK, AttributeValue.fromS(id), AudienceTable.SK, AttributeValue.fromS("migration")))).item();
        if (job == null || job.isEmpty()) {
            throw new NotFound("migration", id);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", id);
        answer.put("status", job.get("status").s());
        answer.put("prefix", job.get("prefix").s());
        answer.put("dryRun", job.get("dryRun").bool());
        answer.put("createdAt", job.get("createdAt").s());
        if (job.containsKey("error")) {
            answer.put("error", job.get("error").s());
        }
        if (job.containsKey("report")) {
            Map<String, Object> report = Json.read(job.get("report").s(), Map.class);
            answer.put("report", report);
            Object importId = ((Map<String, Object>) report.getOrDefault("endpoints", Map.of())).get("importId");
            if (importId instanceof String imp && imports != null) {
                answer.put("import", imports.status(imp));
            }
        }
        return answer;
    }
}
