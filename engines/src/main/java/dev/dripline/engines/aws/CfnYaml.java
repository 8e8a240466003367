package dev.dripline.engines.aws;

import java.io.Reader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * SnakeYAML with CloudFormation's short tags read as their long forms: {@code !Ref X} as
 * {@code {Ref: X}}, {@code !If [...]} as {@code {Fn::If: [...]}}, {@code !GetAtt A.B} as
 * {@code {Fn::GetAtt: [A, B]}}. (Jackson's YAML reader drops the tags: {@code !Ref X} reads as "X".)
 */
final class CfnYaml {

    private CfnYaml() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> read(Reader in) {
        Object loaded = new Yaml(new LongForms()).load(in);
        return loaded instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static final class LongForms extends SafeConstructor {

        LongForms() {
            super(new LoaderOptions());
            for (String fn : List.of("Base64", "Cidr", "FindInMap", "GetAZs", "ImportValue", "Join", "Select", "Split", "Sub",
                    "Transform", "And", "Equals", "If", "Not", "Or", "GetAtt")) {
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
                Map<String, Object> out = new LinkedHashMap<>();
                out.put(name, value);
                return out;
            }
        }
    }
}
