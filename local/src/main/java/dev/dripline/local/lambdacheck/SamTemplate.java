package dev.dripline.local.lambdacheck;

import dev.dripline.engines.aws.CfnTemplate;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The functions of template.yaml as Lambda would configure them (each one's handler and
 * environment), read by the one template reader ({@link CfnTemplate}) against the lambda check's
 * local stand-ins for the resources and {@code {{resolve:secretsmanager:...}}} references, with
 * the given parameter values (defaults where none is given).
 */
final class SamTemplate {

    /** One AWS::Serverless::Function. */
    record FunctionSpec(String logicalId, String handler, Map<String, String> environment) {
    }

    /** Local stand-ins: what Ref and Fn::GetAtt give for a resource, and the value of a secret reference. */
    interface Resources {
        String ref(String logicalId, String type);

        String attribute(String logicalId, String type, String attribute);

        String secretValue(String secretArn);
    }

    private final CfnTemplate template;

    private SamTemplate(CfnTemplate template) {
        this.template = template;
    }

    static SamTemplate read(Path file, Map<String, String> parameterOverrides, Resources resources) throws IOException {
        return new SamTemplate(CfnTemplate.load(file, parameterOverrides, standIns(resources)));
    }

    static SamTemplate parse(Reader in, Map<String, String> parameterOverrides, Resources resources) {
        return new SamTemplate(CfnTemplate.parse(in, parameterOverrides, standIns(resources)));
    }

    private static CfnTemplate.StandIns standIns(Resources resources) {
        return new CfnTemplate.StandIns() {
            @Override
            public String ref(String logicalId, String type) {
                return resources.ref(logicalId, type);
            }

            @Override
            public String attribute(String logicalId, String type, String attribute) {
                return resources.attribute(logicalId, type, attribute);
            }

            @Override
            public String account() {
                return "000000000000";
            }

            @Override
            public String stackName() {
                return "dripline-lambda-check";
            }

            @Override
            public String secretValue(String secretArn) {
                return resources.secretValue(secretArn);
            }
        };
    }

    List<FunctionSpec> functions() {
        return template.functions().stream().map(f -> new FunctionSpec(f.logicalId(), f.handler(), f.environment())).toList();
    }
}
