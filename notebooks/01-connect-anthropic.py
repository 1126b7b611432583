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
# # 1 · Connect Anthropic
#
# The *Connect Anthropic* guide of Envoy AI Gateway, step by step — offline. Instead of a
# Kubernetes cluster this notebook runs the bundled **local gateway** and, instead of
# `api.anthropic.com`, the **simulator**, which answers like the Anthropic API with deterministic
# text. Swap in a real key and `gateway.apply(bundle)` to talk to Claude for real.

# %%
import os
import tempfile
from pathlib import Path

import aigw_sdk as aigw
from aigw_sdk.client import GatewayClient
from aigw_sdk.widgets import ChatPlayground, StatusPanel, stream_to_display, view

# %% [markdown]
# ## 1. The configuration template
#
# The guide starts from `examples/basic/anthropic.yaml`. The same six objects, built in code:
# an `AIGatewayRoute` that sends `claude-sonnet-4-5` to an `AIServiceBackend` with the Anthropic
# schema, the `BackendSecurityPolicy` that injects the key as `x-api-key`, the Envoy Gateway
# `Backend`, its TLS policy and the `Secret`. The table shows each object's validation status.

# %%
bundle = aigw.presets.anthropic()
bundle

# %% [markdown]
# The YAML shape, as downloaded with `curl -O …/anthropic.yaml`, loads into the same objects:

# %%
workdir = Path(tempfile.mkdtemp())
(workdir / "anthropic.yaml").write_text(bundle.to_yaml())
loaded = aigw.load_yaml(workdir / "anthropic.yaml")
print(loaded.to_yaml()[:600])
print("...")
print("same objects as the preset:", loaded.to_dicts() == bundle.to_dicts())

# %% [markdown]
# ## 2. Configure the credentials
#
# Validation (the API server's own checks, offline) flags the placeholder `ANTHROPIC_API_KEY`:

# %%
view(loaded.validate())

# %% [markdown]
# Put the key in. Here it comes from `$ANTHROPIC_API_KEY` when set; offline any value works
# because the simulator stands in for Anthropic. Secret values are masked in every repr.

# %%
bundle = aigw.presets.anthropic(api_key=os.environ.get("ANTHROPIC_API_KEY", "sk-ant-offline-demo"))
view(bundle.validate())

# %%
view(bundle.named("Secret", "envoy-ai-gateway-basic-anthropic-apikey"))

# %% [markdown]
# ## 3. Apply the configuration
#
# `kubectl apply` becomes `gateway.apply(...)` on a local gateway. `simulated()` returns a copy of
# the bundle whose `Backend` points at the simulator (and whose `Secret` holds the simulator's key).

# %%
gateway = aigw.LocalGateway(simulator=True).start()
client = GatewayClient(gateway.url, admin_url=gateway.admin_url)
gateway

# %%
gateway.apply(gateway.simulated(bundle))

# %% [markdown]
# ## 4. Test the configuration
#
# ### Native Anthropic Messages API (`POST $GATEWAY_URL/anthropic/v1/messages`)

# %%
print(client.health())
print([model.id for model in client.list_models()])
reply = client.messages(
    model="claude-sonnet-4-5",
    max_tokens=100,
    messages=[{"role": "user", "content": "Hello, Claude!"}],
)
print(reply.text)
print(reply.stop_reason, reply.usage)

# %% [markdown]
# The official `anthropic` SDK works unchanged with `base_url=$GATEWAY_URL/anthropic`
# (`client.anthropic_client()` builds one). The SDK warns that this model name is deprecated; the
# notice is not about the gateway, so it is silenced here.

# %%
import warnings

warnings.filterwarnings("ignore", message="The model .* is deprecated")
claude = client.anthropic_client()
answer = claude.messages.create(
    model="claude-sonnet-4-5",
    max_tokens=100,
    messages=[{"role": "user", "content": "Hello, Claude!"}],
)
print(answer.content[0].text)
print(answer.usage.input_tokens, answer.usage.output_tokens)

# %% [markdown]
# ### OpenAI-compatible API (`POST $GATEWAY_URL/v1/chat/completions`)

# %%
completion = client.chat(
    model="claude-sonnet-4-5", messages=[{"role": "user", "content": "Hello, Claude!"}]
)
print(completion.text)
print(completion.finish_reason, completion.usage)

openai_answer = client.openai_client().chat.completions.create(
    model="claude-sonnet-4-5", messages=[{"role": "user", "content": "Hello, Claude!"}]
)
print(openai_answer.choices[0].message.content == completion.text)

# %% [markdown]
# ### Streaming
#
# Tokens are rendered as they arrive; the cell ends with a summary (answer, usage, stop reason).
# Time to first token and latency are shown live and kept on the stream object.

# %%
story = [{"role": "user", "content": "Tell me a short story."}]
stream = client.messages(model="claude-sonnet-4-5", max_tokens=100, stream=True, messages=story)
stream_to_display(stream)

# %%
print(stream.done, stream.final.stop_reason)
print(stream.usage)
print("time to first token measured:", stream.timings.ttft is not None)

# %%
stream_to_display(client.chat(model="claude-sonnet-4-5", stream=True, messages=story))

# %% [markdown]
# ## Chat playground
#
# The model list comes from `/v1/models`; the API style (Anthropic or OpenAI), the system prompt
# and the parameters sit in one row. Type and press **Enter** (Shift+Enter for a new line);
# **Stop** ends a long answer and its upstream request. Answers render as Markdown while they
# stream; tool calls show their arguments and result; each answer has a badge with tokens, cache
# use, time to first token and latency. This chat has one tool, answered by a Python function
# (the simulator calls a tool when the message names it: try *"Use get_weather for Paris"*).


# %%
def get_weather(arguments):
    return {"city": arguments.get("city", "?"), "sky": "sunny", "celsius": 21}


weather = {
    "name": "get_weather",
    "description": "The current weather of a city",
    "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}},
}
chat = ChatPlayground(client, tools=[weather], tool_handlers={"get_weather": get_weather})
chat

# %% [markdown]
# It can be driven from code too:

# %%
result = chat.ask("Hello from the notebook! Reply in **bold** with `code`.")
print(result.text)
print(chat)

# %% [markdown]
# ## Gateway status board
#
# Health, requests and errors per second, latency and time to first token, tokens per model
# over time, and each route's health. It polls `/metrics` while it is on screen, at the interval
# it shows (pause it there); polling stops when it is closed.

# %%
StatusPanel(gateway)

# %% [markdown]
# ## Clean up

# %%
client.close()
gateway.stop()
gateway
