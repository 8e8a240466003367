package dev.dripline.local.lambdacheck;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.dripline.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The lambda check's AWS on 127.0.0.1: DynamoDB Local's server, ElasticMQ, a Secrets Manager
 * holding the test credentials and a stub carrier; what the template's resources stand for
 * here ({@link LocalResources}), and the environment that points a function at all of it.
 */
final class LocalAws implements AutoCloseable {

    static final String SECRET_ARN = "arn:aws:secretsmanager:us-east-1:000000000000:secret:";
    private static final String AMZ_JSON = "application/x-amz-json-1.1";

    final AtomicInteger carrierCalls = new AtomicInteger();
    final Map<String, String> secrets = new HashMap<>();
    final Map<String, String> queues = new HashMap<>();
    final DynamoDbClient dynamo;
    final SqsClient sqs;
    private final int dynamoPort;
    private final int sqsPort;
    private final DynamoDBProxyServer dynamoServer;
    private final SQSRestServer sqsServer;
    private final HttpServer carrier;
    private final HttpServer secretsManager;

    LocalAws() throws Exception {
        dynamoPort = freePort();
        // DynamoDB Local's server has no bind-address option: it listens on all interfaces for the run only.
        dynamoServer = ServerRunner.createServerFromCommandLineArgs(
                new String[] {"-inMemory", "-port", Integer.toString(dynamoPort), "-disableTelemetry"});
        dynamoServer.start();
        sqsServer = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
        sqsPort = sqsServer.waitUntilStarted().localAddress().getPort();
        carrier = server("/messages", this::carrier);
        secretsManager = server("/", this::secretsManager);
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("lambdacheck", "lambdacheck"));
        dynamo = DynamoDbClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + dynamoPort))
                .region(Region.US_EAST_1).credentialsProvider(credentials).build();
        sqs = SqsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + sqsPort))
                .region(Region.US_EAST_1).credentialsProvider(credentials).build();
    }

    /** The stub carrier's base URL (the simulator provider's). */
    String carrierUrl() {
        return "http://127.0.0.1:" + carrier.getAddress().getPort();
    }

    /** What points a function at these services instead of AWS's. */
    Map<String, String> environment() {
        Map<String, String> local = new HashMap<>();
        local.put("AWS_REGION", "us-east-1");
        local.put("AWS_DEFAULT_REGION", "us-east-1");
        local.put("AWS_ACCESS_KEY_ID", "lambdacheck");
        local.put("AWS_SECRET_ACCESS_KEY", "lambdacheck");
        local.put("DRIPLINE_DYNAMODB_ENDPOINT", "http://127.0.0.1:" + dynamoPort);
        local.put("DRIPLINE_SQS_ENDPOINT", "http://127.0.0.1:" + sqsPort);
        // The SDK's own per-service endpoint variable: the functions read their secrets here, unchanged.
        local.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://127.0.0.1:" + secretsManager.getAddress().getPort());
        return local;
    }

    SamTemplate.Resources resources() {
        return new LocalResources();
    }

    @Override
    public void close() {
        carrier.stop(0);
        secretsManager.stop(0);
        sqsServer.stopAndWait();
        try {
            dynamoServer.stop();
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not stop", e);
        }
    }

    /** What Ref and Fn::GetAtt give locally: tables by name, queues created in ElasticMQ, secrets in the local Secrets Manager. */
    private final class LocalResources implements SamTemplate.Resources {
        @Override
        public String ref(String logicalId, String type) {
            return switch (type) {
                case "AWS::DynamoDB::Table" -> "lambda-check-" + logicalId;
                case "AWS::SQS::Queue" -> queues.computeIfAbsent(logicalId, id -> sqs.createQueue(r -> r.queueName(id)).queueUrl());
                case "AWS::SecretsManager::Secret" -> {
                    String arn = SECRET_ARN + logicalId;
                    secrets.putIfAbsent(arn, switch (logicalId) {
                        case "ApiKeySecret" -> LambdaCheck.API_KEY;
                        case "VerifySecret" -> "{\"secret\":\"lambda-check-verify-secret-0123456789\"}";
                        default -> "lambda-check-" + logicalId + "-0123456789abcdef";
                    });
                    yield arn;
                }
                default -> logicalId;
            };
        }

        @Override
        public String attribute(String logicalId, String type, String attribute) {
            if (attribute.equals("Arn")) {
                String service = type == null ? "unknown" : type.split("::")[1].toLowerCase(java.util.Locale.ROOT);
                return "arn:aws:" + service + ":us-east-1:000000000000:" + logicalId;
            }
            return logicalId + "." + attribute;
        }

        @Override
        public String secretValue(String secretArn) {
            String value = secrets.get(secretArn);
            if (value == null) {
                throw new IllegalArgumentException("no local value for the secret " + secretArn);
            }
            return value;
        }
    }

    /** Secrets Manager's GetSecretValue (JSON 1.1 protocol) over the secrets above. */
    private void secretsManager(HttpExchange exchange) throws IOException {
        JsonNode request = Json.mapper().readTree(exchange.getRequestBody().readAllBytes());
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        String id = request.path("SecretId").asText();
        String value = secrets.get(id);
        if (!"secretsmanager.GetSecretValue".equals(target) || value == null) {
            respond(exchange, 400, AMZ_JSON, "{\"__type\":\"ResourceNotFoundException\",\"message\":\"Secrets Manager can't find the specified secret.\"}");
            return;
        }
        respond(exchange, 200, AMZ_JSON, Json.write(Map.of("ARN", id, "Name", id.substring(id.lastIndexOf(':') + 1), "SecretString", value,
                "VersionId", "00000000-0000-0000-0000-000000000001", "CreatedDate", 1.7e9)));
    }

    /** The simulated carrier's send, answered as the local carrier does: 201 {id}. */
    private void carrier(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        carrierCalls.incrementAndGet();
        respond(exchange, 201, "application/json", "{\"id\":\"sim_lambdacheck_" + carrierCalls.get() + "\",\"parts\":1}");
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    private static HttpServer server(String path, Handler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(path, exchange -> {
            try {
                handler.handle(exchange);
            } finally {
                exchange.close();
            }
        });
        server.start();
        return server;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

}
