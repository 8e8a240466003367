package dev.dripline.imports;

import dev.dripline.ids.Ids;
import dev.dripline.audience.AudienceTable;
import dev.dripline.contacts.Attributes;
import dev.dripline.contacts.ContactBatch;
import dev.dripline.contacts.ContactInput;
import dev.dripline.errors.FieldError;
import dev.dripline.errors.InvalidInput;
import dev.dripline.errors.NotFound;
import dev.dripline.queue.SqsQueue;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * CSV imports. {@link #start} reads the header and the rows, records the import and puts the
 * rows on the imports queue in chunks (at most {@value #CHUNK_ROWS} rows, about
 * {@value #CHUNK_CHARS} characters) before the API answers 202; {@link #process} runs where the
 * queue is consumed (the imports function on AWS, a poller locally). Each chunk's contacts are
 * written by {@link ContactBatch} (whole contacts per transaction), then its counts are added to
 * the import once (the chunk's number is recorded with them, so a redelivered chunk is not
 * counted twice). Bad rows are reported with their line in the file and never stop the import.
 *
 * <p>Columns ({@link Columns}: matched without regard to case, spaces or underscores, with the
 * Shopify, Klaviyo and Mailchimp export names as aliases): phone (required), country, firstName,
 * lastName, email, timeZone, tags ({@code ,} or {@code ;} separated), {@code attr.<name>} (typed
 * by {@link Attributes#fromText}), and consent.status (yes/no, subscribed/unsubscribed, ...),
 * consent.source, consent.proof, consent.capturedAt. {@link ImportOptions} maps other names and
 * says what becomes of unknown columns.
 */
public final class Imports {

    private static final Logger LOG = LoggerFactory.getLogger(Imports.class);

    static final int CHUNK_ROWS = 1000;
    static final int CHUNK_CHARS = 150_000;
    /** Stored row errors per import; beyond it only the count grows (may overshoot by one chunk's errors). */
    public static final int MAX_STORED_ERRORS = 1000;

    private final DynamoDbClient dynamo;
    private final String table;
    private final ContactBatch batch;
    private final Supplier<SqsQueue> queue;
    private final Clock clock;

    public Imports(DynamoDbClient dynamo, String audienceTable, ContactBatch batch, Supplier<SqsQueue> queue, Clock clock) {
        this.dynamo = dynamo;
        this.table = audienceTable;
        this.batch = batch;
        this.queue = queue;
        this.clock = clock;
    }

    /** Validates the header, records the import and queues its rows; the answer of {@code POST /v1/imports}. */
    public Map<String, Object> start(String csv, String actor) {
        return start(csv, ImportOptions.DEFAULT, actor);
    }

    /** As {@link #start(String, String)}, with the file's columns read as {@code options} say. */
    public Map<String, Object> start(String csv, ImportOptions options, String actor) {
        if (csv == null || csv.isBlank()) {
            throw InvalidInput.of("body", "is empty: send a CSV file with a header row");
        }
        List<Csv.Record> records;
        try {
            records = Csv.parse(csv);
        } catch (Csv.Malformed e) {
            throw InvalidInput.of("line " + e.line, e.getMessage());
        }
        List<String> sourceHeader = records.get(0).cells().stream().map(String::trim).toList();
        List<String> header;
        List<FieldError> errors = new ArrayList<>();
        try {
            header = Columns.resolve(sourceHeader, options);
        } catch (InvalidInput e) {
            errors.addAll(e.errors());
            header = List.of();
        }
        if (records.size() < 2) {
            errors.add(new FieldError("body", "has a header but no rows"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
        String id = Ids.next("imp", clock);
        List<ImportChunk> chunks = new ArrayList<>();
        List<ImportChunk.Line> rows = new ArrayList<>();
        int chars = 0;
        for (Csv.Record r : records.subList(1, records.size())) {
            int size = r.cells().stream().mapToInt(c -> c.length() + 8).sum();
            if (!rows.isEmpty() && (rows.size() == CHUNK_ROWS || chars + size > CHUNK_CHARS)) {
                chunks.add(new ImportChunk(id, chunks.size(), actor, header, rows, sourceHeader));
                rows = new ArrayList<>();
                chars = 0;
            }
            rows.add(new ImportChunk.Line(r.line(), r.cells()));
            chars += size;
        }
        chunks.add(new ImportChunk(id, chunks.size(), actor, header, rows, sourceHeader));
        return queue(id, chunks, records.size() - 1, actor);
    }

    /** A new import's id (for callers that build their own chunks: {@link #queue}). */
    public String newId() {
        return Ids.next("imp", clock);
    }

    /** Records an import of rows already in chunks (a CSV's, or a Pinpoint export's) and queues them. */
    public Map<String, Object> queue(String id, List<ImportChunk> chunks, int total, String actor) {
        Instant now = clock.instant();
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(AudienceTable.PK, s(id));
        item.put(AudienceTable.SK, s("import"));
        item.put("rows", n(total));
        item.put("chunks", n(chunks.size()));
        item.put("actor", s(actor));
        item.put("createdAt", s(now.toString()));
        for (String counter : List.of("processed", "created", "updated", "merged", "rejected", "errorCount", "storedErrors")) {
            item.put(counter, n(0));
        }
        dynamo.putItem(r -> r.tableName(table).item(item));
        SqsQueue q = queue.get();
        for (ImportChunk chunk : chunks) {
            q.send(chunk);
        }
        LOG.info("import {}: {} rows in {} chunks queued", id, total, chunks.size());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", id);
        answer.put("status", "queued");
        answer.put("rows", total);
        return answer;
    }

    /** Processes one chunk: writes its contacts, stores its errors (up to the cap), adds its counts once. */
    public void process(ImportChunk chunk) {
        List<ContactBatch.Row> rows = new ArrayList<>();
        List<ContactBatch.RowError> errors = new ArrayList<>();
        int unreadable = 0;
        for (ImportChunk.Line line : chunk.rows()) {
            List<FieldError> problems = new ArrayList<>();
            ContactInput input = ImportRows.toInput(chunk.header(), chunk.sourceHeader(), chunk.importId(), line.cells(), problems);
            if (problems.isEmpty()) {
                rows.add(new ContactBatch.Row(line.line(), input));
            } else {
                unreadable++;
                problems.forEach(p -> errors.add(new ContactBatch.RowError(line.line(), p.field(), p.message())));
            }
        }
        ContactBatch.Outcome outcome = batch.write(rows, chunk.actor());
        outcome.errors().forEach(e -> errors.add(new ContactBatch.RowError(e.row(), ImportRows.csvField(e.field()), e.message())));
        int stored = storeErrors(chunk, errors);
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":processed", n(chunk.rows().size()));
        values.put(":created", n(outcome.created()));
        values.put(":updated", n(outcome.updated()));
        values.put(":merged", n(outcome.merged()));
        values.put(":rejected", n(outcome.rejected() + unreadable));
        values.put(":errors", n(errors.size()));
        values.put(":stored", n(stored));
        values.put(":chunk", AttributeValue.fromNs(List.of(Integer.toString(chunk.chunk()))));
        values.put(":chunkNo", n(chunk.chunk()));
        values.put(":now", s(clock.instant().toString()));
        try {
            dynamo.updateItem(r -> r.tableName(table)
                    .key(Map.of(AudienceTable.PK, s(chunk.importId()), AudienceTable.SK, s("import")))
                    .updateExpression("ADD #processed :processed, #created :created, #updated :updated, #merged :merged, "
                            + "#rejected :rejected, #errorCount :errors, #storedErrors :stored, #chunksDone :chunk SET #last = :now")
                    .expressionAttributeNames(Map.of("#processed", "processed", "#created", "created", "#updated", "updated",
                            "#merged", "merged", "#rejected", "rejected", "#errorCount", "errorCount", "#storedErrors", "storedErrors",
                            "#chunksDone", "chunksDone", "#last", "lastProgressAt"))
                    .conditionExpression("attribute_exists(pk) AND NOT contains(#chunksDone, :chunkNo)")
                    .expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException alreadyCounted) {
            LOG.info("import {} chunk {} was already counted (redelivery)", chunk.importId(), chunk.chunk());
        }
    }

    /** Writes a chunk's errors under keys derived from their line, while the import has room for them. */
    private int storeErrors(ImportChunk chunk, List<ContactBatch.RowError> errors) {
        if (errors.isEmpty()) {
            return 0;
        }
        Map<String, AttributeValue> job = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                .key(Map.of(AudienceTable.PK, s(chunk.importId()), AudienceTable.SK, s("import")))).item();
        int already = job == null || !job.containsKey("storedErrors") ? 0 : Integer.parseInt(job.get("storedErrors").n());
        int room = Math.max(0, MAX_STORED_ERRORS - already);
        List<WriteRequest> writes = new ArrayList<>();
        Map<Integer, Integer> perLine = new HashMap<>();
        for (ContactBatch.RowError e : errors.subList(0, Math.min(room, errors.size()))) {
            int k = perLine.merge(e.row(), 1, Integer::sum);
            Map<String, AttributeValue> item = new HashMap<>();
            item.put(AudienceTable.PK, s(chunk.importId()));
            item.put(AudienceTable.SK, s(String.format("error#%010d#%03d", e.row(), k)));
            item.put("row", n(e.row()));
            item.put("field", s(e.field()));
            item.put("message", s(e.message()));
            writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
        }
        for (int from = 0; from < writes.size(); from += 25) {
            List<WriteRequest> part = writes.subList(from, Math.min(writes.size(), from + 25));
            Map<String, List<WriteRequest>> request = Map.of(table, part);
            for (int round = 0; !request.isEmpty(); round++) {
                Map<String, List<WriteRequest>> r = request;
                BatchWriteItemResponse response = dynamo.batchWriteItem(b -> b.requestItems(r));
                request = response.unprocessedItems() == null ? Map.of() : response.unprocessedItems();
                if (!request.isEmpty()) {
                    try {
                        Thread.sleep(Math.min(200, 5L << Math.min(round, 5)));
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(ie);
                    }
                }
            }
        }
        return writes.size();
    }

    /**
     * {@code GET /v1/imports}: every import's progress and counts (its errors: {@code GET
     * /v1/imports/{id}}), a page at a time: a paged Scan of the audience table for
     * {@code sk = import} (bounded per request, so a page may come back short with a cursor).
     */
    public dev.dripline.store.Page<Map<String, Object>> list(int limit, String cursor) {
        return dev.dripline.store.PagedRead.page("imports", java.util.Set.of(AudienceTable.PK, AudienceTable.SK), limit, cursor, start -> {
            var scan = software.amazon.awssdk.services.dynamodb.model.ScanRequest.builder().tableName(table)
                    .filterExpression("sk = :s").expressionAttributeValues(Map.of(":s", s("import")))
                    .limit(dev.dripline.store.PagedRead.READ);
            if (start != null) {
                scan.exclusiveStartKey(start);
            }
            return dev.dripline.store.PagedRead.Batch.of(dynamo.scan(scan.build()));
        }, Imports::summary);
    }

    private static Map<String, Object> summary(Map<String, AttributeValue> job) {
        int rows = num(job, "rows");
        int processed = num(job, "processed");
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", job.get(AudienceTable.PK).s());
        answer.put("status", processed >= rows ? "completed" : processed > 0 ? "running" : "queued");
        answer.put("rows", rows);
        answer.put("processed", processed);
        answer.put("created", num(job, "created"));
        answer.put("updated", num(job, "updated"));
        answer.put("merged", num(job, "merged"));
        answer.put("rejected", num(job, "rejected"));
        answer.put("errorCount", num(job, "errorCount"));
        answer.put("createdAt", job.get("createdAt").s());
        if (job.containsKey("lastProgressAt")) {
            answer.put("lastProgressAt", job.get("lastProgressAt").s());
        }
        return answer;
    }

    /** {@code GET /v1/imports/{id}}: progress, counts and the stored errors. */
    public Map<String, Object> status(String id) {
        if (id == null || !id.startsWith("imp_")) {
            throw new NotFound("import", id);
        }
        Map<String, AttributeValue> job = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                .key(Map.of(AudienceTable.PK, s(id), AudienceTable.SK, s("import")))).item();
        if (job == null || job.isEmpty()) {
            throw new NotFound("import", id);
        }
        int rows = num(job, "rows");
        int processed = num(job, "processed");
        List<Map<String, Object>> errors = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamo.query(r -> {
                r.tableName(table).consistentRead(true).keyConditionExpression("pk = :pk AND begins_with(sk, :e)")
                        .expressionAttributeValues(Map.of(":pk", s(id), ":e", s("error#")));
                if (from != null) {
                    r.exclusiveStartKey(from);
                }
            });
            for (Map<String, AttributeValue> e : page.items()) {
                Map<String, Object> error = new LinkedHashMap<>();
                error.put("row", Integer.parseInt(e.get("row").n()));
                error.put("field", e.get("field").s());
                error.put("message", e.get("message").s());
                errors.add(error);
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", id);
        answer.put("status", processed >= rows ? "completed" : processed > 0 ? "running" : "queued");
        answer.put("rows", rows);
        answer.put("processed", processed);
        answer.put("created", num(job, "created"));
        answer.put("updated", num(job, "updated"));
        answer.put("merged", num(job, "merged"));
        answer.put("rejected", num(job, "rejected"));
        answer.put("errors", errors);
        answer.put("moreErrors", Math.max(0, num(job, "errorCount") - errors.size()));
        answer.put("createdAt", job.get("createdAt").s());
        if (job.containsKey("lastProgressAt")) {
            answer.put("lastProgressAt", job.get("lastProgressAt").s());
        }
        return answer;
    }

    private static int num(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? 0 : Integer.parseInt(v.n());
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(int v) {
        return AttributeValue.fromN(Integer.toString(v));
    }
}
