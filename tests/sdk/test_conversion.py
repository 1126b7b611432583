"""v1alpha1 <-> v1beta1 conversion."""

from __future__ import annotations

import pytest

import aigw_sdk as aigw
from aigw_sdk.conversion import ConversionError, convert_resource
from aigw_sdk.models import BackendSecurityPolicyV1alpha1


def _policy(**spec: object) -> aigw.BackendSecurityPolicy:
    return aigw.BackendSecurityPolicy.model_validate({"metadata": {"name": "p"}, "spec": spec})


def test_round_trip_through_v1alpha1() -> None:
    bundle = aigw.presets.anthropic(api_key="k")
    with pytest.warns(aigw.APIDeprecationWarning):
        old = bundle.convert("v1alpha1")
    assert {r.api_version for r in old if r.kind == "AIGatewayRoute"} == {
        "aigateway.envoyproxy.io/v1alpha1"
    }
    back = old.convert("v1beta1")
    assert back.to_dicts() == bundle.to_dicts()


def test_credential_override_cannot_go_to_v1alpha1() -> None:
    policy = _policy(
        type="APIKey",
        apiKey={"secretRef": {"name": "s"}},
        credentialOverride={"fromRequestHeaders": {}},
    )
    with pytest.raises(ConversionError, match="credentialOverride exists only in v1beta1"):
        convert_resource(policy, "v1alpha1")


def test_gcp_adc_cannot_go_to_v1alpha1() -> None:
    policy = _policy(type="GCPCredentials", gcpCredentials={"projectName": "p", "region": "r"})
    with pytest.raises(ConversionError, match="exactly one of"):
        convert_resource(policy, "v1alpha1")


def test_v1alpha1_to_v1beta1() -> None:
    with pytest.warns(aigw.APIDeprecationWarning):
        old = BackendSecurityPolicyV1alpha1.model_validate(
            {
                "metadata": {"name": "p"},
                "spec": {"type": "APIKey", "apiKey": {"secretRef": {"name": "s"}}},
            }
        )
    new = convert_resource(old, "v1beta1")
    assert isinstance(new, aigw.BackendSecurityPolicy)
    assert new.to_dict()["spec"] == old.to_dict()["spec"]


def test_unknown_target_version() -> None:
    with pytest.raises(ConversionError, match="unknown version"):
        convert_resource(_policy(type="APIKey"), "v2")
