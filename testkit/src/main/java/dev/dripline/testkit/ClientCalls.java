package dev.dripline.testkit;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Counts the calls the engines' clients make, per service and operation (benchmarks). SQS
 * calls through an SDK {@link ExecutionInterceptor} on the client; DynamoDB Local's embedded
 * client runs no SDK pipeline (it answers in-process), so its calls are counted by wrapping it.
 */
public final class ClientCalls implements ExecutionInterceptor {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        count(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "." + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    }

    void count(String operation) {
        counts.computeIfAbsent(operation, k -> new LongAdder()).increment();
    }

    /** The client, with every call of a DynamoDB operation counted as {@code DynamoDB.<Operation>}. */
    public DynamoDbClient counting(DynamoDbClient client) {
        return (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(), new Class<?>[] {DynamoDbClient.class},
                (proxy, method, args) -> {
                    if (method.getDeclaringClass() != Object.class && !method.getName().equals("close")
                            && !method.getName().equals("serviceName") && !method.getName().equals("serviceClientConfiguration")) {
                        String name = method.getName();
                        count("DynamoDB." + Character.toUpperCase(name.charAt(0)) + name.substring(1));
                    }
                    try {
                        return method.invoke(client, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** Calls so far, by {@code Service.Operation}, sorted. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public void reset() {
        counts.values().forEach(LongAdder::reset);
    }
}
