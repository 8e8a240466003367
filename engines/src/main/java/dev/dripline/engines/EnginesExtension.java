package dev.dripline.engines;

import dev.dripline.engines.aws.AwsCallRecorder;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands a test class fresh engines, started once for the class and closed after it.
 *
 * <p>Which engines: the system property {@code dripline.engines} ({@code inprocess}, the
 * default, or {@code localstack}). With {@code localstack} and no Docker engine the tests are
 * skipped, not failed. {@link RunsOnLocalStack} asks for LocalStack on one class.
 */
public final class EnginesExtension implements ParameterResolver, ExecutionCondition {

    public static final String PROPERTY = "dripline.engines";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(EnginesExtension.class);

    /** Skips (not fails) the tests that want LocalStack where no Docker engine runs. */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (wantsLocalStack(context) && !LocalStackEngines.dockerAvailable()) {
            return ConditionEvaluationResult.disabled("no Docker engine here: LocalStack tests skipped");
        }
        return ConditionEvaluationResult.enabled("engines available");
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Engines.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        boolean localStack = wantsLocalStack(context);
        ExtensionContext classContext = classContext(context);
        return classContext.getStore(NAMESPACE)
                .getOrComputeIfAbsent("engines", key -> new Closing(localStack ? LocalStackEngines.start() : inProcess()),
                        Closing.class)
                .engines();
    }

    /** In-process engines; in a function module (one that names its handlers) they record its AWS calls. */
    private static Engines inProcess() {
        AwsCallRecorder recorder = AwsCallRecorder.global();
        return InProcessEngines.start(Optional.empty(), Optional.empty(), recorder.enabled() ? Optional.of(recorder) : Optional.empty());
    }

    private static boolean wantsLocalStack(ExtensionContext context) {
        boolean annotated = context.getTestClass().map(c -> c.isAnnotationPresent(RunsOnLocalStack.class)).orElse(false);
        return annotated || "localstack".equalsIgnoreCase(System.getProperty(PROPERTY, "inprocess"));
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
            current = current.getParent().get();
        }
        return current;
    }

    /** Closes the engines when JUnit closes the class's store. */
    private record Closing(Engines engines) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            engines.close();
        }
    }
}
