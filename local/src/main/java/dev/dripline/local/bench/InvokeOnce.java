package dev.dripline.local.bench;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.File;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;

/**
 * Runs inside a fresh JVM whose class path is one function's packaged jar (plus this class):
 * builds the handler as Lambda's Java runtime does (public no-argument constructor), reads the
 * event file into the handler's input type, handles it once, and prints how long after the
 * JVM's start the constructor and the first event were done. Uses only what the function jar
 * itself carries.
 */
public final class InvokeOnce {

    private InvokeOnce() {
    }

    public static void main(String[] args) throws Exception {
        Instant jvmStart = ProcessHandle.current().info().startInstant().orElseThrow();
        Class<?> type = Class.forName(args[0]);
        Object handler = type.getConstructor().newInstance();
        Instant initialised = Instant.now();
        ObjectMapper mapper = JsonMapper.builder()
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
        Object event = mapper.readValue(new File(args[1]), mapper.constructType(inputType(type)));
        @SuppressWarnings("unchecked")
        Object result = ((RequestHandler<Object, Object>) handler).handleRequest(event, new BenchContext());
        Instant handled = Instant.now();
        String summary = String.valueOf(mapper.writeValueAsString(result));
        System.out.println("COLDSTART init_ms=" + Duration.between(jvmStart, initialised).toMillis()
                + " first_event_ms=" + Duration.between(jvmStart, handled).toMillis()
                + " result=" + summary.substring(0, Math.min(200, summary.length())).replace('\n', ' '));
        System.exit(0);
    }

    private static Type inputType(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Type t : c.getGenericInterfaces()) {
                if (t instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
                    return p.getActualTypeArguments()[0];
                }
            }
        }
        throw new IllegalArgumentException(type + " is not a RequestHandler");
    }

    private static final class BenchContext implements Context {
        @Override
        public String getAwsRequestId() {
            return "bench";
        }

        @Override
        public String getLogGroupName() {
            return "bench";
        }

        @Override
        public String getLogStreamName() {
            return "bench";
        }

        @Override
        public String getFunctionName() {
            return "bench";
        }

        @Override
        public String getFunctionVersion() {
            return "1";
        }

        @Override
        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:us-east-1:000000000000:function:bench";
        }

        @Override
        public CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis() {
            return 30_000;
        }

        @Override
        public int getMemoryLimitInMB() {
            return 1024;
        }

        @Override
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override
                public void log(String message) {
                    System.err.println(message);
                }

                @Override
                public void log(byte[] message) {
                    System.err.println(new String(message));
                }
            };
        }
    }
}
