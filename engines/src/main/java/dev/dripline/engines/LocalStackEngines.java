package dev.dripline.engines;

import java.net.URI;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * DynamoDB and SQS from a LocalStack container, for machines with a Docker engine. Only
 * loaded when asked for, so Testcontainers is never needed where it is not used.
 */
final class LocalStackEngines implements Engines {

    static final String IMAGE = "localstack/localstack:4.4";

    private final LocalStackContainer container;
    private final DynamoDbClient dynamoDb;
    private final SqsClient sqs;
    private final URI endpoint;

    private LocalStackEngines(LocalStackContainer container) {
        this.container = container;
        this.endpoint = container.getEndpoint();
        var credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(container.getAccessKey(), container.getSecretKey()));
        Region region = Region.of(container.getRegion());
        this.dynamoDb = DynamoDbClient.builder().endpointOverride(endpoint).region(region)
                .credentialsProvider(credentials).build();
        this.sqs = SqsClient.builder().endpointOverride(endpoint).region(region)
                .credentialsProvider(credentials).build();
    }

    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    static LocalStackEngines start() {
        LocalStackContainer container = new LocalStackContainer(DockerImageName.parse(IMAGE))
                .withServices("dynamodb", "sqs");
        container.start();
        return new LocalStackEngines(container);
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
        return endpoint;
    }

    @Override
    public String name() {
        return "LocalStack " + IMAGE;
    }

    @Override
    public void close() {
        sqs.close();
        dynamoDb.close();
        container.stop();
    }
}
