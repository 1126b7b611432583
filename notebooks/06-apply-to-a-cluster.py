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
# # 6 · Apply to a cluster
#
# Render the bundle, see what would change, dry-run it on the API server, apply it with
# server-side apply and wait for the controller to accept it.
#
# With no cluster configured this notebook starts a **real Kubernetes API server** on 127.0.0.1
# (`tests/support/local_cluster.py`: etcd and kube-apiserver, built from their Go modules once
# and cached in `~/.cache/aigw-sdk/bin`; the Envoy AI Gateway CRDs of the pinned release, and
# Gateway API's and Envoy Gateway's) with a small test controller that writes the `Accepted`
# conditions as Envoy AI Gateway's controller does. To use your own cluster, set
# `AIGW_KUBECONFIG` to a kubeconfig path before starting the kernel.

# %%
import os
import sys
from pathlib import Path

import aigw_sdk as aigw
from aigw_sdk.widgets import BundleEditor, view

kubeconfig = os.environ.get("AIGW_KUBECONFIG")
if kubeconfig:
    local = None
    cluster = aigw.Cluster(kubeconfig)
else:
    sys.path.insert(0, str(Path.cwd().parent))
    from tests.support.local_cluster import LocalCluster

    local = LocalCluster().start()
    cluster = aigw.Cluster(local.kubeconfig_path())
print("AI Gateway CRDs served:", sorted(cluster.check_crds().served))

# %% [markdown]
# ## Render and validate

# %%
bundle = aigw.presets.anthropic(api_key=os.environ.get("ANTHROPIC_API_KEY", "sk-ant-offline-demo"))
print(bundle.named("AIGatewayRoute", "envoy-ai-gateway-basic-anthropic").to_dict())
view(bundle.validate())

# %% [markdown]
# ## Diff against the cluster (Secret values masked) and dry-run

# %%
print(cluster.diff(bundle))

# %%
print(cluster.apply(bundle, dry_run="server"))

# %% [markdown]
# ## Apply and wait for the controller

# %%
print(cluster.apply(bundle))
for condition in cluster.wait(bundle, timeout=60):
    print(condition.ref.kind, condition.ref.name, condition.reported, condition.ready)

# %%
print(cluster.diff(bundle))

# %% [markdown]
# ## Change it: more models

# %%
bigger = aigw.presets.with_model(bundle, "claude-opus-4")
print(cluster.diff(bigger))

# %% [markdown]
# The bundle editor can dry-run and apply to the cluster too:

# %%
editor = BundleEditor(bigger, cluster=cluster)
print(editor.dry_run())
print(editor.apply_to_cluster())

# %% [markdown]
# The API server rejects what validation already flagged, with the same messages:

# %%
broken = aigw.load_yaml(bigger.to_yaml().replace("type: Exact", "type: Fuzzy", 1))
view(broken.validate())

# %%
try:
    cluster.apply(broken, validate=False)
except aigw.AIGWError as error:
    print(type(error).__name__)
    print(error)

# %% [markdown]
# ## Clean up

# %%
print(cluster.delete(bigger))
cluster.close()
if local is not None:
    local.stop()
