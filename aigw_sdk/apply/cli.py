"""``aigw-sdk apply|diff|delete|status -f FILE...``: the cluster commands, for CI pipelines.

Exit codes: 0 success, 1 validation or apply failure, 2 usage error or unreadable input,
3 timeout waiting for conditions. ``diff`` is like ``kubectl diff``: 0 no differences,
1 differences, 2 (or 3) an error. ``-o json`` / ``-o yaml`` print one document on stdout, also on
failure (with an ``error`` member); ``-o name`` prints ``kind.group/name`` of each object acted
on, like kubectl; messages and warnings go to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import yaml

from aigw_sdk.apply.cluster import Cluster
from aigw_sdk.apply.errors import ApplyFailedError, WaitTimeoutError
from aigw_sdk.bundle import Bundle, load_yaml
from aigw_sdk.durations import duration_arg
from aigw_sdk.errors import AIGWError, BundleInvalidError, BundleLoadError

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_TIMEOUT = 0, 1, 2, 3
EXIT_DIFFERENT = 1  # diff found differences
JSON = dict[str, Any]
Handler = Callable[[Cluster, Bundle, argparse.Namespace, JSON], int]


def cluster_main(argv: Sequence[str]) -> int:
    """Run ``argv`` (``argv[0]`` is the subcommand) and return the exit code."""
    parser = _parser()
    try:
        ns = parser.parse_args(list(argv))
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code = _run(ns)
    for warning in caught:
        print(f"warning: {warning.message}", file=sys.stderr)
    return code


def _run(ns: argparse.Namespace) -> int:
    out: JSON = {"command": ns.command}
    handler: Handler = ns.handler
    try:
        bundle = _load(ns.files, ns.env)
        with Cluster(ns.kubeconfig, ns.context, ns.namespace) as cluster:
            code = handler(cluster, bundle, ns, out)
    except BundleLoadError as exc:
        return _fail(ns, out, EXIT_USAGE, exc)
    except BundleInvalidError as exc:
        out["issues"] = [issue.to_dict() for issue in exc.issues]
        return _fail(ns, out, EXIT_FAILED, exc)
    except WaitTimeoutError as exc:
        out["pending"] = exc.pending
        return _fail(ns, out, EXIT_TIMEOUT, exc)
    except ApplyFailedError as exc:
        out.update(exc.report.to_dict())
        return _fail(ns, out, EXIT_FAILED, exc)
    except AIGWError as exc:
        return _fail(ns, out, EXIT_FAILED, exc)
    out["ok"] = code == EXIT_OK or (ns.command == "diff" and code == EXIT_DIFFERENT)
    _print_document(ns, out)
    return code


def _fail(ns: argparse.Namespace, out: JSON, code: int, exc: Exception) -> int:
    if ns.output in ("json", "yaml"):
        out["ok"] = False
        out["error"] = {"type": type(exc).__name__, "message": str(exc)}
        _print_document(ns, out)
    else:
        print(f"error: {exc}", file=sys.stderr)
    if ns.command == "diff" and code == EXIT_FAILED:
        return EXIT_USAGE  # kubectl diff: 1 means "differences", errors are above 1
    return code


def _print_document(ns: argparse.Namespace, out: JSON) -> None:
    if ns.output == "json":
        print(json.dumps(out, indent=2))
    elif ns.output == "yaml":
        sys.stdout.write(yaml.safe_dump(out, sort_keys=False, allow_unicode=True))
    elif ns.output == "name":
        for name in _names(ns.command, out):
            print(name)


def _names(command: str, out: JSON) -> list[str]:
    """kubectl's `-o name` of the objects the command acted on."""
    if command == "diff":
        items = [o for o in out.get("objects", []) if o.get("action") != "unchanged"]
    elif command == "status":
        items = out.get("objects", [])
    else:
        acted = ("deleted",) if command == "delete" else ("created", "configured", "unchanged")
        items = [r for r in out.get("results", []) if r.get("action") in acted]
    return [kubectl_name(item["apiVersion"], item["kind"], item["name"]) for item in items]


def kubectl_name(api_version: str, kind: str, name: str) -> str:
    """``aigatewayroute.aigateway.envoyproxy.io/NAME``, ``secret/NAME`` (core group)."""
    group = api_version.rpartition("/")[0]
    return f"{kind.lower()}{'.' + group if group else ''}/{name}"


def _load(files: list[str], env: bool) -> Bundle:
    sources: list[str | Path] = []
    for name in files:
        if name == "-":
            sources.append(sys.stdin.read())
        elif not Path(name).exists():
            raise BundleLoadError(f"{name}: no such file or directory")
        else:
            sources.append(Path(name))
    return load_yaml(*sources, substitute_env=env)


def _text(ns: argparse.Namespace, text: str) -> None:
    if ns.output == "text" and text:
        print(text)


# -- commands ------------------------------------------------------------------------------------
def _apply(cluster: Cluster, bundle: Bundle, ns: argparse.Namespace, out: JSON) -> int:
    options: JSON = {"validate": ns.validate, "bundle_name": ns.bundle_name}
    if ns.diff:
        diff = cluster.diff(bundle, ns.field_manager, ns.force, **options)
        out["diff"] = diff.to_dict()
        _text(ns, str(diff))
    report = cluster.apply(
        bundle,
        field_manager=ns.field_manager,
        force=ns.force,
        dry_run=None if ns.dry_run == "none" else ns.dry_run,
        prune=ns.prune,
        label_selector=ns.selector,
        **options,
    )
    out.update(report.to_dict())
    _text(ns, str(report))
    if ns.wait and report.dry_run is None:
        return _wait(cluster, bundle, ns, out)
    return EXIT_OK


def _wait(cluster: Cluster, bundle: Bundle, ns: argparse.Namespace, out: JSON) -> int:
    progress = ns.output == "text" and sys.stderr.isatty()
    states = cluster.wait(bundle, ns.condition, ns.timeout, progress=progress)
    out["wait"] = [s.to_dict() for s in states]
    _text(ns, "\n".join(str(s) for s in states))
    return EXIT_OK


def _diff(cluster: Cluster, bundle: Bundle, ns: argparse.Namespace, out: JSON) -> int:
    diff = cluster.diff(
        bundle, ns.field_manager, ns.force, validate=ns.validate, bundle_name=ns.bundle_name
    )
    out.update(diff.to_dict())
    _text(ns, str(diff))
    return EXIT_DIFFERENT if diff.changed else EXIT_OK


def _delete(cluster: Cluster, bundle: Bundle, ns: argparse.Namespace, out: JSON) -> int:
    report = cluster.delete(bundle, dry_run=ns.dry_run == "server")
    out.update(report.to_dict())
    _text(ns, str(report))
    return EXIT_OK


def _status(cluster: Cluster, bundle: Bundle, ns: argparse.Namespace, out: JSON) -> int:
    if ns.wait:
        _wait(cluster, bundle, ns, {})
    states = cluster.status(bundle, ns.condition)
    out["objects"] = [s.to_dict() for s in states]
    _text(ns, "\n".join(str(s) for s in states))
    return EXIT_OK if all(s.ready for s in states) else EXIT_FAILED


# -- arguments -----------------------------------------------------------------------------------
def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aigw-sdk", description="Apply Envoy AI Gateway bundles to a Kubernetes cluster."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    apply = _command(sub, "apply", "server-side apply in dependency order", _apply)
    apply.add_argument("--dry-run", choices=("none", "server", "client"), default="none")
    apply.add_argument("--diff", action="store_true", help="print the diff before applying")
    apply.add_argument(
        "--prune", action="store_true", help="delete objects no longer in the bundle"
    )
    apply.add_argument("-l", "--selector", default=None, help="label selector for --prune")
    _wait_options(apply, "wait for the condition after applying")
    _command(sub, "diff", "show what apply would change (server dry run)", _diff)
    delete = _command(sub, "delete", "delete the bundle's objects", _delete)
    delete.add_argument("--dry-run", choices=("none", "server"), default="none")
    status = _command(sub, "status", "show existence and conditions; exit 1 unless ready", _status)
    _wait_options(status, "wait for the condition first")
    return parser


def _command(sub: Any, name: str, help_text: str, handler: Handler) -> argparse.ArgumentParser:
    cmd: argparse.ArgumentParser = sub.add_parser(name, help=help_text)
    cmd.add_argument(
        "-f",
        "--filename",
        dest="files",
        action="extend",
        nargs="+",
        required=True,
        metavar="FILE",
        help="YAML file or directory ('-' for stdin)",
    )
    cmd.add_argument("--kubeconfig", default=None)
    cmd.add_argument("--context", default=None)
    cmd.add_argument("-n", "--namespace", default=None, help="for objects that set none")
    cmd.add_argument(
        "-o",
        "--output",
        choices=("text", "json", "yaml", "name"),
        default="text",
        help="text, json or yaml (one document, also on failure), name (kind.group/name)",
    )
    cmd.add_argument("--env", action="store_true", help="expand ${VAR} references first")
    cmd.add_argument("--field-manager", default="aigw-sdk")
    cmd.add_argument("--force", action="store_true", help="take ownership of conflicting fields")
    cmd.add_argument("--bundle-name", default=None, help="value of the bundle label")
    cmd.add_argument(
        "--no-validate",
        dest="validate",
        action="store_false",
        help="skip offline validation (the API server still validates)",
    )
    cmd.set_defaults(handler=handler)
    return cmd


def _wait_options(cmd: argparse.ArgumentParser, help_text: str) -> None:
    cmd.add_argument("--wait", action="store_true", help=help_text)
    cmd.add_argument(
        "--timeout",
        type=duration_arg,
        default=300.0,
        metavar="DURATION",
        help="how long to wait: 90, 90s, 3m, 1h30m (default 5m)",
    )
    cmd.add_argument("--for", dest="condition", default="Accepted", metavar="CONDITION")
