"""The upstream resolver: the crdcel table parser, $AIGW_UPSTREAM_DIR, and clear failures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import upstream
from tests.support.upstream import CelCase, UpstreamUnavailable, parse_celtest_table

GO_SOURCE = r"""
func TestRoutes(t *testing.T) {
	for _, tc := range []struct {
		name   string
		expErr string
	}{
		{name: "basic.yaml"},
		{
			name:   "quoted.yaml",
			expErr: "spec.rules: Invalid value: \"array\": rule name must be unique",
		},
		{name: "raw.yaml", expErr: `spec.parentRefs: Invalid value: "array": only Gateway`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, err := testdata.ReadFile(path.Join("testdata/aigatewayroutes", tc.name))
		})
	}
}

func TestBackends(t *testing.T) {
	for _, tc := range []struct{ name, expErr string }{
		{name: "k8s-svc.yaml", expErr: "BackendRef must be a Backend resource of Envoy Gateway"},
	} {
		data, err := testdata.ReadFile(path.Join("testdata/aiservicebackends", tc.name))
	}
}
"""


@pytest.fixture
def fresh_resolver(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """The resolver with its per-process cache cleared before and after."""
    upstream.upstream_root.cache_clear()
    upstream.go_module_dir.cache_clear()
    yield monkeypatch
    upstream.upstream_root.cache_clear()
    upstream.go_module_dir.cache_clear()


def test_go_test_table_is_parsed_with_escapes_and_raw_strings() -> None:
    assert parse_celtest_table(GO_SOURCE) == [
        CelCase("TestRoutes", "aigatewayroutes/basic.yaml", None),
        CelCase(
            "TestRoutes",
            "aigatewayroutes/quoted.yaml",
            'spec.rules: Invalid value: "array": rule name must be unique',
        ),
        CelCase(
            "TestRoutes",
            "aigatewayroutes/raw.yaml",
            'spec.parentRefs: Invalid value: "array": only Gateway',
        ),
        CelCase(
            "TestBackends",
            "aiservicebackends/k8s-svc.yaml",
            "BackendRef must be a Backend resource of Envoy Gateway",
        ),
    ]


def test_a_test_without_testdata_folder_is_an_error() -> None:
    with pytest.raises(ValueError, match="TestX: no testdata folder"):
        parse_celtest_table('func TestX(t *testing.T) {\n\t{name: "a.yaml"},\n}\n')


def test_checkout_named_by_the_environment(
    fresh_resolver: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / upstream.CRD_SUBDIR).mkdir(parents=True)
    crdcel = tmp_path / upstream.CELTESTS_SUBDIR
    (crdcel / "testdata/aigatewayroutes").mkdir(parents=True)
    (crdcel / "main_test.go").write_text(GO_SOURCE)
    (tmp_path / "examples/basic").mkdir(parents=True)
    (tmp_path / "examples/basic/basic.yaml").write_text("kind: Secret\n")
    fresh_resolver.setenv(upstream.ENV_DIR, str(tmp_path))
    assert upstream.upstream_root() == tmp_path.resolve()
    assert upstream.crd_dir() == tmp_path.resolve() / upstream.CRD_SUBDIR
    assert len(upstream.celtest_cases()) == 4
    assert (
        upstream.celtest_cases()[0].path == crdcel.resolve() / "testdata/aigatewayroutes/basic.yaml"
    )
    assert upstream.yaml_corpus() == [tmp_path.resolve() / "examples/basic/basic.yaml"]


def test_a_directory_that_is_no_checkout_is_refused_by_name(
    fresh_resolver: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fresh_resolver.setenv(upstream.ENV_DIR, str(tmp_path))
    with pytest.raises(UpstreamUnavailable, match=r"AIGW_UPSTREAM_DIR=.* is not an Envoy AI"):
        upstream.upstream_root()


def test_an_unreachable_module_says_why(fresh_resolver: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fresh_resolver.delenv(upstream.ENV_DIR, raising=False)
    fresh_resolver.setenv("GOPROXY", "off")
    fresh_resolver.setenv("GOMODCACHE", str(tmp_path / "modcache"))
    with pytest.raises(UpstreamUnavailable, match=r"go mod download github.com/envoyproxy"):
        upstream.upstream_root()


def test_params_skip_with_the_reason_or_fail_when_required(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def unavailable() -> list[object]:
        raise UpstreamUnavailable("no proxy")

    monkeypatch.delenv(upstream.ENV_REQUIRE, raising=False)
    (param,) = upstream.upstream_params(unavailable)
    (mark,) = param.marks  # type: ignore[attr-defined]
    assert mark.name == "skip" and "no proxy" in mark.kwargs["reason"]
    monkeypatch.setenv(upstream.ENV_REQUIRE, "1")
    with pytest.raises(UpstreamUnavailable):
        upstream.upstream_params(unavailable)
