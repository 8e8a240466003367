package dev.dripline.sender;

import dev.dripline.engines.aws.IamCheck;
import java.nio.file.Path;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * SenderFunction's role in template.yaml allows every AWS call this module's tests saw its handler make
 * (recorded by dev.dripline.engines.aws.AwsCallRecorder), and every secret its environment names.
 * Runs after the module's other tests (junit-platform.properties orders classes by @Order).
 */
@Order(Integer.MAX_VALUE)
class IamSufficiencyTest {

    @Test
    void theRoleAllowsEveryCallTheTestsSaw() {
        IamCheck.assertSufficient(Path.of("../../template.yaml"), "SenderFunction", "dev.dripline.sender.SenderHandler");
    }
}
