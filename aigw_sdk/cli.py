"""The ``aigw-sdk`` command line: one dispatcher, each command with its own parser and help.

Exit codes: 0 success, 1 validation (or apply) failure, 2 usage error or unreadable input,
3 timeout (cluster waits), 141 stdout closed by its reader (as after SIGPIPE). `diff` exits 1 when
there are differences, like `kubectl diff`.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from aigw_sdk import presets
from aigw_sdk.conversion import ConversionError
from aigw_sdk.errors import APIDeprecationWarning, BundleLoadError
from aigw_sdk.serialization.yaml import read_sources
from aigw_sdk.validation.report import ValidationReport, load_located

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
EXIT_BROKEN_PIPE = 128 + 13  # as a process ended by SIGPIPE
PROG = "aigw-sdk"

Entry = Callable[[list[str]], int]


@dataclass(frozen=True)
class Command:
    """A subcommand: its one-line summary and the function that runs it on its own arguments."""

    summary: str
    entry: Entry
    extra: str | None = None  # the pip extra it needs, named when its import fails


def _run(argv: list[str]) -> int:
    from gateway.app import run_main

    return run_main(argv, prog=f"{PROG} run")


def _simulator(argv: list[str]) -> int:
    from gateway.simulator.__main__ import main as simulator_main

    return simulator_main(argv, prog=f"{PROG} simulator")


def _demo(argv: list[str]) -> int:
    from aigw_sdk.demo import demo_main

    return demo_main(argv)


def _cluster(name: str) -> Entry:
    def entry(argv: list[str]) -> int:
        from aigw_sdk.apply.cli import cluster_main

        return cluster_main([name, *argv])

    return entry


def _offline(name: str) -> Entry:
    def entry(argv: list[str]) -> int:
        parser = _offline_parser(name)
        ns = parser.parse_args(argv)
        try:
            result: int = ns.handler(ns)
        except BundleLoadError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        return result

    return entry


COMMANDS: dict[str, Command] = {
    "run": Command(
        "serve bundles on the local gateway (the simulator when no API key is set)", _run, "gateway"
    ),
    "simulator": Command(
        "run the Anthropic/OpenAI simulator upstream alone", _simulator, "gateway"
    ),
    "demo": Command("the seed 'Connect Anthropic' walkthrough end to end", _demo, "gateway"),
    "validate": Command(
        "validate bundles offline like the Kubernetes API server", _offline("validate")
    ),
    "convert": Command("convert AI Gateway objects to another API version", _offline("convert")),
    "new": Command("print a preset bundle (anthropic, openai)", _offline("new")),
    "apply": Command("server-side apply bundles to a cluster", _cluster("apply"), "kubernetes"),
    "diff": Command("show what apply would change on a cluster", _cluster("diff"), "kubernetes"),
    "delete": Command("delete a bundle's objects from a cluster", _cluster("delete"), "kubernetes"),
    "status": Command(
        "show a bundle's objects and conditions on a cluster", _cluster("status"), "kubernetes"
    ),
}


def package_version() -> str:
    """The installed distribution's version."""
    try:
        return version("aigw-sdk")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "unknown"


def _top_help() -> str:
    width = max(len(name) for name in COMMANDS)
    lines = [
        f"usage: {PROG} [-h] [--version] COMMAND [ARGS...]",
        "",
        "Build, validate, run and apply Envoy AI Gateway bundles.",
        "",
        "commands:",
        *(f"  {name:<{width}}  {cmd.summary}" for name, cmd in COMMANDS.items()),
        "",
        "options:",
        "  -h, --help  show this help and exit",
        "  --version   print the version and exit",
        "",
        f"Run '{PROG} COMMAND --help' for the options of a command.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``aigw-sdk`` console script."""
    try:
        code = _dispatch(list(sys.argv[1:] if argv is None else argv))
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`aigw-sdk ... | head`): stop quietly like a C tool killed by
        # SIGPIPE, and point stdout at /dev/null so the flush at exit does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    return code


def _dispatch(args: list[str]) -> int:
    if not args:
        sys.stderr.write(_top_help())
        return EXIT_USAGE
    name, rest = args[0], args[1:]
    if name in ("-h", "--help"):
        sys.stdout.write(_top_help())
        return EXIT_OK
    if name == "--version":
        print(f"{PROG} {package_version()}")
        return EXIT_OK
    command = COMMANDS.get(name)
    if command is None:
        print(
            f"{PROG}: error: unknown command {name!r} (choose from {', '.join(COMMANDS)})",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        return command.entry(rest)
    except ModuleNotFoundError as exc:
        if command.extra is None:
            raise
        print(
            f"error: '{PROG} {name}' needs the {command.extra} extra ({exc.name} is missing): "
            f"pip install 'aigw-sdk[{command.extra}]'",
            file=sys.stderr,
        )
        return EXIT_USAGE


# -- the offline commands: validate, convert, new ------------------------------------------


def _offline_parser(name: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"{PROG} {name}", description=COMMANDS[name].summary)
    if name == "validate":
        parser.add_argument("files", nargs="+", metavar="FILE", help="file, directory or '-'")
        parser.add_argument(
            "-o",
            "--output",
            choices=("text", "json", "github"),
            default="text",
            help="text; json (issues and a summary); github (GitHub Actions annotations)",
        )
        parser.add_argument("--env", action="store_true", help="expand ${VAR} references first")
        parser.add_argument("--strict", action="store_true", help="fail on warnings too")
        parser.set_defaults(handler=_validate)
    elif name == "convert":
        parser.add_argument("files", nargs="+", metavar="FILE", help="file, directory or '-'")
        parser.add_argument("--to", choices=("v1beta1", "v1alpha1"), default="v1beta1")
        parser.set_defaults(handler=_convert)
    else:
        parser.add_argument("preset", choices=("anthropic", "openai"))
        parser.add_argument("--model", action="append", dest="models", metavar="M")
        parser.add_argument(
            "--api-key", default=None, help="value for the Secret (default: placeholder)"
        )
        parser.set_defaults(handler=_new)
    return parser


def read_inputs(files: Sequence[str]) -> list[tuple[str, str]]:
    """(text, name) of each file, each YAML file of a directory, and stdin (`<stdin>`) for `-`."""
    texts: list[tuple[str, str]] = []
    for name in files:
        if name == "-":
            texts.append((sys.stdin.read(), "<stdin>"))
        else:
            texts.extend(read_sources(Path(name)))
    return texts


def _validate(ns: argparse.Namespace) -> int:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", APIDeprecationWarning)
        texts = read_inputs(ns.files)
        bundle, origins = load_located(texts, expand_env=ns.env)
    report = ValidationReport.of(bundle, origins, files=len(texts))
    valid = report.errors == 0 and not (ns.strict and report.warnings)
    if ns.output == "json":
        print(report.to_json(valid=valid))
    else:
        for item in report.issues:
            print(item.github() if ns.output == "github" else item)
        print(report.summary_line())
    return EXIT_OK if valid else EXIT_INVALID


def _convert(ns: argparse.Namespace) -> int:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", APIDeprecationWarning)
        bundle, _ = load_located(read_inputs(ns.files))
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
