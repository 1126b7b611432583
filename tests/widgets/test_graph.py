"""The reference graph drawn in a bundle's HTML repr."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import aigw_sdk as aigw
from aigw_sdk.widgets import bundle_html
from aigw_sdk.widgets.graph import graph_svg, references

SVG = "{http://www.w3.org/2000/svg}"
SECRET = "sk-ant-graph-secret"


def nodes(svg: str) -> dict[tuple[str, str], str]:
    """(kind, name) -> the node's badge text ('' when none)."""
    root = ET.fromstring(svg)
    out = {}
    for group in root.iter(f"{SVG}g"):
        texts = [t.text or "" for t in group.iter(f"{SVG}text")]
        badge = texts[1] if len(texts) == 3 else ""
        out[(group.get("data-kind", ""), group.get("data-name", ""))] = badge
    return out


def test_the_seed_bundle_draws_its_chain() -> None:
    bundle = aigw.presets.anthropic(api_key=SECRET)
    svg = graph_svg(list(bundle), bundle.validate())
    name = "envoy-ai-gateway-basic-anthropic"
    assert nodes(svg) == {
        ("Gateway", "envoy-ai-gateway-basic"): "not in bundle",
        ("AIGatewayRoute", name): "",
        ("AIServiceBackend", name): "",
        ("BackendSecurityPolicy", f"{name}-apikey"): "",
        ("Backend", name): "",
        ("Secret", f"{name}-apikey"): "",
        ("BackendTLSPolicy", f"{name}-tls"): "",
    }
    edges = {edge for resource in bundle for edge in references(resource)}
    assert edges == {
        (("Gateway", "envoy-ai-gateway-basic"), ("AIGatewayRoute", name)),
        (("AIGatewayRoute", name), ("AIServiceBackend", name)),
        (("AIServiceBackend", name), ("Backend", name)),
        (("BackendSecurityPolicy", f"{name}-apikey"), ("AIServiceBackend", name)),
        (("BackendSecurityPolicy", f"{name}-apikey"), ("Secret", f"{name}-apikey")),
        (("BackendTLSPolicy", f"{name}-tls"), ("Backend", name)),
    }
    assert svg.count("marker-end=") == len(edges)
    assert SECRET not in svg
    assert svg in bundle_html(bundle)


def test_problems_and_missing_references_are_marked() -> None:
    text = aigw.presets.anthropic().to_yaml().replace("type: Exact", "type: Fuzzy", 1)
    broken = aigw.Bundle(r for r in aigw.load_yaml(text) if r.kind not in ("Backend", "Secret"))
    svg = graph_svg(list(broken), broken.validate())
    drawn = nodes(svg)
    name = "envoy-ai-gateway-basic-anthropic"
    assert drawn[("AIGatewayRoute", name)].endswith("errors")
    assert drawn[("Backend", name)] == "missing"
    assert drawn[("Secret", f"{name}-apikey")] == "missing"
    assert "stroke-dasharray='4 3' marker-end" in svg  # the broken edges are dashed
    assert "Unsupported value: &quot;Fuzzy&quot;" in svg  # the problem is in the node's tooltip


def test_nothing_to_draw() -> None:
    assert graph_svg([], []) == ""
    assert "<svg" not in bundle_html(aigw.Bundle())
