package dev.dripline.local.bench;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/** A DynamoDB client that counts its calls by operation, and the items its transactions write (benchmarks: per imported row). */
public final class CountingDynamoDb {

    private static final Map<String, LongAdder> CALLS = new ConcurrentHashMap<>();
    private static final LongAdder TRANSACTION_ITEMS = new LongAdder();

    private CountingDynamoDb() {
    }

    public static DynamoDbClient wrap(DynamoDbClient client) {
        return (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(), new Class<?>[] {DynamoDbClient.class},
                (proxy, method, args) -> {
                    if (method.getDeclaringClass() != Object.class && !method.getName().equals("close")
                            && !method.getName().equals("serviceName") && !method.getName().equals("serviceClientConfiguration")) {
                        CALLS.computeIfAbsent(method.getName(), k -> new LongAdder()).increment();
                    }
                    if (method.getName().equals("transactWriteItems") && args != null && args.length == 1
                            && args[0] instanceof java.util.function.Consumer<?> consumer) {
                        // The builder-consumer overload (Transaction's): built here so that its items can be counted.
                        TransactWriteItemsRequest.Builder builder = TransactWriteItemsRequest.builder();
                        @SuppressWarnings("unchecked")
                        java.util.function.Consumer<TransactWriteItemsRequest.Builder> accept =
                                (java.util.function.Consumer<TransactWriteItemsRequest.Builder>) consumer;
                        accept.accept(builder);
                        TransactWriteItemsRequest tx = builder.build();
                        TRANSACTION_ITEMS.add(tx.transactItems().size());
                        return client.transactWriteItems(tx);
                    }
                    if (args != null && args.length == 1 && args[0] instanceof TransactWriteItemsRequest tx) {
                        TRANSACTION_ITEMS.add(tx.transactItems().size());
                    }
                    try {
                        return method.invoke(client, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** Calls so far by operation name. */
    public static Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        CALLS.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** Items written by TransactWriteItems calls so far (puts, deletes, updates and condition checks). */
    public static long transactionItems() {
        return TRANSACTION_ITEMS.sum();
    }
}
