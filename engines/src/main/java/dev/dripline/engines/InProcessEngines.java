package dev.dripline.engines;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import java.io.File;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import dev.dripline.engines.aws.AwsCallRecorder;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * DynamoDB Local through its embedded client (no port is opened) and ElasticMQ bound to
 * 127.0.0.1 on a free port, both in this JVM. They start in parallel: ElasticMQ's first start
 * in a JVM takes several seconds of actor-system boot.
 */
public final class InProcessEngines implements Engines {

    private final AmazonDynamoDBLocal dynamoLocal;
    private final DynamoDbClient dynamoDb;
    private final SQSRestServer sqsServer;
    private final SqsClient sqs;
    private final URI sqsEndpoint;
    private final PersistentQueues persistentQueues;

    private InProcessEngines(AmazonDynamoDBLocal dynamoLocal, SQSRestServer sqsServer, PersistentQueues persistentQueues, int sqsPort,
                             Optional<ClientCalls> calls, Optional<AwsCallRecorder> recorder) {
        this.dynamoLocal = dynamoLocal;
        this.persistentQueues = persistentQueues;
        DynamoDbClient dynamo = calls.map(c -> c.counting(dynamoLocal.dynamoDbClient())).orElseGet(dynamoLocal::dynamoDbClient);
        this.dynamoDb = recorder.map(r -> r.recording(dynamo)).orElse(dynamo);
        this.sqsServer = sqsServer;
        this.sqsEndpoint = URI.create("http://127.0.0.1:" + sqsPort);
        this.sqs = SqsClient.builder()
                .overrideConfiguration(c -> {
                    calls.ifPresent(c::addExecutionInterceptor);
                    recorder.ifPresent(c::addExecutionInterceptor);
                })
                .endpointOverride(sqsEndpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(64))
                .build();
    }

    /** Starts both engines in memory. */
    public static InProcessEngines start() {
        return start(Optional.empty());
    }

    /**
     * Starts both engines; with a data directory both keep their data there across restarts,
     * a kill included: DynamoDB Local its tables, ElasticMQ its queues and messages (an H2 file).
     */
    public static InProcessEngines start(Optional<File> dataDir) {
        return start(dataDir, Optional.empty());
    }

    /** As {@link #start(Optional)}, with every call of the clients counted in {@code calls} (benchmarks). */
    public static InProcessEngines start(Optional<File> dataDir, Optional<ClientCalls> calls) {
        return start(dataDir, calls, Optional.empty());
    }

    /** As {@link #start(Optional, Optional)}, with the calls made under a handler recorded for the IAM check. */
    public static InProcessEngines start(Optional<File> dataDir, Optional<ClientCalls> calls, Optional<AwsCallRecorder> recorder) {
        CompletableFuture<PersistentQueues> kept = dataDir.isPresent()
                ? CompletableFuture.supplyAsync(() -> PersistentQueues.start(new File(dataDir.get(), "queues")))
                : CompletableFuture.completedFuture(null);
        CompletableFuture<SQSRestServer> sqs = dataDir.isPresent() ? kept.thenApply(PersistentQueues::server)
                : CompletableFuture.supplyAsync(() -> {
                    SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
                    server.waitUntilStarted();
                    return server;
                });
        // true = telemetry off: faster start, and no metadata file in the working directory.
        AmazonDynamoDBLocal dynamo = dataDir
                .map(dir -> {
                    dir.mkdirs();
                    // The embedded engine takes the SQLite database file itself, not a directory.
                    return DynamoDBEmbedded.create(new File(dir, "dynamodb-local.db"), true);
                })
                .orElseGet(() -> DynamoDBEmbedded.create(true));
        SQSRestServer server = sqs.join();
        int port = server.waitUntilStarted().localAddress().getPort();
        return new InProcessEngines(dynamo, server, kept.join(), port, calls, recorder);
    }

    @Override
    public DynamoDbClient dynamoDb() {
        return dynamoDb;
    }

    @Override
    public SqsClient sqs() {
        return sqs;
    }

    @Override
    public URI sqsEndpoint() {
        return sqsEndpoint;
    }

    @Override
    public String name() {
        return "in-process (DynamoDB Local embedded, ElasticMQ " + sqsEndpoint + ")";
    }

    @Override
    public void close() {
        sqs.close();
        if (persistentQueues != null) {
            persistentQueues.close();
        } else {
            sqsServer.stopAndWait();
        }
        dynamoLocal.shutdownNow();
    }
}
