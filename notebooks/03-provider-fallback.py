# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     notebook_metadata_filter: -jupytext.text_representation
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 3 · Provider fallback
#
# Two Anthropic backends on one route: `primary-anthropic` at priority 0 and
# `secondary-anthropic` at priority 1, plus the `BackendTrafficPolicy` that retries on 5xx and
# connect failures. The primary is made to fail by fault injection: its backend reference sets the
# simulator's `x-sim-status: 500` header, so every attempt there is answered with a 500.

# %%
import json
import logging

import httpx

import aigw_sdk as aigw
from aigw_sdk.client import GatewayClient
from aigw_sdk.models import HTTPHeaderMutation
from aigw_sdk.presets import Provider
from aigw_sdk.widgets import StatusPanel, view

# %%
primary = Provider("primary-anthropic", "Anthropic", "api.anthropic.com", api_key="sk-ant-primary")
secondary = Provider(
    "secondary-anthropic", "Anthropic", "api.anthropic.com", api_key="sk-ant-secondary"
)
bundle = aigw.presets.provider_fallback(
    primary, secondary, models=["claude-sonnet-4-5"], retry_status_codes=[500, 503]
)
view(bundle)

# %%
view(bundle.named("BackendTrafficPolicy", "provider-fallback"))

# %%
gateway = aigw.LocalGateway(simulator=True).start()
client = GatewayClient(gateway.url, admin_url=gateway.admin_url)
gateway

# %% [markdown]
# Point both providers at the simulator, then break the primary:

# %%
offline = gateway.simulated(bundle)
route = offline.named("AIGatewayRoute", "provider-fallback").model_copy(deep=True)
route.spec.rules[0].backend_refs[0].header_mutation = HTTPHeaderMutation(
    set=[{"name": "x-sim-status", "value": "500"}]
)
offline.add(route)
print([str(row) for row in aigw.widgets.route_rows(offline)])
view(offline.validate())

# %%
gateway.apply(offline)

# %% [markdown]
# Record the gateway's access log (one JSON line per request) to see which backend answered and
# after how many attempts:

# %%
access_log = []


class Collect(logging.Handler):
    def emit(self, record):
        access_log.append(json.loads(record.getMessage()))


logging.getLogger("gateway.access").addHandler(Collect())
logging.getLogger("gateway.access").setLevel(logging.INFO)

# %%
reply = client.messages(
    model="claude-sonnet-4-5",
    max_tokens=60,
    messages=[{"role": "user", "content": "Are you there?"}],
)
print(reply.text)
entry = access_log[-1]
print("status", entry["response_code"], "| backend", entry["backend"], end=" ")
print("| attempts", entry["attempts"])

# %% [markdown]
# The client saw one successful answer. Upstream, the simulator received two requests (the failed
# primary attempt and the secondary), and the gateway's gen_ai metrics count one request with no
# error:

# %%
print("upstream requests:", httpx.get(gateway.simulator_url + "/_sim/stats").json()["requests"])
metrics = client.metrics()
print("gateway requests:", metrics.requests(), "errors:", metrics.errors())
print(metrics)

# %% [markdown]
# Streaming falls back the same way (the retry happens before the first byte is sent):

# %%
stream = client.messages(
    model="claude-sonnet-4-5",
    max_tokens=60,
    stream=True,
    messages=[{"role": "user", "content": "Stream please"}],
)
print(stream.until_done().text)
print("backend", access_log[-1]["backend"], "| attempts", access_log[-1]["attempts"])

# %% [markdown]
# Without the secondary, the primary's 500 reaches the client as a typed error:

# %%
only_primary = aigw.Bundle(offline.resources)
route_primary = route.model_copy(deep=True)
route_primary.spec.rules[0].backend_refs = route_primary.spec.rules[0].backend_refs[:1]
only_primary.add(route_primary)
print(gateway.apply(only_primary)["generation"])
try:
    client.messages(
        model="claude-sonnet-4-5", max_tokens=60, messages=[{"role": "user", "content": "Hi"}]
    )
except aigw.client.GatewayError as error:
    print(type(error).__name__, error.status, error.error_type, error.message)
print("errors now:", client.metrics().errors())

# %%
StatusPanel(gateway)

# %%
client.close()
gateway.stop()
gateway
