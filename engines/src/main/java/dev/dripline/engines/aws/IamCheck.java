package dev.dripline.engines.aws;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Does a function's role in template.yaml allow what its code was seen to call? Each recorded
 * {@link AwsCall} becomes an IAM action on a resource identity ({@link CfnTemplate}): a test's
 * table is recognised by its short name (DRIPLINE_TABLE_&lt;NAME&gt;, tests prefix it), a queue by
 * the last word of its name (DRIPLINE_&lt;WORD&gt;_QUEUE_URL), and the variable's value in the
 * function's deployed environment names the template resource. Every DRIPLINE_*_SECRET_ARN the
 * deployed environment sets is read at start (dev.dripline.secrets.SecretValues and the api's
 * key), so GetSecretValue on it is required too, calls or not.
 *
 * <p>Statement conditions (iam:PassedToService) are not evaluated; Deny statements do not exist
 * in the template and are not supported.
 */
public final class IamCheck {

    /** An allowed action on a resource, from one statement of the function's role. */
    public record Grant(String sid, String action, String resource) {
        @Override
        public String toString() {
            return (sid == null ? "(no Sid)" : sid) + ": " + action + " on " + resource;
        }
    }

    /** A permission the code needs, and where it was seen. */
    public record Need(String action, String resource, String because) {
        @Override
        public String toString() {
            return action + " on " + resource + " (" + because + ")";
        }
    }

    /**
     * @param missing needs no statement allows (the check fails on these)
     * @param unused  grants no need used (printed, not failed: logs and tracing are the runtime's, for instance)
     * @param needs   everything checked
     */
    public record Result(List<Need> missing, List<Grant> unused, List<Need> needs) {
    }

    private IamCheck() {
    }

    /** The role's grants (its inline policies' Allow statements, one per action and resource). */
    public static List<Grant> grants(CfnTemplate template, String functionId) {
        Object role = template.resource(functionId).get("Properties") instanceof Map<?, ?> p ? p.get("Role") : null;
        String roleId = template.evaluate(role).map(String::valueOf).orElseThrow(() -> new IllegalStateException(functionId + " has no Role"));
        if (!roleId.startsWith("${")) {
            throw new IllegalStateException(functionId + "'s Role is not a role of the template: " + roleId);
        }
        roleId = roleId.substring(2, roleId.length() - 1);
        List<Grant> grants = new ArrayList<>();
        Object policies = template.properties(roleId).get("Policies");
        for (Object policy : (List<?>) policies) {
            Object statements = CfnTemplate.map(CfnTemplate.map(policy).get("PolicyDocument")).get("Statement");
            for (Object s : (List<?>) statements) {
                Map<String, Object> statement = CfnTemplate.map(s);
                if (!"Allow".equals(statement.get("Effect"))) {
                    throw new IllegalStateException(roleId + ": only Allow statements are supported");
                }
                for (String action : strings(statement.get("Action"))) {
                    for (String resource : strings(statement.get("Resource"))) {
                        grants.add(new Grant((String) statement.get("Sid"), action, resource));
                    }
                }
            }
        }
        return grants;
    }

    private static List<String> strings(Object o) {
        if (o instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return o == null ? List.of() : List.of(String.valueOf(o));
    }

    /** What the calls (and the secrets the environment names) need, as actions on resource identities. */
    public static List<Need> needs(CfnTemplate template, String functionId, Collection<AwsCall> calls) {
        Map<String, String> env = template.environment(functionId);
        Set<Need> needs = new LinkedHashSet<>();
        for (AwsCall call : calls) {
            String seen = call.action() + " " + call.kind() + " " + call.name() + " from " + simple(call.entryPoint());
            needs.add(new Need(call.action(), identity(call, env, functionId), seen));
        }
        env.forEach((variable, value) -> {
            if (variable.endsWith("_SECRET_ARN") && !value.isBlank()) {
                needs.add(new Need("secretsmanager:GetSecretValue", value, variable + " is read at start"));
            }
        });
        return new ArrayList<>(needs);
    }

    private static String simple(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    private static String identity(AwsCall call, Map<String, String> env, String functionId) {
        return switch (call.kind()) {
            case "table" -> table(call.name(), env, functionId);
            case "index" -> {
                int at = call.name().indexOf("/index/");
                yield table(call.name().substring(0, at), env, functionId) + call.name().substring(at);
            }
            case "queue" -> queue(call.name(), env, functionId);
            case "schedule" -> "arn:aws:scheduler:" + CfnTemplate.REGION + ":" + CfnTemplate.ACCOUNT + ":schedule/"
                    + variable("DRIPLINE_SCHEDULE_GROUP", env, functionId) + "/" + call.name();
            case "env" -> variable(call.name(), env, functionId);
            // The test's bucket stands for the one the function's DRIPLINE_*_BUCKET names.
            case "bucket" -> "arn:aws:s3:::" + bucket(env, functionId);
            case "object" -> "arn:aws:s3:::" + bucket(env, functionId) + call.name().substring(call.name().indexOf('/'));
            default -> call.name().isEmpty() ? "*" : call.name();
        };
    }

    private static String variable(String name, Map<String, String> env, String functionId) {
        String value = env.get(name);
        if (value == null) {
            throw new IllegalStateException(functionId + "'s deployed environment has no " + name
                    + ", yet its code used the resource it names");
        }
        return value;
    }

    private static String bucket(Map<String, String> env, String functionId) {
        List<String> named = env.entrySet().stream().filter(e -> e.getKey().startsWith("DRIPLINE_") && e.getKey().endsWith("_BUCKET")
                && !e.getValue().isBlank()).map(Map.Entry::getValue).distinct().toList();
        if (named.size() != 1) {
            throw new IllegalStateException(functionId + "'s deployed environment names " + named.size()
                    + " buckets (DRIPLINE_*_BUCKET), yet its code used one");
        }
        return named.get(0);
    }

    private static String table(String name, Map<String, String> env, String functionId) {
        String best = null;
        for (String variable : env.keySet()) {
            if (variable.startsWith("DRIPLINE_TABLE_")) {
                String shortName = variable.substring("DRIPLINE_TABLE_".length()).toLowerCase(Locale.ROOT);
                if (name.endsWith(shortName) && (best == null || shortName.length() > best.length() - "DRIPLINE_TABLE_".length())) {
                    best = variable;
                }
            }
        }
        if (best == null) {
            throw new IllegalStateException("table " + name + ": no DRIPLINE_TABLE_* variable of " + functionId
                    + "'s deployed environment names a table with that short name");
        }
        return env.get(best);
    }

    private static String queue(String url, Map<String, String> env, String functionId) {
        String name = url.substring(url.lastIndexOf('/') + 1);
        String[] words = name.split("[-_.]");
        for (int i = words.length - 1; i >= 0; i--) {
            String variable = "DRIPLINE_" + words[i].toUpperCase(Locale.ROOT) + "_QUEUE_URL";
            if (env.containsKey(variable)) {
                return env.get(variable);
            }
        }
        throw new IllegalStateException("queue " + name + ": no DRIPLINE_<word>_QUEUE_URL of " + functionId
                + "'s deployed environment matches a word of its name");
    }

    /** Checks the needs against the function's role. */
    public static Result check(CfnTemplate template, String functionId, Collection<AwsCall> calls) {
        List<Grant> grants = grants(template, functionId);
        List<Need> needs = needs(template, functionId, calls);
        List<Need> missing = new ArrayList<>();
        Set<Grant> used = new LinkedHashSet<>();
        for (Need need : needs) {
            boolean allowed = false;
            for (Grant grant : grants) {
                if (glob(grant.action()).matcher(need.action()).matches() && glob(grant.resource()).matcher(need.resource()).matches()) {
                    used.add(grant);
                    allowed = true;
                }
            }
            if (!allowed) {
                missing.add(need);
            }
        }
        List<Grant> unused = grants.stream().filter(g -> !used.contains(g)).toList();
        return new Result(missing, unused, needs);
    }

    private static final Map<String, Pattern> GLOBS = new java.util.concurrent.ConcurrentHashMap<>();

    static Pattern glob(String pattern) {
        return GLOBS.computeIfAbsent(pattern, p -> {
            StringBuilder regex = new StringBuilder();
            for (String part : p.split("((?<=[*?])|(?=[*?]))")) {
                regex.append(switch (part) {
                    case "*" -> ".*";
                    case "?" -> ".";
                    default -> Pattern.quote(part);
                });
            }
            return Pattern.compile(regex.toString(), Pattern.DOTALL);
        });
    }

    /**
     * Parameter sets to check a template under: its defaults, and with every optional secret ARN
     * parameter set (so statements and variables behind HasXxxSecret conditions are checked too).
     */
    public static List<Map<String, String>> parameterSets(CfnTemplate template) {
        Map<String, String> secrets = new LinkedHashMap<>();
        template.parameterDeclarations().forEach((name, declaration) -> {
            Map<String, Object> d = CfnTemplate.map(declaration);
            if ("".equals(d.get("Default")) && String.valueOf(d.get("AllowedPattern")).contains("secretsmanager")) {
                secrets.put(name, "arn:aws:secretsmanager:" + CfnTemplate.REGION + ":" + CfnTemplate.ACCOUNT + ":secret:sample/" + name + "-AbCdEf");
            }
        });
        // A bucket parameter (e.g. PinpointExportBucket) is set in both: the code reads a bucket only when one is configured.
        Map<String, String> buckets = new LinkedHashMap<>();
        template.parameterDeclarations().forEach((name, declaration) -> {
            if (name.endsWith("Bucket") && "".equals(CfnTemplate.map(declaration).get("Default"))) {
                buckets.put(name, "sample-" + name.toLowerCase(Locale.ROOT));
            }
        });
        secrets.putAll(buckets);
        return List.of(buckets, secrets);
    }

    /** The check's report, for a test's output. */
    public static String report(String functionId, Map<String, String> parameters, Result result) {
        StringBuilder out = new StringBuilder();
        out.append(functionId).append(parameters.isEmpty() ? " (parameter defaults)" : " (with " + parameters.keySet() + ")")
                .append(": ").append(result.needs().size()).append(" permissions needed, ").append(result.missing().size())
                .append(" not allowed\n");
        result.missing().forEach(n -> out.append("  NOT ALLOWED: ").append(n).append('\n'));
        if (!result.unused().isEmpty()) {
            out.append("  granted, used by no test (not a failure):\n");
            Map<String, List<String>> bySidAndAction = new LinkedHashMap<>();
            result.unused().forEach(g -> bySidAndAction.computeIfAbsent((g.sid() == null ? "(no Sid)" : g.sid()) + ": " + g.action(),
                    k -> new ArrayList<>()).add(g.resource()));
            bySidAndAction.forEach((k, resources) -> out.append("    ").append(k).append(" on ").append(String.join(", ", resources))
                    .append('\n'));
        }
        return out.toString();
    }

    /**
     * The check as a test: records of {@code entryPoint} only, every parameter set, the report
     * printed; fails naming each permission the role lacks. With no call recorded it fails too
     * (the recorder or the test order broke), unless the run picked tests by name (-Dtest=...),
     * where the tests that make the calls may not have run: then it is skipped.
     */
    public static void assertSufficient(java.nio.file.Path template, String functionId, String entryPoint) {
        List<AwsCall> calls = AwsCallRecorder.global().calls().stream().filter(c -> c.entryPoint().equals(entryPoint)).toList();
        if (calls.isEmpty()) {
            String why = "no AWS call was recorded under " + entryPoint + " (entry points: " + AwsCallRecorder.global().entryPoints() + ")";
            org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("test") == null, why + "; tests picked by name");
            throw new AssertionError(why + ": the module's other tests should run first (junit-platform.properties, @Order)");
        }
        CfnTemplate base = CfnTemplate.load(template);
        List<String> failures = new ArrayList<>();
        for (Map<String, String> parameters : parameterSets(base)) {
            Result result = check(base.with(parameters), functionId, calls);
            System.out.print(report(functionId, parameters, result));
            result.missing().forEach(n -> failures.add(n + (parameters.isEmpty() ? "" : " [with " + parameters.keySet() + "]")));
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(functionId + "'s role in " + template + " does not allow:\n  " + String.join("\n  ", failures));
        }
    }
}
