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
# # 8 · See every request
# Envoy AI Gateway is watched through OpenTelemetry: `aigw run` exports a span per LLM call over
# OTLP when the standard `OTEL_*` variables say so (its docs show the traces in Arize Phoenix),
# with OpenInference attributes — model, messages, token counts — or the OpenTelemetry GenAI ones.
# The local gateway does the same, and adds a request id to every response, an access log with
# upstream's fields and `GET /requests`, the last requests with their latency and tokens.
#
# This notebook stays offline: the spans go to a small OTLP receiver on `127.0.0.1` that keeps
# them in memory. With Phoenix (`pip install arize-phoenix`, then `phoenix serve`) set
# `OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:6006` instead and open that page.

# %%
import os

import httpx

import aigw_sdk as aigw
from aigw_sdk.client import GatewayClient, GatewayMetrics
from aigw_sdk.client.traces import TraceReceiver

receiver = TraceReceiver().start()
os.environ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.endpoint
os.environ["OTEL_BSP_SCHEDULE_DELAY"] = "100"  # export every 100 ms (default 5 s)
print("OTLP receiver:", receiver.endpoint)

# %% [markdown]
# The gateway reads the variables when it starts: tracing is off unless an exporter or an OTLP
# endpoint is set, and costs nothing then.

# %%
gateway = aigw.LocalGateway(simulator=True).start()
client = GatewayClient(gateway.url, admin_url=gateway.admin_url)
gateway

# %% [markdown]
# ## The seed's three requests
# Native Anthropic Messages, the OpenAI-compatible chat completion (translated to Anthropic), and a
# streamed message.

# %%
hello = [{"role": "user", "content": "Hello, Claude!"}]
reply = client.messages(model="claude-sonnet-4-5", max_tokens=100, messages=hello)
completion = client.chat(model="claude-sonnet-4-5", messages=hello)
story = [{"role": "user", "content": "Tell me a short story."}]
stream = client.messages(model="claude-sonnet-4-5", max_tokens=100, stream=True, messages=story)
streamed = stream.until_done()
print(reply.text[:60], "|", completion.text[:60], "|", streamed.text[:60])

# %% [markdown]
# One span each, named as upstream names them (`Message`, `ChatCompletion`), with the client's
# view of the call: what it sent and what it got back — after translation for the chat
# completion, folded from the events for the stream (the span ends when the stream does).

# %%
spans = receiver.wait_for(3)
for span in spans:
    a = span.attributes
    print(
        f"{span.name:15} {span.kind:9} {span.status:3} system={a['llm.system']:9} "
        f"model={a['llm.model_name']} prompt={a['llm.token_count.prompt']} "
        f"completion={a['llm.token_count.completion']} events={[e for e, _ in span.events]}"
    )

# %% [markdown]
# The attributes of the streamed message: the input as sent, its messages one by one, the
# invocation parameters, the output message, the token counts, and the request id.

# %%
for key, value in sorted(spans[2].attributes.items()):
    text = "(a generated UUID)" if key.endswith("x-request-id") else str(value)
    print(f"{key:48} {text[:70]}{'…' if len(text) > 70 else ''}")

# %% [markdown]
# ## One trace from the client to the upstream
# A client that sends a W3C `traceparent` gets the gateway's span as a child of its own; the
# gateway sends its span's context on to the upstream, and the request id (taken from
# `x-request-id`, or made up) comes back in the response, in the access log and on the span.

# %%
trace_id, parent_id = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
response = httpx.post(
    f"{gateway.url}/v1/chat/completions",
    json={"model": "claude-sonnet-4-5", "messages": hello},
    headers={"traceparent": f"00-{trace_id}-{parent_id}-01", "x-request-id": "notebook-req-1"},
)
span = receiver.wait_for(4)[-1]
print("same trace:", span.trace_id == trace_id, "| parent:", span.parent_span_id == parent_id)
print(
    "request id:",
    response.headers["x-request-id"],
    span.attributes["http.request.header.x-request-id"],
)

# %% [markdown]
# ## The last requests
# `GET /requests` on the admin port (`gateway.requests()`) lists the most recent requests: request
# id, status, latency, time to first token for streams, and tokens. The status panel's table
# reads it.

# %%
rows = gateway.requests()
for row in rows:
    given = row["x-request-id"].startswith("notebook")
    print(
        f"{row['x-request-id'] if given else '(generated)':14} {row['request.path']:24} "
        f"{row['response_code']} "
        f"stream={row['stream']!s:5} ttft={'yes' if row['ttft_ms'] is not None else '-':3} "
        f"tokens={row['input_tokens']}/{row['output_tokens']}"
    )

# %%
# NBVAL_IGNORE_OUTPUT
for row in rows:
    print(f"{row['request.path']:24} {row['duration_ms']:8.2f} ms  ttft {row['ttft_ms']} ms")

# %% [markdown]
# ## The same requests in `/metrics`
# The gen_ai histograms (upstream's names, buckets and labels), parsed with prometheus_client.
# Model names are client input: past 50 distinct values per label (`AIGW_METRICS_MAX_LABEL_VALUES`)
# new ones count under `_OTHER`, so `/metrics` stays small whatever clients send.

# %%
print(GatewayMetrics.parse(gateway.metrics()))

# %% [markdown]
# ## Redaction and the GenAI conventions
# Prompts and completions are recorded by default, as OpenInference does; the
# `OPENINFERENCE_HIDE_*` variables redact them (token counts stay: they are metadata).
# `AI_GATEWAY_TRACING_SEMCONV=gen_ai` switches to the OpenTelemetry GenAI conventions, where
# message content is opt-in (`OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true`).


# %%
def one_span(**env: str) -> dict:
    """Start a gateway with these variables, send one request, return its span's attributes."""
    os.environ.update(env)
    receiver.clear()
    try:
        with aigw.LocalGateway(simulator=True) as other:
            GatewayClient(other.url).messages(
                model="claude-sonnet-4-5", max_tokens=50, messages=hello
            )
            [received] = receiver.wait_for(1)
    finally:
        for name in env:
            del os.environ[name]
    return {"name": received.name, "kind": received.kind, **received.attributes}


hidden = one_span(OPENINFERENCE_HIDE_INPUTS="true", OPENINFERENCE_HIDE_OUTPUTS="true")
print({k: hidden[k] for k in ("input.value", "output.value", "llm.token_count.prompt")})

# %%
genai = one_span(AI_GATEWAY_TRACING_SEMCONV="gen_ai")
for key in sorted(k for k in genai if k.startswith("gen_ai") or k in ("name", "kind")):
    print(f"{key:40} {genai[key]}")

# %% [markdown]
# ## Clean up

# %%
client.close()
gateway.stop()
receiver.stop()
del os.environ["OTEL_EXPORTER_OTLP_ENDPOINT"], os.environ["OTEL_BSP_SCHEDULE_DELAY"]
gateway
