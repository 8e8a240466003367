package dev.dripline.engines.aws;

/**
 * One permission an AWS call needs: the IAM action and what it acts on.
 *
 * @param action     the IAM action, e.g. {@code dynamodb:PutItem}
 * @param kind       what {@code name} is: {@code table}, {@code index} (table/index/name),
 *                   {@code queue} (a queue URL), {@code schedule} (a schedule's name in the
 *                   group DRIPLINE_SCHEDULE_GROUP names), {@code env} (the resource an
 *                   environment variable names, e.g. DRIPLINE_SCHEDULER_ROLE_ARN), {@code secret}
 *                   (an ARN) or {@code none}
 * @param name       the resource as the test saw it
 * @param entryPoint the handler class on the stack when the call was made
 */
public record AwsCall(String action, String kind, String name, String entryPoint) {
}
