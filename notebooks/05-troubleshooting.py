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
# # 5 · Troubleshooting
#
# The guide's table of common errors, reproduced on the simulator: what each looks like through the
# gateway, the typed exception the client raises, and the fix.
#
# | status | meaning | fix |
# |---|---|---|
# | 401 | invalid API key | verify the key in the backend's `Secret` |
# | 429 | rate limited | check usage limits; retry after `retry-after` |
# | 400 | bad request | set `max_tokens` on the Messages API |
# | 503 | service unavailable | retry later, or add a fallback provider |

# %%
import time

import aigw_sdk as aigw
from aigw_sdk.client import GatewayClient, GatewayError
from aigw_sdk.models import Secret

HELLO = [{"role": "user", "content": "Hello, Claude!"}]


def explain(error):
    print(f"{type(error).__name__}: HTTP {error.status}, type {error.error_type!r}")
    print(f"  message: {error.message}")
    print(f"  fix:     {error.hint}")


# %%
gateway = aigw.LocalGateway(simulator=True).start()
client = GatewayClient(gateway.url, admin_url=gateway.admin_url)
gateway

# %%
bundle = aigw.presets.anthropic(api_key="sk-ant-offline-demo")
good = gateway.simulated(bundle)
gateway.apply(good)

# %% [markdown]
# ## 401 — invalid API key
#
# A `Secret` with the wrong key: the provider rejects it, the gateway passes the error on.

# %%
wrong = aigw.Bundle(good.resources).add(
    Secret(
        metadata={"name": "envoy-ai-gateway-basic-anthropic-apikey", "namespace": "default"},
        type="Opaque",
        string_data={"apiKey": "sk-ant-wrong-key"},
    )
)
print(gateway.apply(wrong)["generation"])
try:
    client.messages(model="claude-sonnet-4-5", max_tokens=100, messages=HELLO)
except GatewayError as error:
    explain(error)
    print("  key shown anywhere?", "sk-ant-wrong-key" in str(error) + repr(error) + error.body)

# %% [markdown]
# Fix: put the right key in the Secret and apply again (the gateway reloads without a restart).

# %%
print(gateway.apply(good)["generation"])
print(client.messages(model="claude-sonnet-4-5", max_tokens=100, messages=HELLO).text[:40])

# %% [markdown]
# ## 429 — rate limited
#
# The simulator's `x-sim-status` header stands in for an exhausted quota; `retry-after` says when
# to come back.

# %%
try:
    client.messages(
        model="claude-sonnet-4-5",
        max_tokens=100,
        messages=HELLO,
        extra_headers={"x-sim-status": "429", "x-sim-retry-after": "1"},
    )
except GatewayError as error:
    explain(error)
    print("  retry after:", error.retry_after, "s")
    time.sleep(error.retry_after)
print(client.messages(model="claude-sonnet-4-5", max_tokens=100, messages=HELLO).stop_reason)

# %% [markdown]
# ## 400 — `max_tokens` missing
#
# The Messages API requires `max_tokens` (the OpenAI-compatible endpoint does not).

# %%
try:
    client.messages(model="claude-sonnet-4-5", max_tokens=None, messages=HELLO)
except GatewayError as error:
    explain(error)
print(client.messages(model="claude-sonnet-4-5", max_tokens=100, messages=HELLO).stop_reason)
print(client.chat(model="claude-sonnet-4-5", messages=HELLO).finish_reason)

# %% [markdown]
# ## 503 — service unavailable

# %%
for status in ["503", "529"]:
    try:
        client.messages(
            model="claude-sonnet-4-5",
            max_tokens=100,
            messages=HELLO,
            extra_headers={"x-sim-status": status},
        )
    except GatewayError as error:
        explain(error)

# %% [markdown]
# Fix: retry, or let the gateway do it — a `BackendTrafficPolicy` retry with a second provider (see
# notebook 3). Errors also show up mid-stream, as an `error` event:

# %%
stream = client.messages(
    model="claude-sonnet-4-5",
    max_tokens=100,
    messages=HELLO,
    stream=True,
    extra_headers={"x-sim-fail-after-events": "4"},
)
received = []
try:
    for event in stream:
        received.append(event.type)
except GatewayError as error:
    print(received)
    explain(error)

# %% [markdown]
# ## 404 — no route for the model

# %%
try:
    client.chat(model="claude-3-opus", messages=HELLO)
except GatewayError as error:
    explain(error)

# %% [markdown]
# Every failed request is counted in the gateway's metrics (`error.type` label):

# %%
metrics = client.metrics()
print("requests:", metrics.requests(), "errors:", metrics.errors())

# %%
client.close()
gateway.stop()
gateway
