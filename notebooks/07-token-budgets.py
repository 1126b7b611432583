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
# # 7 · Token budgets
#
# Upstream's `examples/token_ratelimit`, run locally and offline. The route records each
# response's token counts in `llmRequestCosts` (metadata namespace `io.envoy.ai_gateway`), and a
# `BackendTrafficPolicy` gives every distinct `x-tenant-id` its own hourly budget per token type:
# the request costs 0 (it only checks the budget), the response costs the tokens it used. A tenant
# whose counter went over its limit gets a `429` until the window resets. The local gateway
# enforces this with the semantics of Envoy's global rate limit: fixed windows aligned to the
# unit, counters in memory (or in Redis with `aigw-sdk run --ratelimit-redis URL`, shared by
# several gateway processes).

# %%
import aigw_sdk as aigw
from aigw_sdk.client import GatewayClient, RateLimitError
from aigw_sdk.widgets import view

# %%
base = aigw.presets.openai(models=["gpt-4o-mini"])
bundle = aigw.presets.token_rate_limits(
    base, {"llm_input_token": 40, "llm_output_token": 400, "llm_total_token": 1000}
)
view(bundle.named("BackendTrafficPolicy", "envoy-ai-gateway-basic-openai-token-ratelimit"))

# %% [markdown]
# Each rule selects requests by the `x-tenant-id` header (`type: Distinct`: one budget per
# value) and reads its response cost from one metadata key:

# %%
policy = bundle.named("BackendTrafficPolicy", "envoy-ai-gateway-basic-openai-token-ratelimit")
for r in policy.spec.rate_limit.global_.rules:
    print(r.limit.requests, "per", r.limit.unit, "of", r.cost.response.metadata.key)

# %%
gateway = aigw.LocalGateway(simulator=True).start()
offline = gateway.simulated(bundle)
view(offline.validate())

# %%
result = gateway.apply(offline)
print("generation", result["generation"], "| warnings:", result["warnings"])
client = GatewayClient(gateway.url, admin_url=gateway.admin_url)


# %% [markdown]
# Tenant `acme` asks until its input-token budget (40 per hour) is spent. Requests are admitted
# while the counter is not above the limit, so the request that crosses it still completes; the
# next one is refused:


# %%
def ask(tenant, text="Summarise the rate limit docs in one line."):
    return client.chat(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": text}],
        extra_headers={"x-tenant-id": tenant},
    )


spent = 0
for attempt in range(1, 20):
    try:
        reply = ask("acme")
    except RateLimitError as error:
        print(f"request {attempt}: {error.status} {error.error_type}: {error.message}")
        print("retry after an hour at most:", 0 < error.retry_after <= 3600)
        break
    spent += reply.usage.input_tokens
    print(f"request {attempt}: ok, {reply.usage.input_tokens} input tokens, {spent} spent")

# %% [markdown]
# Another tenant has its own budget:

# %%
print(ask("globex").text[:60])

# %% [markdown]
# Every response carries Envoy's `x-ratelimit-*` headers for the budget closest to its limit
# (`limit, limit;w=window` for each rule that applied):

# %%
import httpx

response = httpx.post(
    f"{gateway.url}/v1/chat/completions",
    json={"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]},
    headers={"x-tenant-id": "initech"},
)
print(response.status_code, response.headers["x-ratelimit-limit"])
print("remaining:", response.headers["x-ratelimit-remaining"])

# %% [markdown]
# Streams are charged too, once the stream has finished and its usage is known:

# %%
stream = client.chat(
    model="gpt-4o-mini",
    messages=[{"role": "user", "content": "Stream a short answer."}],
    stream=True,
    extra_headers={"x-tenant-id": "globex"},
)
print(stream.until_done().usage)

# %% [markdown]
# The admin API lists every budget and its use in the current window (`GET /ratelimits` on the
# admin port; `LocalGateway.ratelimits()`):


# %%
def budgets():
    for rule in gateway.ratelimits()["rules"]:
        what = rule["response_cost"] or "tokens"
        for counter in rule["counters"]:
            who = counter["descriptor"] or "every request"
            print(f"{what} | {who}: used {counter['used']} of {rule['limit']} per {rule['unit']}")


budgets()

# %% [markdown]
# ## The reset
#
# Windows are fixed and aligned to the unit, as in Envoy's rate-limit service. With a per-second
# budget the reset is quick to see: spend it, get the 429, wait `retry-after`, and the tenant is
# admitted again.

# %%
import time

per_second = aigw.presets.token_rate_limits(base, {"llm_input_token": 10}, unit="Second")
gateway.apply(gateway.simulated(per_second))
time.sleep(1 - time.time() % 1 + 0.05)  # start at the beginning of a window
print("first:", ask("acme").usage.input_tokens, "input tokens")
try:
    ask("acme")
except RateLimitError as error:
    print("second:", error.status, "retry after", error.retry_after, "s")
    time.sleep(error.retry_after)
print("after the reset:", ask("acme").usage.input_tokens, "input tokens")

# %% [markdown]
# ## Quotas
#
# A `QuotaPolicy` (v1alpha1) budgets a model on an `AIServiceBackend` instead: the cost is a CEL
# expression over the token counts (`total_tokens` by default), and `Shared` buckets let a
# request through while any bucket that matches it has room.

# %%
quota = aigw.presets.quota_policy(
    "gpt-quota",
    "envoy-ai-gateway-basic-openai",
    "gpt-4o-mini",
    limit=60,
    cost_expression="input_tokens + output_tokens * 2u",
)
view(quota)

# %%
quoted = gateway.simulated(base)
quoted.add(quota)
gateway.apply(quoted)
for attempt in range(1, 10):
    try:
        ask("anyone")
    except RateLimitError as error:
        print(f"request {attempt}: {error.status}: {error.message}")
        break
    print(f"request {attempt}: ok")
budgets()

# %%
client.close()
gateway.stop()
gateway
