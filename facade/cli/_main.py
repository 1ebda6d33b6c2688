"""The `commerce-stock` command line (also `python -m facade`): normalized stock levels from the terminal.

    commerce-stock stock fourthwall PRODUCT_ID...   [--format table|jsonl|csv] [--base-url URL]
    commerce-stock stock shipbob PRODUCT_ID...      [--format table|jsonl|csv] [--base-url URL]

Credentials come from the environment, exactly as `Fourthwall.from_env()` / `ShipBob.from_env()` read them.
Exit codes: 0 every product fetched; 1 some products failed (each printed on stderr with its reason);
2 usage or configuration error (say, missing credentials: the message names the environment variables).

Parsing is the standard library's argparse (usage errors exit 2); the table and progress bar are rich. Not click:
httpx imports its own CLI (click, rich, pygments) on `import httpx` whenever click is installed, which would make
every `import facade` slower (measured in the project's report). Only this module and its `_cli_*` helpers import
rich, so `import facade` stays as cheap as it was.

Example::

    $ FOURTHWALL_USERNAME=shop FOURTHWALL_PASSWORD=... commerce-stock stock fourthwall prod_1 --format csv
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Final

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ..bulk import DEFAULT_CONCURRENCY, InventoryResult, run_many
from ._output import FORMATS, write_levels
from ..errors import ConfigurationError
from ..stock import Provider, StockLevel

__all__ = ["EXIT_OK", "EXIT_SOME_FAILED", "EXIT_USAGE", "build_parser", "main", "open_stock_source"]

EXIT_OK: Final = 0
EXIT_SOME_FAILED: Final = 1
EXIT_USAGE: Final = 2  # argparse's own code for usage errors; configuration errors share it

PROVIDERS: Final[tuple[Provider, ...]] = ("fourthwall", "shipbob")
_BASE_URL_VARIABLE: Final[Mapping[Provider, str]] = {
    "fourthwall": "FOURTHWALL_BASE_URL",
    "shipbob": "SHIPBOB_BASE_URL",
}
_TITLES: Final[Mapping[Provider, str]] = {"fourthwall": "Fourthwall stock", "shipbob": "ShipBob stock"}
_STOCK_EPILOG: Final = """\
credentials come from the environment:
  Fourthwall  FOURTHWALL_USERNAME + FOURTHWALL_PASSWORD (Open API user), or FOURTHWALL_ACCESS_TOKEN,
              or FOURTHWALL_CLIENT_ID + FOURTHWALL_CLIENT_SECRET + FOURTHWALL_REFRESH_TOKEN (OAuth app)
  ShipBob     SHIPBOB_TOKEN (Personal Access Token), or SHIPBOB_CLIENT_ID + SHIPBOB_CLIENT_SECRET +
              SHIPBOB_REFRESH_TOKEN (OAuth app); optional SHIPBOB_CHANNEL_ID, SHIPBOB_ENVIRONMENT=sandbox

exit status: 0 all products fetched, 1 some products failed, 2 usage or configuration error
"""

FetchOne = Callable[[str], Sequence[StockLevel]]


@contextlib.contextmanager
def open_stock_source(provider: Provider, environ: Mapping[str, str]) -> Iterator[FetchOne]:
    """Open the vendor's facade client from `environ` and yield "product id -> stock levels"; close it after.

    Raises `ConfigurationError` (naming the environment variables) when credentials are missing or invalid.

    Example::

        with open_stock_source("shipbob", os.environ) as fetch_one:
            levels = fetch_one("123")
    """
    # Imported here, not at the top: `facade/__init__` must be fully initialised first (this module is loaded
    # by `python -m facade`, which imports the package), and `--help` needs no client at all.
    from .. import Fourthwall, ShipBob

    if provider == "fourthwall":
        with Fourthwall.from_env(environ=environ) as fourthwall:
            yield fourthwall.inventory
    else:
        with ShipBob.from_env(environ=environ) as shipbob:
            # ShipBob product ids are integers (checked before any request, see _check_ids).
            yield lambda product_id: shipbob.inventory(int(product_id))


def build_parser(prog: str | None = None) -> argparse.ArgumentParser:
    """The argument parser of the CLI (`prog` is the name shown in usage lines).

    Example::

        args = build_parser().parse_args(["stock", "shipbob", "101"])
    """
    parser = argparse.ArgumentParser(prog=prog, description="Normalized stock levels from Fourthwall and ShipBob.")
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
    stock.add_argument(
        "--format", dest="output_format", choices=FORMATS, default="table", help="table (default), jsonl or csv"
    )
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
    stock.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar on stderr (default: when stderr is a terminal and there are several products)",
    )
    return parser


def _positive_int(text: str) -> int:
    value = int(text)  # argparse turns the ValueError into a usage error naming the option
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _unique(product_ids: Sequence[str]) -> list[str]:
    # Asking twice for one product costs rate-limit budget and prints duplicate rows.
    return list(dict.fromkeys(product_ids))


def _bad_ids(provider: Provider, product_ids: Sequence[str]) -> list[str]:
    if provider != "shipbob":
        return []
    return [product_id for product_id in product_ids if not (product_id.isascii() and product_id.isdigit())]


def _show_progress(choice: bool | None, products: int) -> bool:
    # Auto: only when a person watches stderr and there is more than one product to wait for.
    if choice is not None:
        return choice
    return products > 1 and sys.stderr.isatty()


def _fetch_with_progress(
    fetch_one: FetchOne, product_ids: Sequence[str], *, provider: Provider, concurrency: int, choice: bool | None
) -> InventoryResult:
    # The facade's own bulk runner: one product's failure is recorded (typed), the others go on.
    if not _show_progress(choice, len(product_ids)):
        return run_many(fetch_one, product_ids, concurrency=concurrency)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    # `--progress` given explicitly draws the bar even when stderr is not a terminal (rich would stay silent).
    console = Console(file=sys.stderr, force_terminal=True if choice else None)
    # transient: the bar disappears when done, so stderr keeps only the failures that matter.
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task(f"{provider} products", total=len(product_ids))

        def fetch_and_count(product_id: str) -> Sequence[StockLevel]:
            try:
                return fetch_one(product_id)
            finally:  # a failed product is done too (rich's Progress is thread-safe)
                progress.advance(task)

        return run_many(fetch_and_count, product_ids, concurrency=concurrency)


def _stock(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    provider: Provider = args.provider
    ids = _unique(args.product_ids)
    if bad := _bad_ids(provider, ids):
        parser.error(f"ShipBob product ids are integers, got {', '.join(map(repr, bad))}")
    environ = dict(os.environ)
    if args.base_url is not None:
        environ[_BASE_URL_VARIABLE[provider]] = args.base_url
    try:
        with open_stock_source(provider, environ) as fetch_one:
            result = _fetch_with_progress(
                fetch_one, ids, provider=provider, concurrency=args.concurrency, choice=args.progress
            )
    except ConfigurationError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    write_levels(result.levels, args.output_format, sys.stdout, title=_TITLES[provider])
    for failure in result.failures:
        print(f"error: {provider} product {failure.product_id}: {failure.reason}", file=sys.stderr)
    if result.failures:
        print(f"{len(result.failures)} of {len(ids)} products failed.", file=sys.stderr)
        return EXIT_SOME_FAILED
    return EXIT_OK


def main(argv: Sequence[str] | None = None, *, prog: str | None = None) -> int:
    """Run the CLI and return its exit code (the console script passes it to `sys.exit`).

    Example::

        code = main(["stock", "fourthwall", "prod_1", "--format", "jsonl"])
    """
    parser = build_parser(prog)
    try:
        args = parser.parse_args(argv)
        return _stock(args, parser)
    except SystemExit as exit_:  # argparse exits for --help (0) and usage errors (2); report, do not exit
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
