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
# # 4 · Prompt caching
#
# Mark a long system prompt with `cache_control: {"type": "ephemeral"}`. The first request writes
# the prefix to the cache (`cache_creation_input_tokens`), the next ones read it
# (`cache_read_input_tokens`) at a tenth of the input price. The simulator caches like the API:
# prefixes of at least 1024 tokens, 5 minute lifetime.

# %%
import aigw_sdk as aigw
from aigw_sdk.client import GatewayClient
from aigw_sdk.widgets import view

# %%
gateway = aigw.LocalGateway(simulator=True).start()
client = GatewayClient(gateway.url, admin_url=gateway.admin_url)
gateway

# %%
bundle = aigw.presets.anthropic(api_key="sk-ant-offline-demo")
gateway.apply(gateway.simulated(bundle))

# %%
policy = "You are the support assistant of Example Corp. " + " ".join(
    f"Policy {n}: answer politely, cite the handbook section {n}, never promise refunds."
    for n in range(80)
)
system = [{"type": "text", "text": policy, "cache_control": {"type": "ephemeral"}}]
print(len(policy), "characters")

# %%
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

# %% [markdown]
# ### Cost
#
# Prices per million tokens for Claude Sonnet 4.5: input \$3, cache write (5 min) \$3.75,
# cache read \$0.30, output \$15.

# %%
PRICE = {"input": 3.00, "cache_write": 3.75, "cache_read": 0.30, "output": 15.00}  # USD / MTok


def cost(usage):
    return (
        usage.input_tokens * PRICE["input"]
        + usage.cache_creation_input_tokens * PRICE["cache_write"]
        + usage.cache_read_input_tokens * PRICE["cache_read"]
        + usage.output_tokens * PRICE["output"]
    ) / 1_000_000


def uncached(usage):
    return (
        usage.total_input_tokens * PRICE["input"] + usage.output_tokens * PRICE["output"]
    ) / 1_000_000


for usage in usages:
    print(f"${cost(usage):.6f} (without caching ${uncached(usage):.6f})")
total, baseline = sum(map(cost, usages)), sum(map(uncached, usages))
print(f"total ${total:.6f} vs ${baseline:.6f}: {100 * (1 - total / baseline):.0f}% saved")

# %% [markdown]
# The gateway's gen_ai metrics split the input tokens the same way:

# %%
metrics = client.metrics()
for token_type in ["input", "cached_input", "cache_creation_input", "output"]:
    print(f"{token_type:22} {metrics.tokens(token_type)}")

# %% [markdown]
# The gateway can also compute a cost per request itself: `llmRequestCosts` on the route (a CEL
# expression over the token counts) is evaluated at the end of each response.

# %%
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

# %%
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
    model="claude-sonnet-4-5",
    max_tokens=80,
    system=system,
    messages=[{"role": "user", "content": "How do I reset my password?"}],
)
print(reply.usage)
print(access_log[-1]["costs"])

# %%
client.close()
gateway.stop()
gateway
