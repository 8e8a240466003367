package dev.dripline.local;

import dev.dripline.engines.aws.CfnTemplate;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * template.yaml as CloudFormation would see it after {@code sam deploy --parameter-overrides},
 * read by the one template reader ({@link CfnTemplate}) with this test's stand-ins: resources and
 * their attributes resolve to placeholders that also fit in a URL's host ({@code sendqueue},
 * {@code httpapi}, {@code sendqueue.arn}), the stack in eu-west-1.
 */
final class DeployedTemplate {

    static final String REGION = "eu-west-1";
    static final String ACCOUNT = "123456789012";

    private static final CfnTemplate.StandIns PLACEHOLDERS = new CfnTemplate.StandIns() {
        @Override
        public String ref(String logicalId, String type) {
            return placeholder(logicalId);
        }

        @Override
        public String attribute(String logicalId, String type, String attribute) {
            return placeholder(logicalId + "." + attribute);
        }

        @Override
        public String undeclared(String name) {
            return placeholder(name);
        }

        @Override
        public String region() {
            return REGION;
        }

        @Override
        public String account() {
            return ACCOUNT;
        }

        @Override
        public String stackName() {
            return "stack";
        }
    };

    private final CfnTemplate template;

    DeployedTemplate(Path file, Map<String, String> overrides) throws IOException {
        template = CfnTemplate.load(file, overrides, PLACEHOLDERS);
    }

    /**
     * The environment a function starts with: Globals' variables merged with its own, resolved,
     * plus what Lambda itself sets (AWS_LAMBDA_FUNCTION_NAME, AWS_REGION).
     */
    Map<String, String> environment(String function) {
        Map<String, String> env = new LinkedHashMap<>(template.environment(function));
        env.put("AWS_LAMBDA_FUNCTION_NAME", "stack-" + function);
        env.put("AWS_REGION", REGION);
        return env;
    }

    /** The statements of a role's inline policies, resolved (conditional ones dropped or kept). */
    List<Map<String, Object>> statements(String role) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object policy : list(template.properties(role).get("Policies"))) {
            for (Object s : list(map(map(policy).get("PolicyDocument")).get("Statement"))) {
                out.add(map(s));
            }
        }
        return out;
    }

    /** A resource's id or attribute, as a value that also fits in a URL's host: httpapi, sendqueue.arn. */
    static String placeholder(String resource) {
        return resource.toLowerCase(java.util.Locale.ROOT);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return o instanceof List<?> l ? (List<Object>) l : o == null ? List.of() : List.of(o);
    }
}
