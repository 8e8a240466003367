package dev.dripline.local.lambdacheck;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

/**
 * The functions of template.yaml as Lambda would configure them: each one's handler string and
 * environment (Globals, then its own Environment), with the intrinsic functions the template
 * uses (Ref, Fn::GetAtt, Fn::If, Fn::Sub, Fn::Not, Fn::Equals, Fn::And, Fn::Or, Condition) and
 * {{resolve:secretsmanager:...}} dynamic references evaluated against local stand-ins for the
 * resources and the given parameter values (defaults where none is given). Variables whose
 * value is AWS::NoValue are left out, as CloudFormation leaves them out.
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

    private static final Pattern SUB = Pattern.compile("\\$\\{([^}!][^}]*)}");
    private static final Pattern DYNAMIC = Pattern.compile("\\{\\{resolve:secretsmanager:(.+?):SecretString}}");
    private static final Object NO_VALUE = new Object();

    private final Map<String, Object> root;
    private final Map<String, String> parameters;
    private final Resources resources;

    private SamTemplate(Map<String, Object> root, Map<String, String> parameterOverrides, Resources resources) {
        this.root = root;
        this.resources = resources;
        this.parameters = new LinkedHashMap<>();
        map(root.get("Parameters")).forEach((name, p) -> {
            Object def = map(p).get("Default");
            parameters.put(name, def == null ? null : String.valueOf(def));
        });
        parameterOverrides.forEach((name, value) -> {
            if (!parameters.containsKey(name)) {
                throw new IllegalArgumentException("template.yaml has no parameter " + name);
            }
            parameters.put(name, value);
        });
    }

    static SamTemplate read(Path file, Map<String, String> parameterOverrides, Resources resources) throws IOException {
        try (Reader in = Files.newBufferedReader(file)) {
            return parse(in, parameterOverrides, resources);
        }
    }

    static SamTemplate parse(Reader in, Map<String, String> parameterOverrides, Resources resources) {
        Object loaded = new Yaml(new IntrinsicTags()).load(in);
        return new SamTemplate(map(loaded), parameterOverrides, resources);
    }

    /** Logical id → resource type, for every resource. */
    Map<String, String> resourceTypes() {
        Map<String, String> types = new LinkedHashMap<>();
        map(root.get("Resources")).forEach((id, r) -> types.put(id, String.valueOf(map(r).get("Type"))));
        return types;
    }

    List<FunctionSpec> functions() {
        Map<String, Object> globals = map(map(map(root.get("Globals")).get("Function")).get("Environment"));
        List<FunctionSpec> out = new ArrayList<>();
        map(root.get("Resources")).forEach((id, r) -> {
            Map<String, Object> resource = map(r);
            if (!"AWS::Serverless::Function".equals(resource.get("Type"))) {
                return;
            }
            Map<String, Object> properties = map(resource.get("Properties"));
            Map<String, String> env = new LinkedHashMap<>();
            for (Map<String, Object> source : List.of(map(globals.get("Variables")),
                    map(map(properties.get("Environment")).get("Variables")))) {
                source.forEach((name, value) -> {
                    Object v = evaluate(value);
                    if (v == NO_VALUE) {
                        env.remove(name);
                    } else {
                        env.put(name, String.valueOf(v));
                    }
                });
            }
            Object handler = properties.get("Handler");
            if (handler == null) {
                throw new IllegalStateException(id + " has no Handler");
            }
            out.add(new FunctionSpec(id, String.valueOf(evaluate(handler)), env));
        });
        return out;
    }

    private Object evaluate(Object node) {
        if (node instanceof Map<?, ?> m && m.size() == 1) {
            String fn = String.valueOf(m.keySet().iterator().next());
            Object arg = m.values().iterator().next();
            switch (fn) {
                case "Ref" -> {
                    return ref(String.valueOf(arg));
                }
                case "Fn::GetAtt" -> {
                    String[] parts = arg instanceof List<?> l ? new String[] {String.valueOf(l.get(0)), String.valueOf(l.get(1))}
                            : String.valueOf(arg).split("\\.", 2);
                    return resources.attribute(parts[0], resourceTypes().get(parts[0]), parts[1]);
                }
                case "Fn::If" -> {
                    List<?> l = (List<?>) arg;
                    return evaluate(condition(String.valueOf(l.get(0))) ? l.get(1) : l.get(2));
                }
                case "Fn::Sub" -> {
                    return sub(String.valueOf(arg instanceof List<?> l ? l.get(0) : arg));
                }
                default -> throw new IllegalArgumentException("the lambda check does not evaluate " + fn + " (in " + m + ")");
            }
        }
        if (node instanceof String s) {
            return dynamicReferences(s);
        }
        return node;
    }

    private Object ref(String name) {
        if (name.equals("AWS::NoValue")) {
            return NO_VALUE;
        }
        if (name.startsWith("AWS::")) {
            return pseudo(name);
        }
        if (parameters.containsKey(name)) {
            return Optional.ofNullable(parameters.get(name))
                    .orElseThrow(() -> new IllegalArgumentException("parameter " + name + " has no default: give it a value"));
        }
        String type = resourceTypes().get(name);
        if (type == null) {
            throw new IllegalArgumentException("Ref to unknown " + name);
        }
        return resources.ref(name, type);
    }

    private static String pseudo(String name) {
        return switch (name) {
            case "AWS::Region" -> "us-east-1";
            case "AWS::AccountId" -> "000000000000";
            case "AWS::URLSuffix" -> "amazonaws.com";
            case "AWS::Partition" -> "aws";
            case "AWS::StackName" -> "dripline-lambda-check";
            default -> throw new IllegalArgumentException("unknown pseudo parameter " + name);
        };
    }

    private String sub(String text) {
        Matcher m = SUB.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value;
            if (name.contains(".") && !name.startsWith("AWS::")) {
                String[] parts = name.split("\\.", 2);
                value = resources.attribute(parts[0], resourceTypes().get(parts[0]), parts[1]);
            } else {
                value = String.valueOf(ref(name));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return dynamicReferences(out.toString());
    }

    private String dynamicReferences(String text) {
        Matcher m = DYNAMIC.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(resources.secretValue(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }

    boolean condition(String name) {
        Object c = map(root.get("Conditions")).get(name);
        if (c == null) {
            throw new IllegalArgumentException("unknown condition " + name);
        }
        return truth(c);
    }

    private boolean truth(Object node) {
        Map<?, ?> m = (Map<?, ?>) node;
        String fn = String.valueOf(m.keySet().iterator().next());
        Object arg = m.values().iterator().next();
        return switch (fn) {
            case "Fn::Not" -> !truth(((List<?>) arg).get(0));
            case "Fn::And" -> ((List<?>) arg).stream().allMatch(this::truth);
            case "Fn::Or" -> ((List<?>) arg).stream().anyMatch(this::truth);
            case "Fn::Equals" -> String.valueOf(evaluate(((List<?>) arg).get(0))).equals(String.valueOf(evaluate(((List<?>) arg).get(1))));
            case "Condition" -> condition(String.valueOf(arg));
            default -> throw new IllegalArgumentException("the lambda check does not evaluate condition " + fn);
        };
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** Reads CloudFormation's short forms (!Ref x, !If [...]) as their long forms ({Ref: x}, {Fn::If: [...]}). */
    private static final class IntrinsicTags extends SafeConstructor {
        IntrinsicTags() {
            super(new LoaderOptions());
            this.yamlConstructors.put(null, new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    String tag = node.getTag().getValue().substring(1);
                    String name = tag.equals("Ref") || tag.equals("Condition") ? tag : "Fn::" + tag;
                    Object value;
                    if (node instanceof ScalarNode s) {
                        value = constructScalar(s);
                    } else if (node instanceof SequenceNode s) {
                        value = constructSequence(s);
                    } else {
                        value = constructMapping((MappingNode) node);
                    }
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put(name, value);
                    return out;
                }
            });
        }
    }
}
