package dev.dripline.local.lambdacheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lambda check configures each function as template.yaml does: handler and environment, intrinsics evaluated. */
class SamTemplateTest {

    private static final SamTemplate.Resources STAND_INS = new SamTemplate.Resources() {
        @Override
        public String ref(String logicalId, String type) {
            return "ref:" + logicalId;
        }

        @Override
        public String attribute(String logicalId, String type, String attribute) {
            return "att:" + logicalId + "." + attribute;
        }

        @Override
        public String secretValue(String secretArn) {
            return "secret-of-" + secretArn;
        }
    };

    private static final String TEMPLATE = """
            Parameters:
              PublicUrl: {Type: String, Default: ""}
              Brand: {Type: String, Default: Acme}
            Conditions:
              HasPublicUrl: !Not [!Equals [!Ref PublicUrl, ""]]
            Globals:
              Function:
                Environment:
                  Variables:
                    TABLE: !Ref Table
                    BRAND: !Ref Brand
                    SALT: !Sub "{{resolve:secretsmanager:${Salt}:SecretString}}"
                    QUEUE_ARN: !GetAtt Queue.Arn
            Resources:
              Table: {Type: AWS::DynamoDB::Table}
              Queue: {Type: AWS::SQS::Queue}
              Salt: {Type: AWS::SecretsManager::Secret}
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: dev.example.Handler::handleRequest
                  Environment:
                    Variables:
                      PUBLIC_URL: !If [HasPublicUrl, !Ref PublicUrl, !Ref AWS::NoValue]
                      URL: !If
                        - HasPublicUrl
                        - !Ref PublicUrl
                        - !Sub https://${Queue}.example.${AWS::Region}.${AWS::URLSuffix}
                      BRAND: override
            """;

    @Test
    void globalsThenTheFunctionsOwnVariablesWithIntrinsicsEvaluated() {
        SamTemplate.FunctionSpec fn = SamTemplate.parse(new StringReader(TEMPLATE), Map.of(), STAND_INS).functions().get(0);
        assertThat(fn.logicalId()).isEqualTo("Fn");
        assertThat(fn.handler()).isEqualTo("dev.example.Handler::handleRequest");
        assertThat(fn.environment()).containsExactly(
                Map.entry("TABLE", "ref:Table"),
                Map.entry("BRAND", "override"),
                Map.entry("SALT", "secret-of-ref:Salt"),
                Map.entry("QUEUE_ARN", "att:Queue.Arn"),
                Map.entry("URL", "https://ref:Queue.example.us-east-1.amazonaws.com"));
    }

    @Test
    void aParameterValueTurnsAConditionOn() {
        SamTemplate.FunctionSpec fn = SamTemplate.parse(new StringReader(TEMPLATE), Map.of("PublicUrl", "https://sms.example.com"), STAND_INS)
                .functions().get(0);
        assertThat(fn.environment()).containsEntry("PUBLIC_URL", "https://sms.example.com").containsEntry("URL", "https://sms.example.com");
    }

    @Test
    void anUnknownParameterIsRefusedByName() {
        assertThatThrownBy(() -> SamTemplate.parse(new StringReader(TEMPLATE), Map.of("PublicURL", "x"), STAND_INS))
                .hasMessageContaining("no parameter PublicURL");
    }

    @Test
    void theRealTemplatesFiveFunctionsWithTheirHandlers() throws Exception {
        var functions = SamTemplate.read(Path.of("../template.yaml"), Map.of(), STAND_INS).functions();
        assertThat(functions).extracting(SamTemplate.FunctionSpec::logicalId)
                .containsExactlyInAnyOrder("ApiFunction", "WebhooksFunction", "StepsFunction", "ImportsFunction", "SenderFunction");
        for (SamTemplate.FunctionSpec f : functions) {
            String className = f.handler().split("::")[0];
            assertThat(Class.forName(className)).as("%s's handler class is on the local jar's class path", f.logicalId()).isNotNull();
            assertThat(f.environment()).as(f.logicalId()).containsKey("DRIPLINE_TABLE_MESSAGES").containsKey("DRIPLINE_SEND_QUEUE_URL");
        }
    }
}
