package dev.dripline.engines;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.paginators.QueryIterable;
import software.amazon.awssdk.services.dynamodb.paginators.ScanIterable;

/**
 * Counts the calls the engines' clients make, per service and operation (benchmarks). SQS
 * calls through an SDK {@link ExecutionInterceptor} on the client; DynamoDB Local's embedded
 * client runs no SDK pipeline (it answers in-process), so its calls are counted by wrapping it.
 */
public final class ClientCalls implements ExecutionInterceptor {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    /** Capacity units DynamoDB reported, in thousandths: "read" and "write". */
    private final Map<String, LongAdder> milliUnits = new ConcurrentHashMap<>();
    /** When tracing: DynamoDB calls by "Operation table key-family [expression]". */
    private final Map<String, LongAdder> traced = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> tracedMilliUnits = new ConcurrentHashMap<>();
    private volatile boolean tracing;

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        count(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "." + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    }

    void count(String operation) {
        counts.computeIfAbsent(operation, k -> new LongAdder()).increment();
    }

    /**
     * The client, with every call of a DynamoDB operation counted as {@code DynamoDB.<Operation>},
     * asked to return its consumed capacity ({@code ReturnConsumedCapacity TOTAL}) and the read and
     * write units added up ({@link #capacityUnits}). Paginators run their pages through the counting
     * client, so each page counts as one call.
     */
    public DynamoDbClient counting(DynamoDbClient client) {
        DynamoDbClient[] self = new DynamoDbClient[1];
        self[0] = (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(), new Class<?>[] {DynamoDbClient.class},
                (proxy, method, args) -> {
                    String name = method.getName();
                    if (args != null && args.length == 1 && args[0] instanceof java.util.function.Consumer<?> consumer) {
                        // The builder-consumer overloads: built here and sent through this client, to be counted once, with units.
                        java.lang.reflect.Method typed = requestOverload(name);
                        if (typed != null) {
                            Object builder = typed.getParameterTypes()[0].getMethod("builder").invoke(null);
                            @SuppressWarnings("unchecked")
                            java.util.function.Consumer<Object> accept = (java.util.function.Consumer<Object>) consumer;
                            accept.accept(builder);
                            java.lang.reflect.Method build = builder.getClass().getMethod("build");
                            build.setAccessible(true);
                            try {
                                return typed.invoke(self[0], build.invoke(builder));
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        }
                    }
                    if (name.equals("queryPaginator") && args != null && args[0] instanceof QueryRequest q) {
                        return new QueryIterable(self[0], q);
                    }
                    if (name.equals("scanPaginator") && args != null && args[0] instanceof ScanRequest q) {
                        return new ScanIterable(self[0], q);
                    }
                    boolean counted = method.getDeclaringClass() != Object.class && !name.equals("close")
                            && !name.equals("serviceName") && !name.equals("serviceClientConfiguration");
                    Object[] call = args;
                    String shape = null;
                    if (counted) {
                        count("DynamoDB." + Character.toUpperCase(name.charAt(0)) + name.substring(1));
                        if (tracing && args != null && args.length == 1 && args[0] instanceof DynamoDbRequest request) {
                            shape = CallShape.of(name, request);
                            traced.computeIfAbsent(shape, k -> new LongAdder()).increment();
                        }
                        if (args != null && args.length == 1 && args[0] instanceof DynamoDbRequest request) {
                            call = new Object[] {withCapacity(request)};
                        }
                    }
                    try {
                        Object result = method.invoke(client, call);
                        if (counted && result instanceof DynamoDbResponse response) {
                            double units = addCapacity(name, response);
                            if (shape != null) {
                                tracedMilliUnits.computeIfAbsent(shape, k -> new LongAdder()).add(Math.round(units * 1000));
                            }
                        }
                        return result;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return self[0];
    }

    /** The overload of {@code name} that takes the operation's request object, if any. */
    private static java.lang.reflect.Method requestOverload(String name) {
        for (java.lang.reflect.Method m : DynamoDbClient.class.getMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == 1 && DynamoDbRequest.class.isAssignableFrom(m.getParameterTypes()[0])) {
                return m;
            }
        }
        return null;
    }

    private static final java.util.Set<String> READS = java.util.Set.of("getItem", "query", "scan", "batchGetItem", "transactGetItems");

    /** The request with ReturnConsumedCapacity TOTAL, where the operation takes it. */
    private static Object withCapacity(DynamoDbRequest request) {
        try {
            Object builder = request.getClass().getMethod("toBuilder").invoke(request);
            java.lang.reflect.Method set;
            try {
                set = builder.getClass().getMethod("returnConsumedCapacity", ReturnConsumedCapacity.class);
            } catch (NoSuchMethodException notTaken) {
                return request;
            }
            set.setAccessible(true);
            set.invoke(builder, ReturnConsumedCapacity.TOTAL);
            java.lang.reflect.Method build = builder.getClass().getMethod("build");
            build.setAccessible(true);
            return build.invoke(builder);
        } catch (ReflectiveOperationException e) {
            return request;
        }
    }

    /** Adds the response's consumed capacity to the totals; answers its units, read and write together. */
    private double addCapacity(String operation, DynamoDbResponse response) {
        Object consumed;
        try {
            consumed = response.getClass().getMethod("consumedCapacity").invoke(response);
        } catch (ReflectiveOperationException none) {
            return 0;
        }
        double total = 0;
        List<ConsumedCapacity> all = consumed instanceof ConsumedCapacity one ? List.of(one)
                : consumed instanceof List<?> list ? list.stream().filter(ConsumedCapacity.class::isInstance)
                        .map(ConsumedCapacity.class::cast).toList() : List.of();
        for (ConsumedCapacity c : all) {
            double read = c.readCapacityUnits() != null ? c.readCapacityUnits() : 0;
            double write = c.writeCapacityUnits() != null ? c.writeCapacityUnits() : 0;
            if (read == 0 && write == 0 && c.capacityUnits() != null) {
                if (READS.contains(operation)) {
                    read = c.capacityUnits();
                } else {
                    write = c.capacityUnits();
                }
            }
            milliUnits.computeIfAbsent("read", k -> new LongAdder()).add(Math.round(read * 1000));
            milliUnits.computeIfAbsent("write", k -> new LongAdder()).add(Math.round(write * 1000));
            total += read + write;
        }
        return total;
    }

    /** DynamoDB capacity units reported so far: {@code read} and {@code write}. */
    public Map<String, Double> capacityUnits() {
        Map<String, Double> out = new TreeMap<>();
        out.put("read", 0.0);
        out.put("write", 0.0);
        milliUnits.forEach((k, v) -> out.put(k, v.sum() / 1000.0));
        return out;
    }

    /** Calls so far, by {@code Service.Operation}, sorted. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /**
     * Whether to note each DynamoDB call's shape (operation, table, key family, expression) as
     * well as its count: where the calls of a path go ({@link #traced}).
     */
    public void trace(boolean on) {
        this.tracing = on;
    }

    /** The DynamoDB calls noted while {@link #trace tracing}, by shape, sorted. */
    public Map<String, Long> traced() {
        Map<String, Long> out = new TreeMap<>();
        traced.forEach((k, v) -> {
            if (v.sum() > 0) {
                out.put(k, v.sum());
            }
        });
        return out;
    }

    /** The capacity units (read or write, as the shape's operation consumes) of the calls noted while tracing, by shape. */
    public Map<String, Double> tracedUnits() {
        Map<String, Double> out = new TreeMap<>();
        tracedMilliUnits.forEach((k, v) -> {
            if (v.sum() > 0) {
                out.put(k, v.sum() / 1000.0);
            }
        });
        return out;
    }

    public void reset() {
        tracedMilliUnits.values().forEach(LongAdder::reset);
        traced.values().forEach(LongAdder::reset);
        counts.values().forEach(LongAdder::reset);
        milliUnits.values().forEach(LongAdder::reset);
    }
}
