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
# # 2 · More models
#
# The guide's *Configuring More Models* step: add a `claude-opus-4` rule to the route, hot-apply it
# to the running gateway, list the models and route requests by model.

# %%
import aigw_sdk as aigw
from aigw_sdk.client import GatewayClient, NotFoundError
from aigw_sdk.widgets import BundleEditor, StatusPanel, view

# %%
gateway = aigw.LocalGateway(simulator=True).start()
client = GatewayClient(gateway.url, admin_url=gateway.admin_url)
gateway

# %%
bundle = aigw.presets.anthropic(api_key="sk-ant-offline-demo")
gateway.apply(gateway.simulated(bundle))
[model.id for model in client.list_models()]

# %% [markdown]
# Add the rule (a copy of the bundle; the route gains a second rule to the same backend):

# %%
bigger = aigw.presets.with_model(bundle, "claude-opus-4")
view(bigger.named("AIGatewayRoute", "envoy-ai-gateway-basic-anthropic"))

# %% [markdown]
# The bundle editor validates as you type and applies to the local gateway (through the
# simulator). Edit the YAML or pick a preset; here it is driven from code.

# %%
editor = BundleEditor(bigger, gateway=gateway)
editor

# %%
editor.apply()

# %%
[model.id for model in client.list_models()]

# %% [markdown]
# Each model is routed by its rule (the gateway sets `x-ai-eg-model` from the body):

# %%
question = [{"role": "user", "content": "Which model are you?"}]
for model in ["claude-sonnet-4-5", "claude-opus-4"]:
    reply = client.messages(model=model, max_tokens=50, messages=question)
    print(f"{model:18} -> {reply.model}: {reply.text[:48]}")
print(client.chat(model="claude-opus-4", messages=question).model)

# %% [markdown]
# A model without a rule gets the gateway's 404, in the error format of the API that was called:

# %%
try:
    client.messages(model="claude-haiku-4-5", max_tokens=50, messages=question)
except NotFoundError as error:
    print(error.status, error.message)
    print("fix:", error.hint)

# %%
StatusPanel(gateway)

# %%
client.close()
gateway.stop()
gateway
