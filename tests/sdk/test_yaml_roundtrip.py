"""Every upstream example and extra loads and dumps back to equal data."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
import yaml

import aigw_sdk as aigw
from aigw_sdk.errors import APIDeprecationWarning
from aigw_sdk.models import GenericResource, ParseFailure
from tests.support.upstream import Upstream, upstream_params, upstream_root, yaml_corpus


def _corpus() -> list[object]:
    root = upstream_root()
    return [pytest.param(p, id=str(p.relative_to(root))) for p in yaml_corpus()]


FILES = upstream_params(_corpus)


def _plain_docs(path: Path) -> list[dict[str, object]]:
    docs = yaml.load_all(path.read_text(), Loader=yaml.BaseLoader)  # strings only: no tag games
    return [d for d in docs if d]


@pytest.mark.parametrize("path", FILES)
def test_example_round_trips(path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", APIDeprecationWarning)
        bundle = aigw.load_yaml(path)
        original = [d for d in yaml.safe_load_all(path.read_text()) if d]
        assert len(bundle) == len(original)
        # Equal as data, and equal again after a second trip through our own YAML.
        assert [_normalise(d) for d in bundle.to_dicts()] == [_normalise(d) for d in original]
        again = aigw.load_yaml(bundle.to_yaml())
    assert again.to_dicts() == bundle.to_dicts()


def _normalise(value: object) -> object:
    # PyYAML's safe loader turns timestamps into datetimes; we keep them as strings like Kubernetes.
    if isinstance(value, dict):
        return {k: _normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()  # type: ignore[union-attr]
    return value


def test_corpus_is_the_expected_size(upstream: Upstream) -> None:
    assert len(FILES) >= 68


def test_known_kinds_are_typed_and_unknown_kinds_generic(upstream: Upstream) -> None:
    bundle = aigw.load_yaml(upstream.examples / "basic/basic.yaml")
    kinds = {type(r).__name__: r.kind for r in bundle}
    assert kinds["AIGatewayRoute"] == "AIGatewayRoute"
    generic = [r for r in bundle if type(r) is GenericResource]
    assert {r.kind for r in generic} >= {
        "Deployment",
        "Service",
        "EnvoyProxy",
        "ClientTrafficPolicy",
    }


def test_object_not_fitting_its_model_is_kept_for_validation(upstream: Upstream) -> None:
    # aigw's autoconfig emits AIServiceBackend.spec.timeouts, which the CRD does not have.
    bundle = aigw.load_yaml(upstream.root / "internal/autoconfig/testdata/openai.yaml")
    failures = [r for r in bundle if isinstance(r, ParseFailure)]
    assert [f.kind for f in failures] == ["AIServiceBackend"]
    assert failures[0].error is not None
    assert "spec.timeouts" in str(failures[0].error)
