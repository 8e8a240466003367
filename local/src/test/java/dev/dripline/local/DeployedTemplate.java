package dev.dripline.local;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * template.yaml as CloudFormation would see it after {@code sam deploy --parameter-overrides}:
 * parameters (defaults, then overrides), conditions, and the intrinsic functions the template
 * uses in functions' environments and policies ({@code Ref}, {@code Fn::If}, {@code Fn::Sub},
 * {@code Fn::GetAtt}, {@code Fn::Not}, {@code Fn::Equals}...), without an AWS account. Resources
 * and their attributes resolve to placeholders ({@code sendqueue}, {@code httpapi}).
 * Jackson's YAML reader drops the short-form tags ({@code !Ref X} reads as "X"), so this reads
 * the file with SnakeYAML and keeps each tag as CloudFormation's long form.
 */
final class DeployedTemplate {

    static final String REGION = "eu-west-1";
    static final String ACCOUNT = "123456789012";
    /** What an AWS::NoValue leaves: the key or list item is dropped. */
    private static final Object NO_VALUE = new Object();
    private static final Pattern SUB = Pattern.compile("\\$\\{([^}!]+)}");

    private final Map<String, Object> template;
    private final Map<String, String> parameters = new LinkedHashMap<>();

    @SuppressWarnings("unchecked")
    DeployedTemplate(Path file, Map<String, String> overrides) throws IOException {
        try (Reader in = Files.newBufferedReader(file)) {
            template = (Map<String, Object>) new Yaml(new CloudFormationTags()).load(in);
        }
        map(template.get("Parameters")).forEach((name, spec) -> {
            Object def = map(spec).get("Default");
            parameters.put(name, def == null ? null : String.valueOf(def));
        });
        overrides.forEach((name, value) -> {
            if (!parameters.containsKey(name)) {
                throw new IllegalArgumentException("template.yaml has no parameter " + name);
            }
            String pattern = (String) map(map(template.get("Parameters")).get(name)).get("AllowedPattern");
            if (pattern != null && !value.matches(pattern)) {
                throw new IllegalArgumentException(name + "=" + value + " does not match its AllowedPattern " + pattern);
            }
            parameters.put(name, value);
        });
    }

    /**
     * The environment a function starts with: Globals' variables merged with its own, resolved,
     * plus what Lambda itself sets (AWS_LAMBDA_FUNCTION_NAME, AWS_REGION).
     */
    Map<String, String> environment(String function) {
        Map<String, Object> merged = new LinkedHashMap<>(map(map(map(map(template.get("Globals")).get("Function"))
                .get("Environment")).get("Variables")));
        Map<String, Object> own = map(map(map(resource(function).get("Properties")).get("Environment")).get("Variables"));
        merged.putAll(own);
        Map<String, String> env = new LinkedHashMap<>();
        merged.forEach((name, value) -> {
            Object resolved = resolve(value);
            if (resolved != NO_VALUE) {
                env.put(name, String.valueOf(resolved));
            }
        });
        env.put("AWS_LAMBDA_FUNCTION_NAME", "stack-" + function);
        env.put("AWS_REGION", REGION);
        return env;
    }

    /** The statements of a role's inline policies, resolved (conditional ones dropped or kept). */
    List<Map<String, Object>> statements(String role) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object policy : list(map(resource(role).get("Properties")).get("Policies"))) {
            Object statements = resolve(map(map(policy).get("PolicyDocument")).get("Statement"));
            for (Object s : list(statements)) {
                out.add(map(s));
            }
        }
        return out;
    }

    Map<String, Object> resource(String logicalId) {
        Map<String, Object> r = map(map(template.get("Resources")).get(logicalId));
        if (r.isEmpty()) {
            throw new IllegalArgumentException("template.yaml has no resource " + logicalId);
        }
        return r;
    }

    boolean condition(String name) {
        Object c = map(template.get("Conditions")).get(name);
        if (c == null) {
            throw new IllegalArgumentException("template.yaml has no condition " + name);
        }
        return truth(c);
    }

    private boolean truth(Object c) {
        Map<String, Object> fn = map(c);
        if (fn.containsKey("Fn::Not")) {
            return !truth(list(fn.get("Fn::Not")).get(0));
        }
        if (fn.containsKey("Fn::And")) {
            return list(fn.get("Fn::And")).stream().allMatch(this::truth);
        }
        if (fn.containsKey("Fn::Or")) {
            return list(fn.get("Fn::Or")).stream().anyMatch(this::truth);
        }
        if (fn.containsKey("Fn::Equals")) {
            List<Object> pair = list(fn.get("Fn::Equals"));
            return String.valueOf(resolve(pair.get(0))).equals(String.valueOf(resolve(pair.get(1))));
        }
        if (fn.containsKey("Condition")) {
            return condition((String) fn.get("Condition"));
        }
        throw new IllegalArgumentException("not a condition: " + c);
    }

    private Object resolve(Object value) {
        if (value instanceof List<?> items) {
            List<Object> out = new ArrayList<>();
            for (Object item : items) {
                Object r = resolve(item);
                if (r != NO_VALUE) {
                    out.add(r);
                }
            }
            return out;
        }
        if (!(value instanceof Map<?, ?>)) {
            return value;
        }
        Map<String, Object> fn = map(value);
        if (fn.size() == 1) {
            String key = fn.keySet().iterator().next();
            Object arg = fn.get(key);
            switch (key) {
                case "Ref":
                    return ref((String) arg);
                case "Fn::If": {
                    List<Object> branches = list(arg);
                    return resolve(condition((String) branches.get(0)) ? branches.get(1) : branches.get(2));
                }
                case "Fn::Sub":
                    return sub((String) arg);
                case "Fn::GetAtt":
                    return placeholder(arg instanceof List<?> l ? l.get(0) + "." + l.get(1) : String.valueOf(arg));
                case "Fn::Join": {
                    List<Object> parts = list(arg);
                    return String.join((String) parts.get(0), list(resolve(parts.get(1))).stream().map(String::valueOf).toList());
                }
                default:
                    if (key.startsWith("Fn::")) {
                        throw new IllegalArgumentException("this test does not resolve " + key + " yet: " + value);
                    }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        fn.forEach((k, v) -> {
            Object r = resolve(v);
            if (r != NO_VALUE) {
                out.put(k, r);
            }
        });
        return out;
    }

    private Object ref(String name) {
        return switch (name) {
            case "AWS::NoValue" -> NO_VALUE;
            case "AWS::Region" -> REGION;
            case "AWS::AccountId" -> ACCOUNT;
            case "AWS::Partition" -> "aws";
            case "AWS::URLSuffix" -> "amazonaws.com";
            case "AWS::StackName" -> "stack";
            default -> parameters.containsKey(name) ? parameters.get(name) : placeholder(name);
        };
    }

    private String sub(String text) {
        Matcher m = SUB.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            Object value = name.contains(".") && !name.startsWith("AWS::") ? placeholder(name) : ref(name);
            m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(value)));
        }
        m.appendTail(out);
        return out.toString();
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

    /** Each short-form tag (!Ref, !If, !Sub...) as its long form, {"Ref": ...} or {"Fn::If": [...]}. */
    private static final class CloudFormationTags extends SafeConstructor {

        CloudFormationTags() {
            super(new LoaderOptions());
            for (String fn : List.of("If", "Sub", "GetAtt", "Not", "Equals", "And", "Or", "Join", "Split", "Select", "FindInMap",
                    "Base64", "Cidr", "GetAZs", "ImportValue", "Transform")) {
                yamlConstructors.put(new Tag("!" + fn), new LongForm("Fn::" + fn));
            }
            yamlConstructors.put(new Tag("!Ref"), new LongForm("Ref"));
            yamlConstructors.put(new Tag("!Condition"), new LongForm("Condition"));
        }

        private final class LongForm extends AbstractConstruct {
            private final String name;

            LongForm(String name) {
                this.name = name;
            }

            @Override
            public Object construct(Node node) {
                Object value;
                if (node instanceof ScalarNode scalar) {
                    String text = constructScalar(scalar);
                    // !GetAtt Resource.Attribute is the scalar form of [Resource, Attribute].
                    value = name.equals("Fn::GetAtt") ? List.of(text.split("\\.", 2)) : text;
                } else if (node instanceof SequenceNode sequence) {
                    value = constructSequence(sequence);
                } else {
                    value = constructMapping((MappingNode) node);
                }
                Map<String, Object> fn = new LinkedHashMap<>();
                fn.put(name, value);
                return fn;
            }
        }
    }
}
