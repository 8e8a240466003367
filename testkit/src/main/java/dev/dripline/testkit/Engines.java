package dev.dripline.testkit;

import java.net.URI;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The AWS engines Dripline runs on, as clients: DynamoDB and SQS. In-process here (DynamoDB
 * Local, ElasticMQ); LocalStack where a Docker engine exists.
 */
public interface Engines extends AutoCloseable {

    DynamoDbClient dynamoDb();

    SqsClient sqs();

    /** Where SQS listens; queue URLs returned by the engine start with it. */
    URI sqsEndpoint();

    /** A short name for logs and test reports. */
    String name();

    @Override
    void close();
}
