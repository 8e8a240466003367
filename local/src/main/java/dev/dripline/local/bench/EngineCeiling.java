package dev.dripline.local.bench;

import dev.dripline.engines.ClientCalls;
import dev.dripline.engines.InProcessEngines;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The ceiling of the local engines for the one-off send path:
 * {@code java -jar local/target/dripline-local.jar engine-ceiling [messages]}.
 *
 * <p>No product code runs: 4 client threads put each message on an ElasticMQ queue (its SQS
 * sends) and 8 consumers take batches of up to 10 (as the sender's poller), make that message's
 * DynamoDB calls on embedded DynamoDB Local (items of a message's size, counters on a few hot
 * keys) and delete the batch. Each message makes the calls of a {@link #shape}: the calls per
 * message counted by a {@code throughput} run, fractions spread evenly over the messages. So the
 * figure is what the engines alone allow for that many calls, and {@code throughput} divides its
 * own figure by it. Receives and deletes are the consumers' own (batched) calls, not replayed.
 */
public final class EngineCeiling {

    /**
     * Per one-off message with its two receipts, counted by {@code throughput 10000} (2026-12-03,
     * issue 21): 4 GetItem, 1 PutItem, 6.1 UpdateItem, 1 SendMessage.
     */
    static final Map<String, Double> DEFAULT_SHAPE = Map.of("DynamoDB.GetItem", 4.0, "DynamoDB.PutItem", 1.0,
            "DynamoDB.UpdateItem", 6.1, "Sqs.SendMessage", 1.0);

    private static final int PRODUCERS = 4;
    private static final int CONSUMERS = 8;

    private EngineCeiling() {
    }

    public static void run(String[] args, PrintStream out) throws Exception {
        int messages = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        if (messages < 100 || messages > 200_000) {
            throw new IllegalArgumentException("messages must be 100 to 200000");
        }
        ClientCalls calls = new ClientCalls();
        try (InProcessEngines engines = InProcessEngines.start(Optional.empty(), Optional.of(calls))) {
            out.printf("engine-ceiling: machine %d cores, load average %.2f; shape per message %s%n",
                    Runtime.getRuntime().availableProcessors(), load(), new TreeMap<>(DEFAULT_SHAPE));
            measure(engines.dynamoDb(), engines.sqs(), calls, DEFAULT_SHAPE, Math.min(3_000, messages), out);
            double rate = measure(engines.dynamoDb(), engines.sqs(), calls, DEFAULT_SHAPE, messages, out);
            out.printf("ceiling: **%.0f messages/s** (load average %.2f)%n", rate, load());
        }
    }

    static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /**
     * The calls per message of a counted run: DynamoDB operations and SQS sends, divided by
     * {@code messages}; receives, deletes and visibility changes are left to the replay's consumers.
     */
    public static Map<String, Double> shape(Map<String, Long> counted, int messages) {
        Map<String, Double> shape = new TreeMap<>();
        counted.forEach((op, n) -> {
            String upper = op.toUpperCase(Locale.ROOT);
            if (n > 0 && (upper.startsWith("DYNAMODB.") || upper.equals("SQS.SENDMESSAGE") || upper.equals("SQS.SENDMESSAGEBATCH"))) {
                shape.put(op, n / (double) messages);
            }
        });
        return shape;
    }

    /** Replays {@code messages} of the shape on fresh tables and queues of these engines; messages per second. */
    public static double measure(DynamoDbClient dynamo, SqsClient sqs, ClientCalls calls, Map<String, Double> shape, int messages,
                                 PrintStream out) throws Exception {
        String name = "ceiling-" + Long.toHexString(System.nanoTime());
        dynamo.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build()));
        String queue = sqs.createQueue(b -> b.queueName(name)).queueUrl();
        for (int c = 0; c < 100; c++) {
            String contact = "contact-" + c;
            dynamo.putItem(b -> b.tableName(name).item(item(contact)));
        }
        List<String> unreplayed = new ArrayList<>();
        shape.keySet().stream().filter(op -> !REPLAYED.contains(op.toUpperCase(Locale.ROOT))).forEach(unreplayed::add);

        calls.reset();
        AtomicBoolean failed = new AtomicBoolean();
        AtomicInteger done = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(messages);
        ExecutorService pool = Executors.newFixedThreadPool(PRODUCERS + CONSUMERS, r -> {
            Thread t = new Thread(r, "engine-ceiling");
            t.setDaemon(true);
            return t;
        });
        long start = System.nanoTime();
        try {
            AtomicInteger next = new AtomicInteger();
            for (int p = 0; p < PRODUCERS; p++) {
                pool.execute(() -> {
                    try {
                        for (int i = next.getAndIncrement(); i < messages && !failed.get(); i = next.getAndIncrement()) {
                            int sends = Math.max(1, (int) times(shape, "SQS.SENDMESSAGE", i) + (int) times(shape, "SQS.SENDMESSAGEBATCH", i));
                            String body = Integer.toString(i);
                            for (int s = 0; s < sends; s++) {
                                // Extra sends beyond the first carry a marker and are only deleted, as a hop's message would be.
                                String text = s == 0 ? body : "x" + body;
                                sqs.sendMessage(b -> b.queueUrl(queue).messageBody(text));
                            }
                        }
                    } catch (RuntimeException e) {
                        failed.set(true);
                        throw e;
                    }
                });
            }
            for (int c = 0; c < CONSUMERS; c++) {
                pool.execute(() -> {
                    try {
                        while (!stop.get() && !failed.get()) {
                            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
                            if (batch.isEmpty()) {
                                continue;
                            }
                            List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>();
                            for (Message m : batch) {
                                if (!m.body().startsWith("x")) {
                                    oneMessage(dynamo, name, shape, Integer.parseInt(m.body()));
                                    done.incrementAndGet();
                                    finished.countDown();
                                }
                                deletes.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(deletes.size()))
                                        .receiptHandle(m.receiptHandle()).build());
                            }
                            sqs.deleteMessageBatch(b -> b.queueUrl(queue).entries(deletes));
                        }
                    } catch (RuntimeException e) {
                        failed.set(true);
                        throw e;
                    }
                });
            }
            long budget = Math.max(120, messages / 20);
            while (!finished.await(1, TimeUnit.SECONDS)) {
                if (failed.get() || System.nanoTime() - start > TimeUnit.SECONDS.toNanos(budget)) {
                    throw new IllegalStateException("engine ceiling replay failed or timed out: " + done.get() + " of " + messages);
                }
            }
        } finally {
            stop.set(true);
            pool.shutdown();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Long> counted = calls.snapshot();
        Map<String, String> per = new LinkedHashMap<>();
        counted.forEach((op, n) -> {
            if (n > 0) {
                per.put(op, String.format("%.2f", n / (double) messages));
            }
        });
        out.printf("engine ceiling: %d messages in %.1f s: %.0f messages/s; calls per message made %s%s%n", messages, seconds,
                messages / seconds, per, unreplayed.isEmpty() ? "" : "; not replayed: " + unreplayed);
        return messages / seconds;
    }

    private static final List<String> REPLAYED = List.of("DYNAMODB.GETITEM", "DYNAMODB.PUTITEM", "DYNAMODB.UPDATEITEM",
            "DYNAMODB.QUERY", "DYNAMODB.TRANSACTWRITEITEMS", "DYNAMODB.BATCHGETITEM", "SQS.SENDMESSAGE", "SQS.SENDMESSAGEBATCH");

    /** How many calls of {@code op} message {@code i} makes: the fraction spread evenly (0.1 → every tenth message). */
    static long times(Map<String, Double> shape, String op, int i) {
        double rate = 0;
        for (Map.Entry<String, Double> e : shape.entrySet()) {
            if (e.getKey().toUpperCase(Locale.ROOT).equals(op)) {
                rate += e.getValue();
            }
        }
        return (long) Math.floor((i + 1) * rate + 1e-9) - (long) Math.floor(i * rate + 1e-9);
    }

    private static void oneMessage(DynamoDbClient dynamo, String table, Map<String, Double> shape, int i) {
        String id = "msg-" + i;
        for (long k = times(shape, "DYNAMODB.PUTITEM", i); k > 0; k--) {
            dynamo.putItem(b -> b.tableName(table).item(item(id)));
        }
        for (long k = times(shape, "DYNAMODB.TRANSACTWRITEITEMS", i); k > 0; k--) {
            dynamo.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder().put(Put.builder().tableName(table).item(item(id + "-t")).build()).build(),
                    TransactWriteItem.builder().put(Put.builder().tableName(table).item(item(id + "-u")).build()).build()));
        }
        long gets = times(shape, "DYNAMODB.GETITEM", i);
        for (long k = 0; k < gets; k++) {
            String key = k % 2 == 0 ? "contact-" + (i % 100) : id;
            dynamo.getItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS(key))).consistentRead(true));
        }
        for (long k = times(shape, "DYNAMODB.BATCHGETITEM", i); k > 0; k--) {
            dynamo.batchGetItem(b -> b.requestItems(Map.of(table, software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes.builder()
                    .keys(Map.of("pk", AttributeValue.fromS(id)), Map.of("pk", AttributeValue.fromS("contact-" + (i % 100)))).build())));
        }
        for (long k = times(shape, "DYNAMODB.QUERY", i); k > 0; k--) {
            dynamo.query(b -> b.tableName(table).keyConditionExpression("pk = :p")
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("contact-" + (i % 100)))));
        }
        long updates = times(shape, "DYNAMODB.UPDATEITEM", i);
        for (long k = 0; k < updates; k++) {
            if (k % 2 == 0) {
                long step = k;
                dynamo.updateItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS(id)))
                        .updateExpression("SET #s = :s, updatedAt = :t").expressionAttributeNames(Map.of("#s", "status"))
                        .expressionAttributeValues(Map.of(":s", AttributeValue.fromS("status-" + step),
                                ":t", AttributeValue.fromS(java.time.Instant.now().toString()))));
            } else {
                String counter = "counter-" + (i % 4);
                dynamo.updateItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS(counter)))
                        .updateExpression("ADD sent :one").expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))));
            }
        }
    }

    // About the size of a stored message: ids, numbers, a one-segment body, timestamps.
    private static Map<String, AttributeValue> item(String id) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", AttributeValue.fromS(id));
        item.put("to", AttributeValue.fromS("+14155550123"));
        item.put("from", AttributeValue.fromS("+18335550100"));
        item.put("body", AttributeValue.fromS("Your order has shipped. Track it in the app."));
        item.put("status", AttributeValue.fromS("queued"));
        item.put("category", AttributeValue.fromS("transactional"));
        item.put("segments", AttributeValue.fromN("1"));
        item.put("createdAt", AttributeValue.fromS(java.time.Instant.now().toString()));
        item.put("contactId", AttributeValue.fromS("ct_" + id));
        return item;
    }
}
