package dev.dripline.steps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dripline.engines.aws.CfnTemplate;
import dev.dripline.engines.aws.IamCheck;
import java.nio.file.Path;
import java.util.Map;
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

    @Test
    void theImportsRoleMayListTheExportBucketAndReadItsObjectsAndNothingMoreInS3() {
        CfnTemplate template = CfnTemplate.load(Path.of("../../template.yaml"));
        assertThat(IamCheck.grants(template.with(Map.of("PinpointExportBucket", "acme-exports")), "ImportsFunction"))
                .filteredOn(g -> g.action().startsWith("s3:") || g.action().equals("*"))
                .extracting(g -> g.action() + " on " + g.resource())
                .containsExactlyInAnyOrder("s3:ListBucket on arn:aws:s3:::acme-exports", "s3:GetObject on arn:aws:s3:::acme-exports/*");
        assertThat(IamCheck.grants(template.with(Map.of()), "ImportsFunction")).as("no bucket, no S3").noneMatch(g -> g.action().startsWith("s3:"));
    }
}
