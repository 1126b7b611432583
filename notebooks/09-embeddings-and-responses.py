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
# # 9 · Embeddings and the Responses API
#
# Envoy AI Gateway routes more than chat: `/v1/embeddings`, the OpenAI **Responses API**
# (`/v1/responses`, streamed or not, and `/v1/responses/input_tokens`), images, audio, Cohere's
# rerank and more — every endpoint goes through the same route rules, credentials, usage and cost
# accounting. This notebook runs offline: the local gateway in front of the simulator, which
# answers like OpenAI with deterministic vectors and text.

# %%
import math

import aigw_sdk as aigw
from aigw_sdk.client import GatewayClient
from aigw_sdk.models import LLMRequestCost
from aigw_sdk.widgets import view

# %% [markdown]
# ## 1. One route for an embedding model and a chat model
#
# The `openai()` preset routes each model name to an `AIServiceBackend` with the OpenAI schema. The
# route's `llmRequestCosts` turn every response's usage into costs (here: input and output
# tokens), whatever the endpoint.

# %%
bundle = aigw.presets.openai(
    api_key="sk-offline-demo", models=["text-embedding-3-small", "gpt-4o-mini"]
)
route = bundle.named("AIGatewayRoute", "envoy-ai-gateway-basic-openai")
route.spec.llm_request_costs = [
    LLMRequestCost(metadata_key="input", type="InputToken"),
    LLMRequestCost(metadata_key="output", type="OutputToken"),
]
view(bundle.validate())

# %%
gateway = aigw.LocalGateway(simulator=True).start()
gateway.apply(gateway.simulated(bundle))
client = GatewayClient(gateway.url, admin_url=gateway.admin_url)
[model.id for model in client.list_models()]

# %% [markdown]
# ## 2. Embeddings (`POST $GATEWAY_URL/v1/embeddings`)
#
# One vector per input, in order. `dimensions` shortens them (text-embedding-3 models).

# %%
texts = [
    "The gateway routes requests by model name.",
    "Envoy AI Gateway sends each model to its backend.",
    "Bananas are rich in potassium.",
]
result = client.embeddings(model="text-embedding-3-small", input=texts, dimensions=256)
print(len(result.vectors), "vectors of", result.dimensions, "dimensions")
print("usage:", result.usage)

# %% [markdown]
# The vectors are unit length, so cosine similarity is a dot product. (The simulator's vectors
# are hashes of the text, so the numbers carry no meaning — with a real model the two gateway
# sentences would be closest.)


# %%
def cosine(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


for i in range(len(texts)):
    for j in range(i + 1, len(texts)):
        print(f"{i}~{j}: {cosine(result.vectors[i], result.vectors[j]):+.3f}")
print("norm:", round(math.sqrt(cosine(result.vectors[0], result.vectors[0])), 6))

# %% [markdown]
# The official `openai` SDK works unchanged with `base_url=$GATEWAY_URL/v1` (it asks for base64
# vectors and decodes them):

# %%
openai_client = client.openai_client()
official = openai_client.embeddings.create(
    model="text-embedding-3-small", input=texts[0], dimensions=256
)
print(len(official.data[0].embedding), official.usage.prompt_tokens)
pairs = zip(official.data[0].embedding, result.vectors[0], strict=True)
print("same vector:", all(math.isclose(a, b, rel_tol=1e-6) for a, b in pairs))

# %% [markdown]
# ## 3. The Responses API (`POST $GATEWAY_URL/v1/responses`)

# %%
response = client.responses(
    model="gpt-4o-mini",
    input="What does an AI gateway do?",
    instructions="Answer in one sentence.",
)
print(response.status)
print(response.text)
print("usage:", response.usage)

# %% [markdown]
# ### Streaming
#
# With `stream=True` the API sends typed events (`response.created`, `response.output_text.delta`,
# …, `response.completed`); the client yields them and keeps the final response.

# %%
stream = client.responses(model="gpt-4o-mini", input="Stream a short answer.", stream=True)
kinds = []
with stream:
    for event in stream:
        kinds.append(event.type)
        print(event.text, end="")
print()
print(sorted(set(kinds)))
print(stream.final.status, stream.final.usage)

# %% [markdown]
# The same stream through the official SDK's helper:

# %%
with openai_client.responses.stream(model="gpt-4o-mini", input="Stream a short answer.") as events:
    deltas = [e.delta for e in events if e.type == "response.output_text.delta"]
    final = events.get_final_response()
print("".join(deltas) == final.output_text == stream.final.text)

# %% [markdown]
# Counting the input tokens of a request before sending it (`/v1/responses/input_tokens`):

# %%
counted = openai_client.responses.input_tokens.count(
    model="gpt-4o-mini", input="What does an AI gateway do?"
)
counted.input_tokens

# %% [markdown]
# ## 4. Usage and costs for every endpoint
#
# The gateway's metrics count tokens per operation: `embeddings` and `responses` next to `chat`.

# %%
metrics = client.metrics()
for operation in ("embeddings", "responses", "responses_input_tokens"):
    requests = metrics.requests(gen_ai_operation_name=operation)
    tokens = {
        kind: metrics.tokens(kind, gen_ai_operation_name=operation) for kind in ("input", "output")
    }
    print(f"{operation:24} requests={requests} tokens={tokens}")

# %%
openai_client.close()
client.close()
gateway.stop()
