package dev.dripline.steps;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.dripline.Dripline;
import dev.dripline.imports.ImportChunk;
import dev.dripline.imports.Imports;
import dev.dripline.json.Json;
import dev.dripline.migrations.pinpoint.PinpointJobs;
import dev.dripline.migrations.pinpoint.PinpointMigration;
import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.S3Client;
import dev.dripline.queue.lambda.QueueBatch;

/**
 * The imports queue's consumer: chunks of CSV rows that {@code POST /v1/imports} queued. A chunk
 * that fails is redelivered (and counted once when it succeeds); after five failures it waits in
 * the imports dead-letter queue. Wired by hand, like {@link StepsHandler}.
 */
public final class ImportsHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private final Imports imports;
    private final Dripline dripline;
    private final Supplier<S3Client> s3;
    private S3Client s3Client;
    private final QueueBatch batch = new QueueBatch();

    public ImportsHandler() {
        this(Dripline.fromEnvironment(System.getenv()), () -> S3Exports.builder(System.getenv()).build());
    }

    public ImportsHandler(Dripline dripline) {
        this(dripline, () -> S3Exports.builder(System.getenv()).build());
    }

    /** @param s3 built once, when the first migration comes (plain imports never need it) */
    public ImportsHandler(Dripline dripline, Supplier<S3Client> s3) {
        this.imports = dripline.imports();
        this.dripline = dripline;
        this.s3 = s3;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return batch.run(event, body -> {
            if (body.contains("\"migrationId\"")) {
                // A Pinpoint migration (POST /v1/migrations/pinpoint).
                PinpointJobs.Request request = Json.read(body, PinpointJobs.Request.class);
                dripline.pinpointJobs(request.bucket()).process(request, new S3Exports(s3()), PinpointMigration.of(dripline));
            } else {
                imports.process(Json.read(body, ImportChunk.class));
            }
        });
    }

    private synchronized S3Client s3() {
        if (s3Client == null) {
            s3Client = s3.get();
        }
        return s3Client;
    }
}
