"""Fails when the SAM-transformed template has a circular dependency.

cfn-lint (1.58) misses cycles that run through an HTTP API's generated OpenAPI body, e.g. a
function whose environment names the API that routes to it: HttpApi -> function alias ->
function -> HttpApi. CloudFormation rejects such a template only at deploy time. Run with the
Python of the virtualenv that holds aws-sam-cli (it imports samtranslator):

    python .ci/cfn_cycles.py template.yaml
"""
import os
import re
import sys

from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse


class NoManagedPolicies:
    def load(self):
        return {}


def references(node, found):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "Ref" and isinstance(value, str):
                found.add(value)
            elif key == "Fn::GetAtt":
                found.add(value[0] if isinstance(value, list) else value.split(".")[0])
            elif key == "Fn::Sub":
                text = value if isinstance(value, str) else value[0]
                found.update(m.split(".")[0] for m in re.findall(r"\$\{([^}!][^}]*)\}", text))
                if isinstance(value, list):
                    references(value[1], found)
            else:
                references(value, found)
    elif isinstance(node, list):
        for item in node:
            references(item, found)


def main(path):
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    template = yaml_parse(open(path, encoding="utf-8").read())
    # The translator wants S3 code locations; local paths are sam build's business.
    for resource in template.get("Resources", {}).values():
        if resource.get("Type") == "AWS::Serverless::Function":
            resource.setdefault("Properties", {})["CodeUri"] = "s3://bucket/key"
    resources = transform(template, {}, NoManagedPolicies())["Resources"]
    graph = {}
    for name, resource in resources.items():
        found = set()
        references(resource.get("Properties", {}), found)
        depends = resource.get("DependsOn", [])
        found.update([depends] if isinstance(depends, str) else depends)
        graph[name] = sorted(found & resources.keys())
    state, cycles = {}, []

    def visit(node, path):
        state[node] = "open"
        for nxt in graph[node]:
            if state.get(nxt) == "open":
                cycles.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = "done"

    for node in graph:
        if node not in state:
            visit(node, [node])
    for cycle in cycles:
        print("circular dependency: " + " -> ".join(cycle))
    return 1 if cycles else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "template.yaml"))
