"""The ``aigw-sdk`` command line.

Exit codes: 0 success, 1 validation (or apply) failure, 2 usage error or unreadable input,
3 timeout (cluster waits).
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from collections.abc import Sequence

from aigw_sdk import presets
from aigw_sdk.bundle import load_yaml
from aigw_sdk.conversion import ConversionError
from aigw_sdk.errors import APIDeprecationWarning, BundleLoadError

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``aigw-sdk`` console script."""
    args = list(sys.argv[1:] if argv is None else argv)
    # Commands served by other parts of the product are dispatched before argparse sees them.
    if args and args[0] in ("run", "simulator"):
        from gateway.app import run_main

        return run_main(args)
    if args and args[0] in ("apply", "diff", "delete", "status"):
        from aigw_sdk.apply.cli import cluster_main

        return cluster_main(args)
    if args and args[0] == "demo":
        from aigw_sdk.demo import demo_main

        return demo_main(args[1:])
    parser = _parser()
    ns = parser.parse_args(args)
    try:
        result: int = ns.handler(ns)
        return result
    except BundleLoadError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aigw-sdk",
        description="Build, validate and run Envoy AI Gateway bundles. More commands: run, "
        "simulator, demo (local gateway); apply, diff, delete, status (cluster).",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    validate = sub.add_parser("validate", help="validate bundles offline like the API server")
    validate.add_argument("files", nargs="+", metavar="FILE")
    validate.add_argument("-o", "--output", choices=("text", "json"), default="text")
    validate.add_argument("--env", action="store_true", help="expand ${VAR} references first")
    validate.set_defaults(handler=_validate)

    convert = sub.add_parser("convert", help="convert AI Gateway objects to another version")
    convert.add_argument("files", nargs="+", metavar="FILE")
    convert.add_argument("--to", choices=("v1beta1", "v1alpha1"), default="v1beta1")
    convert.set_defaults(handler=_convert)

    new = sub.add_parser("new", help="print a preset bundle")
    new.add_argument("preset", choices=("anthropic", "openai"))
    new.add_argument("--model", action="append", dest="models", metavar="M")
    new.add_argument("--api-key", default=None, help="value for the Secret (default: placeholder)")
    new.set_defaults(handler=_new)
    return parser


def _validate(ns: argparse.Namespace) -> int:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", APIDeprecationWarning)
        bundle = load_yaml(*ns.files, substitute_env=ns.env)
    issues = bundle.validate()
    if ns.output == "json":
        print(json.dumps([issue.to_dict() for issue in issues], indent=2))
    else:
        for issue in issues:
            print(issue)
        errors = sum(issue.severity == "error" for issue in issues)
        print(f"{len(bundle)} object(s), {errors} error(s), {len(issues) - errors} warning(s)")
    return EXIT_INVALID if any(issue.severity == "error" for issue in issues) else EXIT_OK


def _convert(ns: argparse.Namespace) -> int:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", APIDeprecationWarning)
        bundle = load_yaml(*ns.files)
        try:
            converted = bundle.convert(ns.to)
        except ConversionError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_INVALID
    sys.stdout.write(converted.to_yaml())
    return EXIT_OK


def _new(ns: argparse.Namespace) -> int:
    if ns.preset == "anthropic":
        bundle = presets.anthropic(
            api_key=ns.api_key or "ANTHROPIC_API_KEY", models=ns.models or ["claude-sonnet-4-5"]
        )
    else:
        bundle = presets.openai(
            api_key=ns.api_key or "OPENAI_API_KEY", models=ns.models or ["gpt-4o-mini"]
        )
    sys.stdout.write(bundle.to_yaml())
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
