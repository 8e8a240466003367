package dev.dripline.steps;

import dev.dripline.engines.aws.IamCheck;
import java.nio.file.Path;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * StepsFunction's and ImportsFunction's roles in template.yaml allow every AWS call this
 * module's tests saw their handlers make (dev.dripline.engines.aws.AwsCallRecorder), and every
 * secret their environments name. Runs after the module's other tests (junit-platform.properties).
 */
@Order(Integer.MAX_VALUE)
class IamSufficiencyTest {

    @Test
    void theStepsRoleAllowsEveryCallTheTestsSaw() {
        IamCheck.assertSufficient(Path.of("../../template.yaml"), "StepsFunction", StepsHandler.class.getName());
    }

    @Test
    void theImportsRoleAllowsEveryCallTheTestsSaw() {
        IamCheck.assertSufficient(Path.of("../../template.yaml"), "ImportsFunction", ImportsHandler.class.getName());
    }
}
