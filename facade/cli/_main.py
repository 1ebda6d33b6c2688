"""The `commerce-stock` command line (also `python -m facade`): stock levels and reconciliation from the terminal.

    commerce-stock stock fourthwall PRODUCT_ID...   [--format table|jsonl|csv] [--base-url URL] [--concurrency N]
    commerce-stock stock shipbob PRODUCT_ID...      [--format table|jsonl|csv] [--base-url URL] [--concurrency N]
    commerce-stock reconcile [--format table|jsonl|csv] [--only-problems] [--mapping FILE] [--buffer N]

Credentials come from the environment, exactly as `Fourthwall.from_env()` / `ShipBob.from_env()` read them.

Exit codes, `stock`: 0 every product fetched; 1 some products failed (each printed on stderr with its reason);
2 usage or configuration error (say, missing credentials: the message names the environment variables).
Exit codes, `reconcile` (as `diff` does it): 0 every SKU in sync; 1 differences found; 2 trouble: usage,
configuration, credentials, a mapping file that cannot be used, or a vendor listing that could not be read in
full (one line on stderr; no report is printed from a partial listing).

Parsing is the standard library's argparse (usage errors exit 2); the table and progress bar are rich. Not click:
httpx imports its own CLI (click, rich, pygments) on `import httpx` whenever click is installed, which would make
every `import facade` slower. Only `facade.cli` imports rich, so `import facade` stays as cheap as it was.

Example::

    $ FOURTHWALL_USERNAME=shop FOURTHWALL_PASSWORD=... SHIPBOB_TOKEN=... commerce-stock reconcile --only-problems
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Final

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from ..bulk import DEFAULT_CONCURRENCY, InventoryResult, run_many
from ..errors import ConfigurationError, FacadeError
from ..reconcile import LISTINGS, Reconciliation, load_mapping, reconcile
from ..reconcile._text import terminal_safe
from ..stock import Provider, StockLevel
from ._output import FORMATS, write_levels
from ._report import summary_line, write_report

__all__ = ["EXIT_DIFFERENCES", "EXIT_OK", "EXIT_SOME_FAILED", "EXIT_TROUBLE", "EXIT_USAGE", "build_parser", "main"]

EXIT_OK: Final = 0
EXIT_SOME_FAILED: Final = 1  # stock: some products failed
EXIT_DIFFERENCES: Final = 1  # reconcile: differences found
EXIT_USAGE: Final = 2  # argparse's own code for usage errors; configuration errors share it
EXIT_TROUBLE: Final = 2  # reconcile: configuration, credentials, an API that could not be read

PROVIDERS: Final[tuple[Provider, ...]] = ("fourthwall", "shipbob")
_BASE_URL_VARIABLE: Final[Mapping[Provider, str]] = {
    "fourthwall": "FOURTHWALL_BASE_URL",
    "shipbob": "SHIPBOB_BASE_URL",
}
_TITLES: Final[Mapping[Provider, str]] = {"fourthwall": "Fourthwall stock", "shipbob": "ShipBob stock"}
_CREDENTIALS: Final = """\
credentials come from the environment:
  Fourthwall  FOURTHWALL_USERNAME + FOURTHWALL_PASSWORD (Open API user), or FOURTHWALL_ACCESS_TOKEN,
              or FOURTHWALL_CLIENT_ID + FOURTHWALL_CLIENT_SECRET + FOURTHWALL_REFRESH_TOKEN (OAuth app);
              optional FOURTHWALL_BASE_URL
  ShipBob     SHIPBOB_TOKEN (Personal Access Token), or SHIPBOB_CLIENT_ID + SHIPBOB_CLIENT_SECRET +
              SHIPBOB_REFRESH_TOKEN (OAuth app); optional SHIPBOB_CHANNEL_ID, SHIPBOB_ENVIRONMENT=sandbox,
              SHIPBOB_BASE_URL
"""
_STOCK_EPILOG: Final = (
    _CREDENTIALS + "\nexit status: 0 all products fetched, 1 some products failed, 2 usage or configuration error\n"
)
_RECONCILE_EPILOG: Final = (
    _CREDENTIALS
    + """
mapping file (overrides SKU matching; SKUs match after stripping surrounding blanks and folding case):
  JSON  {"FOURTHWALL-SKU": "SHIPBOB-SKU", "OTHER-SKU": 12345}   (an integer is a ShipBob inventory id)
  CSV   header fourthwall_sku,shipbob then one pair per line
  a target matches a ShipBob SKU first; digits that match no SKU are an inventory id

exit status: 0 every SKU in sync, 1 differences found, 2 trouble (configuration, credentials, a vendor that could
not be read in full: no report is printed from partial data)
"""
)


def _open_client(provider: Provider, environ: Mapping[str, str]) -> Any:
    # Imported here, not at the top: `facade/__init__` must be fully initialised first (this module is loaded
    # by `python -m facade`, which imports the package), and `--help` needs no client at all.
    from .. import Fourthwall, ShipBob

    return (Fourthwall if provider == "fourthwall" else ShipBob).from_env(environ=environ)


def build_parser(prog: str | None = None) -> argparse.ArgumentParser:
    """The argument parser of the CLI (`prog` is the name shown in usage lines).

    Example::

        args = build_parser().parse_args(["reconcile", "--only-problems"])
    """
    parser = argparse.ArgumentParser(prog=prog, description="Stock levels from Fourthwall and ShipBob, reconciled.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    stock = commands.add_parser(
        "stock",
        help="print the stock of products at one vendor",
        description="Print the stock of each PRODUCT_ID at PROVIDER, one row per item (variant, inventory item).",
        epilog=_STOCK_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    stock.add_argument("provider", choices=PROVIDERS, metavar="PROVIDER", help="fourthwall or shipbob")
    stock.add_argument("product_ids", nargs="+", metavar="PRODUCT_ID", help="product ids (ShipBob: integers)")
    _add_format(stock)
    stock.add_argument(
        "--base-url",
        metavar="URL",
        help="API base URL (default: FOURTHWALL_BASE_URL / SHIPBOB_BASE_URL, else production)",
    )
    stock.add_argument(
        "--concurrency",
        type=_positive_int,
        default=DEFAULT_CONCURRENCY,
        metavar="N",
        help=f"products fetched at once (default: {DEFAULT_CONCURRENCY}; the client's rate limit still applies)",
    )
    _add_progress(stock, "several products")

    rec = commands.add_parser(
        "reconcile",
        help="compare what Fourthwall offers with what ShipBob can ship, SKU by SKU",
        description="Read Fourthwall's stock and ShipBob's stock and catalog, and print one row per SKU with its "
        "status (in_sync, oversell, lost_sales, only_fourthwall, only_shipbob, duplicate_sku, unlimited, bundle, "
        "unresolved_mapping, unknown_quantity) and the difference after the buffer. Read-only.",
        epilog=_RECONCILE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_format(rec)
    rec.add_argument("--only-problems", action="store_true", help="print only the rows that are not in sync")
    rec.add_argument("--mapping", metavar="FILE", help="Fourthwall SKU -> ShipBob SKU or inventory id (.json, .csv)")
    rec.add_argument(
        "--buffer",
        type=_non_negative_int,
        default=0,
        metavar="N",
        help="units held back from Fourthwall: it should offer ShipBob's fulfillable minus N (default: 0)",
    )
    _add_progress(rec, "the listings are read")
    return parser


def _add_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format", dest="output_format", choices=FORMATS, default="table", help="table (default), jsonl or csv"
    )


def _add_progress(parser: argparse.ArgumentParser, when: str) -> None:
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help=f"progress bar on stderr (default: when stderr is a terminal and {when})",
    )


def _positive_int(text: str) -> int:
    value = int(text)  # argparse turns the ValueError into a usage error naming the option
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def _unique(product_ids: Sequence[str]) -> list[str]:
    # Asking twice for one product costs rate-limit budget and prints duplicate rows.
    return list(dict.fromkeys(product_ids))


def _bad_ids(provider: Provider, product_ids: Sequence[str]) -> list[str]:
    if provider != "shipbob":
        return []
    return [product_id for product_id in product_ids if not (product_id.isascii() and product_id.isdigit())]


def _progress_console(choice: bool | None) -> Console:
    # `--progress` given explicitly draws the bar even when stderr is not a terminal (rich would stay silent).
    return Console(file=sys.stderr, force_terminal=True if choice else None)


def _fetch(
    client: Any, ids: Sequence[Any], *, provider: Provider, concurrency: int, show: bool, choice: bool | None
) -> InventoryResult:
    if not show:
        result: InventoryResult = client.inventory_many(ids, concurrency=concurrency)
        return result
    # With a bar: the same bulk runner `inventory_many` uses, each finished product advancing the bar.
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=_progress_console(choice), transient=True) as progress:
        task = progress.add_task(f"{provider} products", total=len(ids))

        def fetch_and_count(product_id: Any) -> Sequence[StockLevel]:
            try:
                levels: Sequence[StockLevel] = client.inventory(product_id)
                return levels
            finally:  # a failed product is done too (rich's Progress is thread-safe)
                progress.advance(task)

        return run_many(fetch_and_count, ids, concurrency=concurrency)


def _stock(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    provider: Provider = args.provider
    ids = _unique(args.product_ids)
    if bad := _bad_ids(provider, ids):
        parser.error(f"ShipBob product ids are integers, got {', '.join(map(repr, bad))}")
    environ = dict(os.environ)
    if args.base_url is not None:
        environ[_BASE_URL_VARIABLE[provider]] = args.base_url
    show = args.progress if args.progress is not None else len(ids) > 1 and sys.stderr.isatty()
    try:
        with _open_client(provider, environ) as client:
            keys: list[Any] = [int(i) for i in ids] if provider == "shipbob" else list(ids)
            result = _fetch(
                client, keys, provider=provider, concurrency=args.concurrency, show=show, choice=args.progress
            )
    except ConfigurationError as error:
        print(f"error: {terminal_safe(str(error))}", file=sys.stderr)
        return EXIT_USAGE
    write_levels(result.levels, args.output_format, sys.stdout, title=_TITLES[provider])
    for failure in result.failures:
        print(f"error: {provider} product {failure.product_id}: {terminal_safe(failure.reason)}", file=sys.stderr)
    if result.failures:
        print(f"{len(result.failures)} of {len(ids)} products failed.", file=sys.stderr)
        return EXIT_SOME_FAILED
    return EXIT_OK


@contextlib.contextmanager
def _listing_progress(show: bool, choice: bool | None) -> Iterator[Any]:
    """Yield a `progress(listing, count)` callback drawing one counter per listing on stderr (or `None`)."""
    if not show:
        yield None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed} items"), TimeElapsedColumn())
    with Progress(*columns, console=_progress_console(choice), transient=False) as bar:
        tasks: dict[str, TaskID] = {name: bar.add_task(name, total=None) for name in LISTINGS}

        def update(listing: str, count: int) -> None:
            bar.update(tasks[listing], completed=count)

        yield update
        for task in tasks.values():  # every listing finished: show full bars
            bar.update(task, total=bar.tasks[task].completed or 1, completed=bar.tasks[task].completed or 1)


def _trouble(error: FacadeError) -> str:
    where = " ".join(getattr(error, "__notes__", ()))
    prefix = f"could not reconcile ({where})" if where else "could not reconcile"
    return f"error: {prefix}: {type(error).__name__}: {terminal_safe(str(error))}"


def _reconcile(args: argparse.Namespace) -> int:
    show = args.progress if args.progress is not None else sys.stderr.isatty()
    try:
        mapping = load_mapping(args.mapping)  # a bad file costs no request
        with (
            _open_client("fourthwall", os.environ) as fourthwall,
            _open_client("shipbob", os.environ) as shipbob,
            _listing_progress(show, args.progress) as progress,
        ):
            report: Reconciliation = reconcile(
                fourthwall, shipbob, mapping=mapping, buffer=args.buffer, progress=progress
            )
    except ConfigurationError as error:
        print(f"error: {terminal_safe(str(error))}", file=sys.stderr)
        return EXIT_TROUBLE
    except FacadeError as error:
        print(_trouble(error), file=sys.stderr)
        return EXIT_TROUBLE
    rows = report.problems() if args.only_problems else report.rows
    write_report(rows, report, args.output_format, sys.stdout)
    for entry in report.unresolved_mappings:
        what = (
            "no Fourthwall variant has this SKU"
            if entry.reason == "no_fourthwall_sku"
            else ("no ShipBob item has this SKU or inventory id")
        )
        print(
            f"warning: mapping {terminal_safe(entry.fourthwall_sku)!r} -> {terminal_safe(entry.target)!r}: {what}",
            file=sys.stderr,
        )
    if args.output_format != "table":
        print(summary_line(report, shown=len(rows)), file=sys.stderr)
    return EXIT_OK if report.in_sync else EXIT_DIFFERENCES


def main(argv: Sequence[str] | None = None, *, prog: str | None = None) -> int:
    """Run the CLI and return its exit code (the console script passes it to `sys.exit`).

    Example::

        code = main(["reconcile", "--format", "jsonl", "--only-problems"])
    """
    parser = build_parser(prog)
    try:
        args = parser.parse_args(argv)
        if args.command == "reconcile":
            return _reconcile(args)
        return _stock(args, parser)
    except SystemExit as exit_:  # argparse exits for --help (0) and usage errors (2); report, do not exit
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
