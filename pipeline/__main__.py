"""Command line of the pipeline; the nox sessions call it.

python -m pipeline generate [VENDOR ...]          regenerate generated/ (atomic, verified)
python -m pipeline check [VENDOR ...]             regenerate into staging and fail on any difference
python -m pipeline prepare [VENDOR ...]           write the prepared specs only (for review)
python -m pipeline update-specs VENDOR=SRC ... [--upstream VENDOR=URL] [--copy VENDOR=TEXT] [--note VENDOR=TEXT]
                                                  vendor new specs (URL or path) and their provenance; a path
                                                  needs --upstream (the vendor's URL), --copy names the public copy
python -m pipeline api-diff [--against REF] [VENDOR ...]   API changes of generated/ since REF, facade check
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.build import CACHE, build
from pipeline.errors import PipelineError
from pipeline.prepare import prepare, write_prepared
from pipeline.vendors import vendors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project root (default: current directory)")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("generate", "regenerate generated/ from specs/"),
        ("check", "fail if generated/ differs from what specs/ produce"),
        ("prepare", "write prepared specs to .pipeline-cache/prepared/"),
    ):
        sub.add_parser(name, help=text).add_argument("vendors", nargs="*", help="fourthwall, shipbob (default: all)")
    update_parser = sub.add_parser("update-specs", help="vendor new specs into specs/ (all or nothing)")
    update_parser.add_argument("sources", nargs="+", metavar="VENDOR=URL-OR-PATH")
    for option, text in (
        ("upstream", "the vendor's upstream URL of a spec read from a path (recorded as its source)"),
        ("copy", "the public copy the file came from, e.g. 'github.com/owner/repo@COMMIT path'"),
        ("note", "a free-text note for the provenance record"),
    ):
        update_parser.add_argument(f"--{option}", action="append", default=[], metavar="VENDOR=...", help=text)
    diff_parser = sub.add_parser("api-diff", help="API changes of generated/ since a git ref, and the facade check")
    diff_parser.add_argument("--against", default="HEAD", help="git ref to compare with (default: HEAD)")
    diff_parser.add_argument("vendors", nargs="*", help="fourthwall, shipbob (default: all)")
    args = parser.parse_args(argv)
    if args.command == "update-specs":
        return _update_specs(args.root.resolve(), args.sources, args.upstream, args.copy, args.note)
    if args.command == "api-diff":
        return _api_diff(args.root.resolve(), args.against, args.vendors)
    root = args.root.resolve()
    try:
        selected = vendors(root, args.vendors)
        if args.command == "prepare":
            for vendor in selected:
                print(write_prepared(prepare(vendor), root / CACHE / "prepared").relative_to(root))
            return 0
        result = build(root, selected, check=args.command == "check")
    except PipelineError as err:
        print(f"error: {err}", file=sys.stderr)
        print("generated/ was left unchanged.", file=sys.stderr)
        return 1
    print(result.summary())
    if args.command == "check":
        if result.differences:
            print("generated/ does not match what the pipeline makes from specs/:", file=sys.stderr)
            for line in result.differences:
                print(f"  {line}", file=sys.stderr)
            print("Run `nox -s generate` and commit, and never edit generated/ by hand.", file=sys.stderr)
            return 1
        print("generated/ matches specs/.")
    return 0


def _api_diff(root: Path, against: str, names: list[str]) -> int:
    from pipeline.api_diff import check_facade, diff, surface_at_ref
    from pipeline.surface import surface

    try:
        selected = vendors(root, names)
    except PipelineError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    for vendor in selected:
        old = surface_at_ref(root, against, vendor.package)
        print(diff(vendor.package, old, surface(root / "generated" / vendor.package)).report())
    clean, output = check_facade(root)
    if clean:
        print("facade/ type-checks against the generated clients.")
        return 0
    print("facade/ no longer type-checks against the generated clients (mypy):", file=sys.stderr)
    print(output, file=sys.stderr)
    return 1


def _update_specs(root: Path, items: list[str], upstream: list[str], copy: list[str], note: list[str]) -> int:
    from pipeline.update import parse_sources, update_specs

    try:
        updates = update_specs(root, parse_sources(items, upstream=upstream, copy=copy, note=note))
    except PipelineError as err:
        print(f"error: {err}", file=sys.stderr)
        print("specs/ was left unchanged.", file=sys.stderr)
        return 1
    for update in updates:
        state = "updated" if update.changed else "unchanged (same bytes; provenance refreshed)"
        origin = f"{update.source} (copy: {update.copy})" if update.copy else update.source
        print(f"{update.vendor.name}: {update.vendor.rel(update.vendor.spec)} {state} from {origin}")
    print("Next: `nox -s generate` (it prints the API diff), then review and commit specs/ and generated/.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
