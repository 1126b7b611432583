"""Write the example notebooks (sources only); execute them afterwards so outputs are real:

    .venv/bin/python notebooks/_generate.py
    .venv/bin/jupyter nbconvert --to notebook --execute --inplace notebooks/0*.ipynb
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent
Cell = tuple[str, str]


def md(text: str) -> Cell:
    return ("md", text.strip())


def code(text: str) -> Cell:
    return ("code", text.strip())


SETUP = code(
    """
import aigw_sdk as aigw
from aigw_sdk.client import GatewayClient
from aigw_sdk.widgets import view
"""
)

START = code(
    """
gateway = aigw.LocalGateway(simulator=True).start()
client = GatewayClient(gateway.url, admin_url=gateway.admin_url)
gateway
"""
)

STOP = code(
    """
client.close()
gateway.stop()
gateway
"""
)

HELLO = '[{"role": "user", "content": "Hello, Claude!"}]'

CONNECT: list[Cell] = [
    md(
        """
# 1 · Connect Anthropic

The *Connect Anthropic* guide of Envoy AI Gateway, step by step — offline. Instead of a
Kubernetes cluster this notebook runs the bundled **local gateway** and, instead of
`api.anthropic.com`, the **simulator**, which answers like the Anthropic API with deterministic
text. Swap in a real key and `gateway.apply(bundle)` to talk to Claude for real.
"""
    ),
    code(
        """
import os
from pathlib import Path
import tempfile

import aigw_sdk as aigw
from aigw_sdk.client import GatewayClient
from aigw_sdk.widgets import ChatPlayground, StatusPanel, stream_to_display, view
"""
    ),
    md(
        """
## 1. The configuration template

The guide starts from `examples/basic/anthropic.yaml`. The same six objects, built in code: an
`AIGatewayRoute` that sends `claude-sonnet-4-5` to an `AIServiceBackend` with the Anthropic schema,
the `BackendSecurityPolicy` that injects the key as `x-api-key`, the Envoy Gateway `Backend`, its
TLS policy and the `Secret`. The table shows each object's validation status.
"""
    ),
    code(
        """
bundle = aigw.presets.anthropic()
bundle
"""
    ),
    md("The YAML shape, as downloaded with `curl -O …/anthropic.yaml`, loads into the same objects:"),
    code(
        """
workdir = Path(tempfile.mkdtemp())
(workdir / "anthropic.yaml").write_text(bundle.to_yaml())
loaded = aigw.load_yaml(workdir / "anthropic.yaml")
print(loaded.to_yaml()[:600])
print("...")
print("same objects as the preset:", loaded.to_dicts() == bundle.to_dicts())
"""
    ),
    md(
        """
## 2. Configure the credentials

Validation (the API server's own checks, offline) flags the placeholder `ANTHROPIC_API_KEY`:
"""
    ),
    code("view(loaded.validate())"),
    md(
        """
Put the key in. Here it comes from `$ANTHROPIC_API_KEY` when set; offline any value works
because the simulator stands in for Anthropic. Secret values are masked in every repr.
"""
    ),
    code(
        """
bundle = aigw.presets.anthropic(api_key=os.environ.get("ANTHROPIC_API_KEY", "sk-ant-offline-demo"))
view(bundle.validate())
"""
    ),
    code("view(bundle.named('Secret', 'envoy-ai-gateway-basic-anthropic-apikey'))"),
    md(
        """
## 3. Apply the configuration

`kubectl apply` becomes `gateway.apply(...)` on a local gateway. `simulated()` returns a copy of
the bundle whose `Backend` points at the simulator (and whose `Secret` holds the simulator's key).
"""
    ),
    START,
    code("gateway.apply(gateway.simulated(bundle))"),
    md(
        """
## 4. Test the configuration

### Native Anthropic Messages API (`POST $GATEWAY_URL/anthropic/v1/messages`)
"""
    ),
    code(
        f"""
print(client.health())
print([model.id for model in client.list_models()])
reply = client.messages(model="claude-sonnet-4-5", max_tokens=100, messages={HELLO})
print(reply.text)
print(reply.stop_reason, reply.usage)
"""
    ),
    md(
        """
The official `anthropic` SDK works unchanged with `base_url=$GATEWAY_URL/anthropic`
(`client.anthropic_client()` builds one). The SDK warns that this model name is deprecated; the
notice is not about the gateway, so it is silenced here.
"""
    ),
    code(
        f"""
import warnings

warnings.filterwarnings("ignore", message="The model .* is deprecated")
claude = client.anthropic_client()
answer = claude.messages.create(model="claude-sonnet-4-5", max_tokens=100, messages={HELLO})
print(answer.content[0].text)
print(answer.usage.input_tokens, answer.usage.output_tokens)
"""
    ),
    md("### OpenAI-compatible API (`POST $GATEWAY_URL/v1/chat/completions`)"),
    code(
        f"""
completion = client.chat(model="claude-sonnet-4-5", messages={HELLO})
print(completion.text)
print(completion.finish_reason, completion.usage)

openai_answer = client.openai_client().chat.completions.create(
    model="claude-sonnet-4-5", messages={HELLO}
)
print(openai_answer.choices[0].message.content == completion.text)
"""
    ),
    md(
        """
### Streaming

Tokens are rendered as they arrive; the cell ends with a summary (answer, usage, stop reason).
Time to first token and latency are shown live and kept on the stream object.
"""
    ),
    code(
        """
story = [{"role": "user", "content": "Tell me a short story."}]
stream = client.messages(model="claude-sonnet-4-5", max_tokens=100, stream=True, messages=story)
stream_to_display(stream)
"""
    ),
    code(
        """
print(stream.done, stream.final.stop_reason)
print(stream.usage)
print("time to first token measured:", stream.timings.ttft is not None)
"""
    ),
    code(
        """
stream_to_display(client.chat(model="claude-sonnet-4-5", stream=True, messages=story))
"""
    ),
    md(
        """
## Chat playground

Pick a model (from `/v1/models`), the API style, a system prompt, `max_tokens`, temperature and
streaming, then type and press **Send**. It can be driven from code too:
"""
    ),
    code(
        """
chat = ChatPlayground(client)
chat
"""
    ),
    code(
        """
result = chat.send("Hello from the notebook!")
print(result.text)
print(chat)
"""
    ),
    md("## Gateway status: health, routes → backends, traffic counters from `/metrics`"),
    code("StatusPanel(gateway)"),
    md("## Clean up"),
    STOP,
]

MORE_MODELS: list[Cell] = [
    md(
        """
# 2 · More models

The guide's *Configuring More Models* step: add a `claude-opus-4` rule to the route, hot-apply it
to the running gateway, list the models and route requests by model.
"""
    ),
    code(
        """
import aigw_sdk as aigw
from aigw_sdk.client import GatewayClient, NotFoundError
from aigw_sdk.widgets import BundleEditor, StatusPanel, view
"""
    ),
    START,
    code(
        """
bundle = aigw.presets.anthropic(api_key="sk-ant-offline-demo")
gateway.apply(gateway.simulated(bundle))
[model.id for model in client.list_models()]
"""
    ),
    md("Add the rule (a copy of the bundle; the route gains a second rule to the same backend):"),
    code(
        """
bigger = aigw.presets.with_model(bundle, "claude-opus-4")
view(bigger.named("AIGatewayRoute", "envoy-ai-gateway-basic-anthropic"))
"""
    ),
    md(
        """
The bundle editor validates as you type and applies to the local gateway (through the
simulator). Edit the YAML or pick a preset; here it is driven from code.
"""
    ),
    code(
        """
editor = BundleEditor(bigger, gateway=gateway)
editor
"""
    ),
    code("editor.apply()"),
    code("[model.id for model in client.list_models()]"),
    md("Each model is routed by its rule (the gateway sets `x-ai-eg-model` from the body):"),
    code(
        """
question = [{"role": "user", "content": "Which model are you?"}]
for model in ["claude-sonnet-4-5", "claude-opus-4"]:
    reply = client.messages(model=model, max_tokens=50, messages=question)
    print(f"{model:18} -> {reply.model}: {reply.text[:48]}")
print(client.chat(model="claude-opus-4", messages=question).model)
"""
    ),
    md("A model without a rule gets the gateway's plain-text 404:"),
    code(
        """
try:
    client.messages(model="claude-haiku-4-5", max_tokens=50, messages=question)
except NotFoundError as error:
    print(error.status, error.message)
    print("fix:", error.hint)
"""
    ),
    code("StatusPanel(gateway)"),
    STOP,
]

FALLBACK: list[Cell] = [
    md(
        """
# 3 · Provider fallback

Two Anthropic backends on one route: `primary-anthropic` at priority 0 and
`secondary-anthropic` at priority 1, plus the `BackendTrafficPolicy` that retries on 5xx and
connect failures. The primary is made to fail by fault injection: its backend reference sets the
simulator's `x-sim-status: 500` header, so every attempt there is answered with a 500.
"""
    ),
    code(
        """
import json
import logging

import httpx

import aigw_sdk as aigw
from aigw_sdk.client import GatewayClient
from aigw_sdk.models import HTTPHeaderMutation
from aigw_sdk.presets import Provider
from aigw_sdk.widgets import StatusPanel, view
"""
    ),
    code(
        """
primary = Provider("primary-anthropic", "Anthropic", "api.anthropic.com", api_key="sk-ant-primary")
secondary = Provider("secondary-anthropic", "Anthropic", "api.anthropic.com", api_key="sk-ant-secondary")
bundle = aigw.presets.provider_fallback(primary, secondary, models=["claude-sonnet-4-5"], retry_status_codes=[500, 503])
view(bundle)
"""
    ),
    code("view(bundle.named('BackendTrafficPolicy', 'provider-fallback'))"),
    START,
    md("Point both providers at the simulator, then break the primary:"),
    code(
        """
offline = gateway.simulated(bundle)
route = offline.named("AIGatewayRoute", "provider-fallback").model_copy(deep=True)
route.spec.rules[0].backend_refs[0].header_mutation = HTTPHeaderMutation(
    set=[{"name": "x-sim-status", "value": "500"}]
)
offline.add(route)
print([str(row) for row in aigw.widgets.route_rows(offline)])
view(offline.validate())
"""
    ),
    code("gateway.apply(offline)"),
    md(
        """
Record the gateway's access log (one JSON line per request) to see which backend answered and
after how many attempts:
"""
    ),
    code(
        """
access_log = []


class Collect(logging.Handler):
    def emit(self, record):
        access_log.append(json.loads(record.getMessage()))


logging.getLogger("gateway.access").addHandler(Collect())
logging.getLogger("gateway.access").setLevel(logging.INFO)
"""
    ),
    code(
        """
reply = client.messages(
    model="claude-sonnet-4-5", max_tokens=60, messages=[{"role": "user", "content": "Are you there?"}]
)
print(reply.text)
entry = access_log[-1]
print("status", entry["status"], "| backend", entry["backend"], "| attempts", entry["attempts"])
"""
    ),
    md(
        """
The client saw one successful answer. Upstream, the simulator received two requests (the failed
primary attempt and the secondary), and the gateway's gen_ai metrics count one request with no
error:
"""
    ),
    code(
        """
print("upstream requests:", httpx.get(gateway.simulator_url + "/_sim/stats").json()["requests"])
metrics = client.metrics()
print("gateway requests:", metrics.requests(), "errors:", metrics.errors())
print(metrics)
"""
    ),
    md("Streaming falls back the same way (the retry happens before the first byte is sent):"),
    code(
        """
stream = client.messages(
    model="claude-sonnet-4-5", max_tokens=60, stream=True, messages=[{"role": "user", "content": "Stream please"}]
)
print(stream.until_done().text)
print("backend", access_log[-1]["backend"], "| attempts", access_log[-1]["attempts"])
"""
    ),
    md("Without the secondary, the primary's 500 reaches the client as a typed error:"),
    code(
        """
only_primary = aigw.Bundle(offline.resources)
route_primary = route.model_copy(deep=True)
route_primary.spec.rules[0].backend_refs = route_primary.spec.rules[0].backend_refs[:1]
only_primary.add(route_primary)
print(gateway.apply(only_primary)["generation"])
try:
    client.messages(model="claude-sonnet-4-5", max_tokens=60, messages=[{"role": "user", "content": "Hi"}])
except aigw.client.GatewayError as error:
    print(type(error).__name__, error.status, error.error_type, error.message)
print("errors now:", client.metrics().errors())
"""
    ),
    code("StatusPanel(gateway)"),
    STOP,
]

CACHING: list[Cell] = [
    md(
        """
# 4 · Prompt caching

Mark a long system prompt with `cache_control: {"type": "ephemeral"}`. The first request writes
the prefix to the cache (`cache_creation_input_tokens`), the next ones read it
(`cache_read_input_tokens`) at a tenth of the input price. The simulator caches like the API:
prefixes of at least 1024 tokens, 5 minute lifetime.
"""
    ),
    SETUP,
    START,
    code(
        """
bundle = aigw.presets.anthropic(api_key="sk-ant-offline-demo")
gateway.apply(gateway.simulated(bundle))
"""
    ),
    code(
        """
policy = "You are the support assistant of Example Corp. " + " ".join(
    f"Policy {n}: answer politely, cite the handbook section {n}, never promise refunds." for n in range(80)
)
system = [{"type": "text", "text": policy, "cache_control": {"type": "ephemeral"}}]
print(len(policy), "characters")
"""
    ),
    code(
        """
usages = []
for question in ["How do I reset my password?", "Where is my invoice?", "Can I get a refund?"]:
    reply = client.messages(
        model="claude-sonnet-4-5",
        max_tokens=80,
        system=system,
        messages=[{"role": "user", "content": question}],
    )
    usages.append(reply.usage)
    print(f"{question:30} {reply.usage}")
"""
    ),
    md(
        """
### Cost

Prices per million tokens for Claude Sonnet 4.5: input \\$3, cache write (5 min) \\$3.75,
cache read \\$0.30, output \\$15.
"""
    ),
    code(
        """
PRICE = {"input": 3.00, "cache_write": 3.75, "cache_read": 0.30, "output": 15.00}  # USD / MTok


def cost(usage):
    return (
        usage.input_tokens * PRICE["input"]
        + usage.cache_creation_input_tokens * PRICE["cache_write"]
        + usage.cache_read_input_tokens * PRICE["cache_read"]
        + usage.output_tokens * PRICE["output"]
    ) / 1_000_000


def uncached(usage):
    return (usage.total_input_tokens * PRICE["input"] + usage.output_tokens * PRICE["output"]) / 1_000_000


for usage in usages:
    print(f"${cost(usage):.6f} (without caching ${uncached(usage):.6f})")
total, baseline = sum(map(cost, usages)), sum(map(uncached, usages))
print(f"total ${total:.6f} vs ${baseline:.6f}: {100 * (1 - total / baseline):.0f}% saved")
"""
    ),
    md("The gateway's gen_ai metrics split the input tokens the same way:"),
    code(
        """
metrics = client.metrics()
for token_type in ["input", "cached_input", "cache_creation_input", "output"]:
    print(f"{token_type:22} {metrics.tokens(token_type)}")
"""
    ),
    md(
        """
The gateway can also compute a cost per request itself: `llmRequestCosts` on the route (a CEL
expression over the token counts) is evaluated at the end of each response.
"""
    ),
    code(
        """
from aigw_sdk.models import LLMRequestCost

route = bundle.named("AIGatewayRoute", "envoy-ai-gateway-basic-anthropic").model_copy(deep=True)
route.spec.llm_request_costs = [
    LLMRequestCost(metadata_key="llm_total_token", type="TotalToken"),
    LLMRequestCost(metadata_key="llm_cached_input_token", type="CachedInputToken"),
    # micro-USD: input_tokens includes cache reads and writes, so take those out first
    LLMRequestCost(
        metadata_key="cost_micro_usd",
        type="CEL",
        cel="input_tokens >= cached_input_tokens + cache_creation_input_tokens ? "
        "((input_tokens - cached_input_tokens - cache_creation_input_tokens) * uint(300)"
        " + cache_creation_input_tokens * uint(375) + cached_input_tokens * uint(30)"
        " + output_tokens * uint(1500)) / uint(100) : uint(0)",
    ),
]
with_costs = aigw.Bundle(bundle.resources).add(route)
view(with_costs.validate())
"""
    ),
    code(
        """
import json
import logging

access_log = []


class Collect(logging.Handler):
    def emit(self, record):
        access_log.append(json.loads(record.getMessage()))


logging.getLogger("gateway.access").addHandler(Collect())
logging.getLogger("gateway.access").setLevel(logging.INFO)
gateway.apply(gateway.simulated(with_costs))
reply = client.messages(
    model="claude-sonnet-4-5", max_tokens=80, system=system,
    messages=[{"role": "user", "content": "How do I reset my password?"}],
)
print(reply.usage)
print(access_log[-1]["costs"])
"""
    ),
    STOP,
]

TROUBLESHOOTING: list[Cell] = [
    md(
        """
# 5 · Troubleshooting

The guide's table of common errors, reproduced on the simulator: what each looks like through the
gateway, the typed exception the client raises, and the fix.

| status | meaning | fix |
|---|---|---|
| 401 | invalid API key | verify the key in the backend's `Secret` |
| 429 | rate limited | check usage limits; retry after `retry-after` |
| 400 | bad request | set `max_tokens` on the Messages API |
| 503 | service unavailable | retry later, or add a fallback provider |
"""
    ),
    code(
        """
import time

import aigw_sdk as aigw
from aigw_sdk.client import GatewayClient, GatewayError
from aigw_sdk.models import Secret
from aigw_sdk.widgets import view

HELLO = [{"role": "user", "content": "Hello, Claude!"}]


def explain(error):
    print(f"{type(error).__name__}: HTTP {error.status}, type {error.error_type!r}")
    print(f"  message: {error.message}")
    print(f"  fix:     {error.hint}")
"""
    ),
    START,
    code(
        """
bundle = aigw.presets.anthropic(api_key="sk-ant-offline-demo")
good = gateway.simulated(bundle)
gateway.apply(good)
"""
    ),
    md("## 401 — invalid API key\n\nA `Secret` with the wrong key: the provider rejects it, the gateway passes the error on."),
    code(
        """
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
"""
    ),
    md("Fix: put the right key in the Secret and apply again (the gateway reloads without a restart)."),
    code(
        """
print(gateway.apply(good)["generation"])
print(client.messages(model="claude-sonnet-4-5", max_tokens=100, messages=HELLO).text[:40])
"""
    ),
    md(
        """
## 429 — rate limited

The simulator's `x-sim-status` header stands in for an exhausted quota; `retry-after` says when
to come back.
"""
    ),
    code(
        """
try:
    client.messages(
        model="claude-sonnet-4-5", max_tokens=100, messages=HELLO,
        extra_headers={"x-sim-status": "429", "x-sim-retry-after": "1"},
    )
except GatewayError as error:
    explain(error)
    print("  retry after:", error.retry_after, "s")
    time.sleep(error.retry_after)
print(client.messages(model="claude-sonnet-4-5", max_tokens=100, messages=HELLO).stop_reason)
"""
    ),
    md("## 400 — `max_tokens` missing\n\nThe Messages API requires `max_tokens` (the OpenAI-compatible endpoint does not)."),
    code(
        """
try:
    client.messages(model="claude-sonnet-4-5", max_tokens=None, messages=HELLO)
except GatewayError as error:
    explain(error)
print(client.messages(model="claude-sonnet-4-5", max_tokens=100, messages=HELLO).stop_reason)
print(client.chat(model="claude-sonnet-4-5", messages=HELLO).finish_reason)
"""
    ),
    md("## 503 — service unavailable"),
    code(
        """
for status in ["503", "529"]:
    try:
        client.messages(
            model="claude-sonnet-4-5", max_tokens=100, messages=HELLO, extra_headers={"x-sim-status": status}
        )
    except GatewayError as error:
        explain(error)
"""
    ),
    md(
        """
Fix: retry, or let the gateway do it — a `BackendTrafficPolicy` retry with a second provider (see
notebook 3). Errors also show up mid-stream, as an `error` event:
"""
    ),
    code(
        """
stream = client.messages(
    model="claude-sonnet-4-5", max_tokens=100, messages=HELLO, stream=True,
    extra_headers={"x-sim-fail-after-events": "4"},
)
received = []
try:
    for event in stream:
        received.append(event.type)
except GatewayError as error:
    print(received)
    explain(error)
"""
    ),
    md("## 404 — no route for the model"),
    code(
        """
try:
    client.chat(model="claude-3-opus", messages=HELLO)
except GatewayError as error:
    explain(error)
"""
    ),
    md("Every failed request is counted in the gateway's metrics (`error.type` label):"),
    code(
        """
metrics = client.metrics()
print("requests:", metrics.requests(), "errors:", metrics.errors())
"""
    ),
    STOP,
]

CLUSTER: list[Cell] = [
    md(
        """
# 6 · Apply to a cluster

Render the bundle, see what would change, dry-run it on the API server, apply it with
server-side apply and wait for the controller to accept it.

With no cluster configured this notebook starts the project's **test API server**
(`tests/kube_apiserver`: discovery, the AI Gateway CRDs with their schema and CEL validation,
server-side apply and a controller stand-in) on 127.0.0.1. To use a real cluster, set
`AIGW_KUBECONFIG` to a kubeconfig path before starting the kernel.
"""
    ),
    code(
        """
import os
import sys
import tempfile
from pathlib import Path

import aigw_sdk as aigw
from aigw_sdk.widgets import BundleEditor, view

kubeconfig = os.environ.get("AIGW_KUBECONFIG")
if kubeconfig:
    server = None
    cluster = aigw.Cluster(kubeconfig)
else:
    sys.path.insert(0, str(Path.cwd().parent / "tests"))
    from kube_apiserver import KubeAPIServer

    server = KubeAPIServer().start()
    cluster = aigw.Cluster(server.kubeconfig_path(Path(tempfile.mkdtemp())))
print("AI Gateway CRDs served:", sorted(cluster.check_crds().served))
"""
    ),
    md("## Render and validate"),
    code(
        """
bundle = aigw.presets.anthropic(api_key=os.environ.get("ANTHROPIC_API_KEY", "sk-ant-offline-demo"))
print(bundle.named("AIGatewayRoute", "envoy-ai-gateway-basic-anthropic").to_dict())
view(bundle.validate())
"""
    ),
    md("## Diff against the cluster (Secret values masked) and dry-run"),
    code("print(cluster.diff(bundle))"),
    code('print(cluster.apply(bundle, dry_run="server"))'),
    md("## Apply and wait for the controller"),
    code(
        """
print(cluster.apply(bundle))
for condition in cluster.wait(bundle, timeout=60):
    print(condition.ref.kind, condition.ref.name, condition.reported, condition.ready)
"""
    ),
    code("print(cluster.diff(bundle))"),
    md("## Change it: more models"),
    code(
        """
bigger = aigw.presets.with_model(bundle, "claude-opus-4")
print(cluster.diff(bigger))
"""
    ),
    md("The bundle editor can dry-run and apply to the cluster too:"),
    code(
        """
editor = BundleEditor(bigger, cluster=cluster)
print(editor.dry_run())
print(editor.apply_to_cluster())
"""
    ),
    md("The API server rejects what validation already flagged, with the same messages:"),
    code(
        """
broken = aigw.load_yaml(bigger.to_yaml().replace("type: Exact", "type: Fuzzy", 1))
view(broken.validate())
"""
    ),
    code(
        """
try:
    cluster.apply(broken, validate=False)
except aigw.AIGWError as error:
    print(type(error).__name__)
    print(error)
"""
    ),
    md("## Clean up"),
    code(
        """
print(cluster.delete(bigger))
cluster.close()
if server is not None:
    server.stop()
"""
    ),
]

NOTEBOOKS = {
    "01-connect-anthropic.ipynb": CONNECT,
    "02-more-models.ipynb": MORE_MODELS,
    "03-provider-fallback.ipynb": FALLBACK,
    "04-prompt-caching.ipynb": CACHING,
    "05-troubleshooting.ipynb": TROUBLESHOOTING,
    "06-apply-to-a-cluster.ipynb": CLUSTER,
}


def build(cells: list[Cell]) -> nbformat.NotebookNode:
    notebook = new_notebook(
        cells=[new_markdown_cell(src) if kind == "md" else new_code_cell(src) for kind, src in cells]
    )
    notebook.metadata["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": "python3",
    }
    notebook.metadata["language_info"] = {"name": "python"}
    return notebook


def main() -> None:
    for name, cells in NOTEBOOKS.items():
        nbformat.write(build(cells), HERE / name)
        print("wrote", name)


if __name__ == "__main__":
    main()
