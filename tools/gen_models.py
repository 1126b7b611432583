"""Generate aigw_sdk/models/aigateway_types.py from the upstream CRDs.

Usage: python tools/gen_models.py [--crds DIR]
(default: the CRDs of the pinned Envoy AI Gateway release, via tests/support/upstream.py: the Go
module github.com/envoyproxy/ai-gateway, or the checkout named by $AIGW_UPSTREAM_DIR)

The CRDs are the ground truth for fields, limits, defaults and CEL rules; this script turns their
openAPIV3Schema into pydantic classes whose field metadata (``Limits``) carries every constraint,
so the validator can enforce them with the API server's messages. Identical sub-schemas become one
class. Re-run it when the upstream CRDs change and commit the result.
"""

from __future__ import annotations

import argparse
import json
import keyword
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic.alias_generators import to_camel

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "aigw_sdk" / "models" / "aigateway_types.py"
KINDS = [
    ("aigateway.envoyproxy.io_aigatewayroutes.yaml", "AIGatewayRoute"),
    ("aigateway.envoyproxy.io_aiservicebackends.yaml", "AIServiceBackend"),
    ("aigateway.envoyproxy.io_backendsecuritypolicies.yaml", "BackendSecurityPolicy"),
    ("aigateway.envoyproxy.io_mcproutes.yaml", "MCPRoute"),
    ("aigateway.envoyproxy.io_gatewayconfigs.yaml", "GatewayConfig"),
    ("aigateway.envoyproxy.io_quotapolicies.yaml", "QuotaPolicy"),
]
# Class names for sub-schemas that are well-known shared types upstream.
RENAMES = {
    "headerMutation": "HTTPHeaderMutation",
    "bodyMutation": "HTTPBodyMutation",
    "parentRefs": "ParentReference",
    "secretRef": "SecretObjectReference",
    "clientSecretRef": "SecretObjectReference",
    "targetRefs": "LocalPolicyTargetReference",
    "timeouts": "HTTPRouteTimeouts",
    "llmRequestCosts": "LLMRequestCost",
    "oidcExchangeToken": "OIDCExchangeToken",
    "oidc": "OIDC",
    "provider": "OIDCProvider",
}
RESERVED = set(dir(__import__("pydantic").BaseModel)) | {
    "schema",
    "json",
    "copy",
    "dict",
    "validate",
}
LIMIT_KEYS = {
    "minLength": "min_length",
    "maxLength": "max_length",
    "pattern": "pattern",
    "minimum": "minimum",
    "maximum": "maximum",
    "minItems": "min_items",
    "maxItems": "max_items",
    "minProperties": "min_properties",
    "maxProperties": "max_properties",
    "format": "format",
    "x-kubernetes-list-type": "list_type",
}


def snake(name: str) -> str:
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s).lower()
    if keyword.iskeyword(s) or s in RESERVED:
        s += "_"
    return s


def pascal(name: str) -> str:
    return name[:1].upper() + name[1:]


def singular(name: str) -> str:
    if name.endswith("ies"):
        return name[:-3] + "y"
    if name.endswith(("sses", "xes", "ches", "shes")):
        return name[:-2]
    if name.endswith("s") and not name.endswith("ss"):
        return name[:-1]
    return name


def canonical(node: dict[str, Any]) -> str:
    def strip(n: Any) -> Any:
        if isinstance(n, dict):
            return {k: strip(v) for k, v in n.items() if k != "description"}
        if isinstance(n, list):
            return [strip(v) for v in n]
        return n

    return json.dumps(strip(node), sort_keys=True)


class Generator:
    def __init__(self) -> None:
        self.classes: dict[str, str] = {}  # canonical -> class name
        self.code: list[str] = []
        self.names: set[str] = set()
        self.uses_config = False

    def class_for(self, node: dict[str, Any], name: str) -> str:
        key = canonical(node)
        if key in self.classes:
            return self.classes[key]
        unique = name
        n = 2
        while unique in self.names:
            unique = f"{name}{n}"
            n += 1
        self.names.add(unique)
        self.classes[key] = unique
        fields: list[str] = []
        required = node.get("required", [])
        for prop, sub in sorted(node.get("properties", {}).items()):
            ann, meta = self.annotation(sub, unique, prop)
            py = snake(prop)
            needs_alias = to_camel(py.rstrip("_")) != prop or py.endswith("_")
            typed = f"Annotated[{ann}, {meta}]" if meta else ann
            if prop in required:
                fields.append(
                    f"    {py}: {typed}" + (f' = Field(alias="{prop}")' if needs_alias else "")
                )
            else:
                typed = f"Annotated[{ann} | None, {meta}]" if meta else f"{ann} | None"
                default = f'Field(None, alias="{prop}")' if needs_alias else "None"
                fields.append(f"    {py}: {typed} = {default}")
        doc = first_sentence(node.get("description", "")) or f"The `{name}` object."
        lines = [f"class {unique}(SchemaModel):", f'    """{doc}"""', ""]
        if required:
            lines.append(f"    _required: ClassVar[tuple[str, ...]] = {tuple(required)!r}")
        node_meta = self.limits(node, object_level=True)
        if node_meta:
            lines.append(f"    _node_limits: ClassVar[Limits] = {node_meta}")
        if node.get("x-kubernetes-preserve-unknown-fields"):
            self.uses_config = True
            lines.append('    model_config = ConfigDict(extra="allow")')
        if len(lines) > 3:
            lines.append("")
        lines.extend(fields or ["    pass"])
        self.code.append("\n".join(lines) + "\n")
        return unique

    def annotation(self, node: dict[str, Any], parent: str, prop: str) -> tuple[str, str]:
        meta = self.limits(node, object_level=False)
        if node.get("x-kubernetes-int-or-string"):
            return "int | str", meta
        typ = node.get("type")
        if typ == "object":
            if "properties" in node:
                base = RENAMES.get(prop) or f"{strip_kind(parent)}{pascal(prop)}"
                # object-level rules live on the class; field metadata keeps nothing for objects
                return self.class_for(node, base), ""
            if "additionalProperties" in node:
                inner, inner_meta = self.annotation(node["additionalProperties"], parent, prop)
                if inner_meta:
                    inner = f"Annotated[{inner}, {inner_meta}]"
                return f"dict[str, {inner}]", meta
            return "dict[str, Any]", meta
        if typ == "array":
            item_prop = prop if prop in RENAMES else singular(prop)
            inner, inner_meta = self.annotation(node.get("items", {}), parent, item_prop)
            if inner_meta:
                inner = f"Annotated[{inner}, {inner_meta}]"
            return f"list[{inner}]", meta
        if "enum" in node and typ == "string":
            return "Literal[" + ", ".join(repr(v) for v in node["enum"]) + "]", meta
        return {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}.get(
            str(typ), "Any"
        ), meta

    def limits(self, node: dict[str, Any], *, object_level: bool) -> str:
        is_object_class = node.get("type") == "object" and "properties" in node
        if object_level != is_object_class:
            return ""
        args: list[str] = []
        for key, arg in LIMIT_KEYS.items():
            if key in node:
                args.append(f"{arg}={node[key]!r}")
        if "enum" in node:
            args.append(f"enum={tuple(node['enum'])!r}")
        if "x-kubernetes-list-map-keys" in node:
            args.append(f"list_map_keys={tuple(node['x-kubernetes-list-map-keys'])!r}")
        if "default" in node:
            args.append(f"default={node['default']!r}, has_default=True")
        patterns = [p["pattern"] for p in node.get("allOf", []) if "pattern" in p]
        if patterns:
            args.append(f"patterns={tuple(patterns)!r}")
        enums = [p["enum"] for p in node.get("allOf", []) if "enum" in p]
        if enums and "enum" not in node:
            args.append(f"enum={tuple(enums[0])!r}")
        rules = node.get("x-kubernetes-validations", [])
        if rules:
            rendered = ", ".join(render_rule(r) for r in rules)
            args.append(f"rules=({rendered},)")
        return f"Limits({', '.join(args)})" if args else ""


def render_rule(rule: dict[str, Any]) -> str:
    parts = [f"rule={rule['rule']!r}"]
    for key, arg in (
        ("message", "message"),
        ("messageExpression", "message_expression"),
        ("fieldPath", "field_path"),
        ("reason", "reason"),
    ):
        if key in rule:
            parts.append(f"{arg}={rule[key]!r}")
    return f"CelRule({', '.join(parts)})"


def strip_kind(name: str) -> str:
    return name.removesuffix("Spec")


def first_sentence(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        return ""
    end = text.find(". ")
    sentence = text if end < 0 else text[: end + 1]
    sentence = sentence.replace('"""', "'''").replace("\\", "\\\\")
    return sentence[:200] + ("…" if len(sentence) > 200 else "")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("crd_dir", nargs="?", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--crds", type=Path, help="directory of the upstream CRD YAML files")
    args = parser.parse_args(argv)
    crd_dir: Path | None = args.crds or args.crd_dir
    if crd_dir is None:
        sys.path.insert(0, str(ROOT))
        from tests.support.upstream import crd_dir as pinned_crd_dir

        crd_dir = pinned_crd_dir()
    gen = Generator()
    resources: list[str] = []
    for filename, kind in KINDS:
        crd = yaml.safe_load((crd_dir / filename).read_text())
        spec = crd["spec"]
        versions = sorted(spec["versions"], key=lambda v: v["name"] != "v1beta1")
        for version in versions:
            schema = version["schema"]["openAPIV3Schema"]
            # the newest version takes the bare name (QuotaPolicy exists only as v1alpha1)
            suffix = "" if version is versions[0] else pascal(version["name"])
            spec_cls = gen.class_for(schema["properties"]["spec"], f"{kind}Spec{suffix}")
            required = "spec" in schema.get("required", [])
            spec_ann = spec_cls if required else f"{spec_cls} | None = None"
            deprecation = version.get("deprecationWarning")
            api_version = f"{spec['group']}/{version['name']}"
            node_limits = gen.limits(schema, object_level=True) or "Limits()"
            resources.append(
                "\n".join(
                    [
                        f"class {kind}{suffix}(Resource):",
                        f'    """{kind} ({spec["group"]}/{version["name"]})."""',
                        "",
                        f"    group: ClassVar[str] = {spec['group']!r}",
                        f"    version: ClassVar[str] = {version['name']!r}",
                        f"    plural: ClassVar[str] = {spec['names']['plural']!r}",
                        f"    namespaced: ClassVar[bool] = {spec['scope'] == 'Namespaced'}",
                        f"    deprecation_warning: ClassVar[str | None] = {deprecation!r}",
                        f"    _node_limits: ClassVar[Limits] = {node_limits}",
                        "",
                        f"    api_version: Literal[{api_version!r}] = Field(",
                        f"        default={api_version!r}, alias='apiVersion'",
                        "    )",
                        f"    kind: Literal[{kind!r}] = {kind!r}",
                        f"    spec: {spec_ann}",
                        "    status: ResourceStatus | None = None",
                    ]
                )
                + "\n"
            )
    header = (
        '"""Envoy AI Gateway resource models, generated from the upstream CRDs.\n\n'
        "Written by tools/gen_models.py. "
        'Do not edit by hand: change the generator and re-run it.\n"""\n\n'
        "# ruff: noqa: E501\n"
        "from __future__ import annotations\n\n"
        "from typing import Annotated, Any, ClassVar, Literal\n\n"
        f"from pydantic import {'ConfigDict, ' if gen.uses_config else ''}Field\n\n"
        "from aigw_sdk.models.base import (\n"
        "    CelRule, Limits, Resource, ResourceStatus, SchemaModel\n)\n\n\n"
    )
    OUT.write_text(header + "\n\n".join(gen.code + resources))
    subprocess.run([sys.executable, "-m", "ruff", "format", "-q", str(OUT)], check=True)
    print(f"wrote {OUT.relative_to(ROOT)}: {len(gen.code)} classes, {len(resources)} resources")


if __name__ == "__main__":
    main()
