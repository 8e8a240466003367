package dev.dripline.engines.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IamCheckTest {

    private static CfnTemplate fixture() throws URISyntaxException {
        return CfnTemplate.load(Path.of(IamCheckTest.class.getResource("/iam-fixture.yaml").toURI()));
    }

    private static AwsCall call(String action, String kind, String name) {
        return new AwsCall(action, kind, name, "Handler");
    }

    @Test
    void callsTheRoleAllowsPassAndTheOthersAreNamed() throws URISyntaxException {
        IamCheck.Result result = IamCheck.check(fixture(), "Fn", List.of(
                call("dynamodb:GetItem", "table", "t7-contacts"),
                call("dynamodb:Query", "index", "t7-contacts/index/byPhone"),
                call("sqs:SendMessage", "queue", "http://127.0.0.1:9324/000000000000/t7-send"),
                call("dynamodb:PutItem", "table", "t7-contacts"),
                call("sqs:DeleteMessage", "queue", "http://127.0.0.1:9324/000000000000/t7-send")));
        assertThat(result.missing()).extracting(IamCheck.Need::action, IamCheck.Need::resource).containsExactly(
                org.assertj.core.groups.Tuple.tuple("dynamodb:PutItem", "${ContactsTable}"),
                org.assertj.core.groups.Tuple.tuple("sqs:DeleteMessage", "${SendQueue}"));
        assertThat(result.unused()).extracting(IamCheck.Grant::toString).containsExactlyInAnyOrder(
                "Read: dynamodb:GetItem on ${ContactsTable}/index/*", "Read: dynamodb:Query on ${ContactsTable}");
    }

    @Test
    void aSecretTheEnvironmentNamesMustBeReadableAndUnusedGrantsAreListed() throws URISyntaxException {
        CfnTemplate withSecret = fixture().with(IamCheck.parameterSets(fixture()).get(1));
        assertThat(withSecret.condition("HasSecret")).isTrue();
        IamCheck.Result result = IamCheck.check(withSecret, "Fn", List.of());
        assertThat(result.missing()).singleElement().satisfies(n -> {
            assertThat(n.action()).isEqualTo("secretsmanager:GetSecretValue");
            assertThat(n.because()).contains("DRIPLINE_OPTIONAL_SECRET_ARN");
        });
        assertThat(result.unused()).extracting(IamCheck.Grant::sid).contains("Read", "Send");
        assertThat(IamCheck.check(fixture(), "Fn", List.of()).missing()).as("no secret with the defaults").isEmpty();
    }

    @Test
    void aTestResourceTheEnvironmentDoesNotNameIsAnError() throws URISyntaxException {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> IamCheck.check(fixture(), "Fn",
                List.of(call("dynamodb:GetItem", "table", "t7-verifications"))))
                .hasMessageContaining("t7-verifications");
    }

    @Test
    void templateValuesAndRoutesAreEvaluated() throws URISyntaxException {
        CfnTemplate t = fixture();
        assertThat(t.environment("Fn")).isEqualTo(Map.of("DRIPLINE_TABLE_CONTACTS", "${ContactsTable}",
                "DRIPLINE_SEND_QUEUE_URL", "${SendQueue}"));
        assertThat(t.routes("Fn")).containsExactly(new CfnTemplate.Route("GET", "/page"));
        assertThat(IamCheck.glob("arn:aws:scheduler:*:schedule/${G}/*").matcher("arn:aws:scheduler:us-east-1:1:schedule/${G}/s1")
                .matches()).isTrue();
    }
}
