// One reader of template.yaml for four users (IAM check, route checks, lambda check, deployed-settings tests): its parts and the evaluator of its intrinsics share parameters, conditions and stand-ins (~440 lines).
package dev.dripline.engines.aws;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * template.yaml read as CloudFormation would deploy it, without an AWS account: the one reader
 * of the template for the IAM check, the route checks, the lambda check and the deployed-settings
 * tests. CloudFormation's short tags ({@code !Ref}, {@code !Sub}, {@code !If}...) are read as
 * their long forms and evaluated for one set of parameters (the defaults unless overridden;
 * an override must be a declared parameter and match its AllowedPattern). AWS::NoValue removes
 * the entry. What a resource stands for ({@code Ref}, {@code Fn::GetAtt}, {@code ${X}} and
 * {@code ${X.Attr}} in {@code Fn::Sub}), the pseudo parameters and the value of a
 * {@code {{resolve:secretsmanager:...}}} reference come from {@link StandIns}: by default
 * <em>identities</em>, {@code ${LogicalId}} for a resource (its ARN, URL and name alike) and
 * fixed samples (us-east-1, account 123456789012), good enough to compare a policy's Resource
 * with what a function's environment names. Not a CloudFormation implementation.
 */
public final class CfnTemplate {

    /** Fixed values of the pseudo parameters under the default stand-ins. */
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT = "123456789012";
    private static final Object NO_VALUE = new Object();
    private static final Pattern SUB = Pattern.compile("\\$\\{(!?)([A-Za-z0-9:._-]+)}");
    private static final Pattern DYNAMIC = Pattern.compile("\\{\\{resolve:secretsmanager:(.+?):SecretString}}");

    /** What the template's references stand for where it is evaluated. */
    public interface StandIns {

        /** What {@code Ref} gives for a resource the template declares, of {@code type}. */
        String ref(String logicalId, String type);

        /** What {@code Fn::GetAtt} (or {@code ${Id.Attribute}}) gives; {@code type} is null for a resource the template does not declare. */
        String attribute(String logicalId, String type, String attribute);

        /** A {@code Ref} to a name that is no parameter and no declared resource (one SAM generates). */
        default String undeclared(String name) {
            throw new IllegalArgumentException("Ref to unknown " + name);
        }

        default String region() {
            return REGION;
        }

        default String account() {
            return ACCOUNT;
        }

        default String stackName() {
            return "dripline";
        }

        /** The value of a {@code {{resolve:secretsmanager:ARN:SecretString}}} reference; null leaves the reference as written. */
        default String secretValue(String secretArn) {
            return null;
        }
    }

    /** Resources as identities: {@code ${LogicalId}} for Ref and every attribute. */
    public static final StandIns IDENTITIES = new StandIns() {
        @Override
        public String ref(String logicalId, String type) {
            return "${" + logicalId + "}";
        }

        @Override
        public String attribute(String logicalId, String type, String attribute) {
            return "${" + logicalId + "}";
        }
    };

    /** One AWS::Serverless::Function: its logical id, handler and environment as deployed. */
    public record FunctionSpec(String logicalId, String handler, Map<String, String> environment) {
    }

    private final Map<String, Object> root;
    private final Map<String, Object> resources;
    private final StandIns standIns;
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private final Map<String, Boolean> conditions = new HashMap<>();

    private CfnTemplate(Map<String, Object> root, Map<String, String> overrides, StandIns standIns) {
        this.root = root;
        this.resources = map(root.get("Resources"));
        this.standIns = standIns;
        map(root.get("Parameters")).forEach((name, p) -> {
            Object d = map(p).get("Default");
            parameters.put(name, d == null ? null : String.valueOf(d));
        });
        overrides.forEach((k, v) -> {
            if (!parameters.containsKey(k)) {
                throw new IllegalArgumentException("the template has no parameter " + k);
            }
            Object pattern = map(map(root.get("Parameters")).get(k)).get("AllowedPattern");
            if (pattern != null && v != null && !v.matches(String.valueOf(pattern))) {
                throw new IllegalArgumentException(k + "=" + v + " does not match its AllowedPattern " + pattern);
            }
            parameters.put(k, v);
        });
    }

    /** The template with its parameters' defaults. */
    public static CfnTemplate load(Path file) {
        return load(file, Map.of());
    }

    /** The template with some parameters set (the others at their defaults). */
    public static CfnTemplate load(Path file, Map<String, String> parameters) {
        return load(file, parameters, IDENTITIES);
    }

    /** The template with some parameters set, its references standing for {@code standIns}. */
    public static CfnTemplate load(Path file, Map<String, String> parameters, StandIns standIns) {
        try (Reader in = Files.newBufferedReader(file)) {
            return parse(in, parameters, standIns);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    /** A template from text. */
    public static CfnTemplate parse(Reader in, Map<String, String> parameters, StandIns standIns) {
        return new CfnTemplate(CfnYaml.read(in), parameters, standIns);
    }

    /** The same template with other parameter values. */
    public CfnTemplate with(Map<String, String> parameters) {
        Map<String, String> all = new HashMap<>(this.parameters);
        all.putAll(parameters);
        all.values().removeIf(java.util.Objects::isNull);
        return new CfnTemplate(root, all, standIns);
    }

    public Map<String, Object> parameterDeclarations() {
        return map(root.get("Parameters"));
    }

    public Map<String, String> parameters() {
        return java.util.Collections.unmodifiableMap(parameters);
    }

    public boolean hasResource(String id) {
        return resources.containsKey(id);
    }

    /** The logical ids of the resources of {@code type} ({@code AWS::SQS::Queue}), in the template's order. */
    public List<String> resourcesOfType(String type) {
        return resources.keySet().stream().filter(id -> type.equals(map(resources.get(id)).get("Type"))).toList();
    }

    public String type(String id) {
        return (String) resource(id).get("Type");
    }

    /** A resource's declaration as written (tags as intrinsic maps, nothing evaluated). */
    public Map<String, Object> resource(String id) {
        Map<String, Object> r = map(resources.get(id));
        if (r.isEmpty()) {
            throw new IllegalArgumentException("the template has no resource " + id);
        }
        return r;
    }

    /** A resource's Properties, evaluated. */
    public Map<String, Object> properties(String id) {
        Object p = resolve(resource(id).get("Properties"));
        return p == NO_VALUE ? Map.of() : map(p);
    }

    /** Whether a resource exists with these parameters (its Condition, if any, holds). */
    public boolean exists(String id) {
        Object c = resource(id).get("Condition");
        return c == null || condition((String) c);
    }

    /** Logical id → resource type, for every resource. */
    public Map<String, String> resourceTypes() {
        Map<String, String> types = new LinkedHashMap<>();
        resources.forEach((id, r) -> types.put(id, String.valueOf(map(r).get("Type"))));
        return types;
    }

    /** Every AWS::Serverless::Function with its handler and environment, in the template's order. */
    public List<FunctionSpec> functions() {
        List<FunctionSpec> out = new ArrayList<>();
        resources.forEach((id, r) -> {
            if ("AWS::Serverless::Function".equals(map(r).get("Type"))) {
                Object handler = path(r, "Properties", "Handler");
                if (handler == null) {
                    throw new IllegalStateException(id + " has no Handler");
                }
                out.add(new FunctionSpec(id, String.valueOf(resolve(handler)), environment(id)));
            }
        });
        return out;
    }

    /**
     * A function's environment as it would be deployed: Globals' variables and its own, each
     * evaluated (a variable whose value is AWS::NoValue is absent).
     */
    public Map<String, String> environment(String functionId) {
        Map<String, String> env = new LinkedHashMap<>();
        Object globals = path(root, "Globals", "Function", "Environment", "Variables");
        Object own = path(resource(functionId), "Properties", "Environment", "Variables");
        for (Object vars : new Object[] {globals, own}) {
            map(vars).forEach((k, v) -> {
                Object value = resolve(v);
                if (value == NO_VALUE) {
                    env.remove(k);
                } else {
                    env.put(k, String.valueOf(value));
                }
            });
        }
        return env;
    }

    /** An HTTP API route of a function: its method (ANY for all) and path pattern. */
    public record Route(String method, String path) {

        /** Whether API Gateway would send {@code method path} (no query string) to this route. */
        public boolean matches(String method, String path) {
            if (!this.method.equals("ANY") && !this.method.equalsIgnoreCase(method)) {
                return false;
            }
            String[] want = this.path.substring(1).split("/", -1);
            String[] got = path.substring(1).split("/", -1);
            for (int i = 0; i < want.length; i++) {
                if (want[i].endsWith("+}")) {
                    return got.length > i && !got[i].isEmpty();
                }
                if (i >= got.length) {
                    return false;
                }
                boolean variable = want[i].startsWith("{") && want[i].endsWith("}");
                if (variable ? got[i].isEmpty() : !want[i].equals(got[i])) {
                    return false;
                }
            }
            return want.length == got.length;
        }
    }

    /** The HttpApi events of a function. */
    public List<Route> routes(String functionId) {
        List<Route> routes = new ArrayList<>();
        map(path(resource(functionId), "Properties", "Events")).values().forEach(e -> {
            Map<String, Object> event = map(e);
            if ("HttpApi".equals(event.get("Type"))) {
                Map<String, Object> p = map(resolve(event.get("Properties")));
                routes.add(new Route(String.valueOf(p.get("Method")).toUpperCase(java.util.Locale.ROOT), String.valueOf(p.get("Path"))));
            }
        });
        return routes;
    }

    /** A condition of the template, evaluated. */
    public boolean condition(String name) {
        Boolean known = conditions.get(name);
        if (known != null) {
            return known;
        }
        Object declared = map(root.get("Conditions")).get(name);
        if (declared == null) {
            throw new IllegalArgumentException("the template has no condition " + name);
        }
        boolean value = truth(resolve(declared));
        conditions.put(name, value);
        return value;
    }

    /** Evaluates a value of the template (see the class comment); AWS::NoValue comes back as absent. */
    public Optional<Object> evaluate(Object node) {
        Object v = resolve(node);
        return v == NO_VALUE ? Optional.empty() : Optional.of(v);
    }

    @SuppressWarnings("unchecked")
    private Object resolve(Object node) {
        if (node instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object o : list) {
                Object v = resolve(o);
                if (v != NO_VALUE) {
                    out.add(v);
                }
            }
            return out;
        }
        if (!(node instanceof Map<?, ?> m)) {
            return node == null ? null : node instanceof String text ? secrets(text) : String.valueOf(node);
        }
        Map<String, Object> in = (Map<String, Object>) m;
        if (in.size() == 1) {
            String fn = in.keySet().iterator().next();
            Object arg = in.get(fn);
            switch (fn) {
                case "Ref":
                    return ref((String) arg);
                case "Fn::GetAtt": {
                    List<Object> parts = (List<Object>) arg;
                    return attribute(String.valueOf(parts.get(0)), String.valueOf(parts.get(1)));
                }
                case "Fn::Sub":
                    return sub(arg);
                case "Fn::If": {
                    List<Object> parts = (List<Object>) arg;
                    return resolve(condition((String) parts.get(0)) ? parts.get(1) : parts.get(2));
                }
                case "Fn::Equals": {
                    List<Object> parts = (List<Object>) resolve(arg);
                    return String.valueOf(parts.get(0)).equals(String.valueOf(parts.get(1)));
                }
                case "Fn::Not":
                    return !truth(((List<Object>) resolve(arg)).get(0));
                case "Fn::And":
                    return ((List<Object>) resolve(arg)).stream().allMatch(CfnTemplate::truth);
                case "Fn::Or":
                    return ((List<Object>) resolve(arg)).stream().anyMatch(CfnTemplate::truth);
                case "Condition":
                    return condition((String) arg);
                case "Fn::Join": {
                    List<Object> parts = (List<Object>) arg;
                    List<Object> items = (List<Object>) resolve(parts.get(1));
                    return String.join(String.valueOf(parts.get(0)), items.stream().map(String::valueOf).toList());
                }
                default:
                    if (fn.startsWith("Fn::")) {
                        throw new IllegalArgumentException("this reader does not evaluate " + fn + " (in " + in + ")");
                    }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        in.forEach((k, v) -> {
            Object r = resolve(v);
            if (r != NO_VALUE) {
                out.put(k, r);
            }
        });
        return out;
    }

    private static boolean truth(Object v) {
        return v instanceof Boolean b ? b : Boolean.parseBoolean(String.valueOf(v));
    }

    private Object ref(String name) {
        switch (name) {
            case "AWS::NoValue":
                return NO_VALUE;
            case "AWS::Region":
                return standIns.region();
            case "AWS::AccountId":
                return standIns.account();
            case "AWS::Partition":
                return "aws";
            case "AWS::URLSuffix":
                return "amazonaws.com";
            case "AWS::StackName":
                return standIns.stackName();
            default:
                break;
        }
        if (parameters.containsKey(name)) {
            return parameters.get(name);
        }
        if (resources.containsKey(name)) {
            return standIns.ref(name, type(name));
        }
        return standIns.undeclared(name);
    }

    private String attribute(String logicalId, String attribute) {
        return standIns.attribute(logicalId, resources.containsKey(logicalId) ? type(logicalId) : null, attribute);
    }

    /** {@code {{resolve:secretsmanager:ARN:SecretString}}} replaced by the stand-ins' value, where they give one. */
    private String secrets(String text) {
        Matcher m = DYNAMIC.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = standIns.secretValue(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : value));
        }
        m.appendTail(out);
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private Object sub(Object arg) {
        String text;
        Map<String, Object> vars = Map.of();
        if (arg instanceof List<?> parts) {
            text = (String) parts.get(0);
            vars = (Map<String, Object>) parts.get(1);
        } else {
            text = (String) arg;
        }
        Matcher m = SUB.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(2);
            String value;
            if (!m.group(1).isEmpty()) {
                value = "${" + name + "}";
            } else if (vars.containsKey(name)) {
                value = String.valueOf(resolve(vars.get(name)));
            } else if (name.contains(".") && !name.startsWith("AWS::")) {
                value = attribute(name.substring(0, name.indexOf('.')), name.substring(name.indexOf('.') + 1));
            } else {
                value = String.valueOf(ref(name));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return secrets(out.toString());
    }

    private static Object path(Object node, String... keys) {
        Object current = node;
        for (String k : keys) {
            current = map(current).get(k);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
