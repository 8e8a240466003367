package dev.dripline.steps;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import dev.dripline.schedule.Due;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The router's exhaustiveness is the compiler's ({@link Due.Routes}); what it cannot see is the
 * wire: a kind without a JSON name could be routed but never read off the queue.
 */
class StepsRouterTest {

    @Test
    void everyKindOfDueHasAWireNameSoItCanComeOffTheQueue() {
        Class<?>[] named = Arrays.stream(Due.class.getAnnotation(JsonSubTypes.class).value()).map(JsonSubTypes.Type::value)
                .toArray(Class<?>[]::new);
        assertThat(named).containsExactlyInAnyOrder(Due.class.getPermittedSubclasses());
        assertThat(Arrays.stream(Due.class.getAnnotation(JsonSubTypes.class).value()).map(JsonSubTypes.Type::name))
                .doesNotHaveDuplicates();
    }
}
