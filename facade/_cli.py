"""The `commerce-stock` command line (also `python -m facade`): normalized stock levels from the terminal.

    commerce-stock stock fourthwall PRODUCT_ID...   [--format table|jsonl|csv] [--base-url URL]
    commerce-stock stock shipbob PRODUCT_ID...      [--format table|jsonl|csv] [--base-url URL]

Credentials come from the environment, exactly as `Fourthwall.from_env()` / `ShipBob.from_env()` read them.
Exit codes: 0 every product fetched; 1 some products failed (each printed on stderr with its reason);
2 usage or configuration error (say, missing credentials: the message names the environment variables).

Built on click (argument parsing, usage errors with exit code 2) and rich (table, progress bar on stderr). Only
this module and its `_cli_*` helpers import them, so `import facade` stays as cheap as it was.

Example::

    $ FOURTHWALL_USERNAME=shop FOURTHWALL_PASSWORD=... commerce-stock stock fourthwall prod_1 --format csv
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Final

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ._cli_fetch import FetchResult, fetch_stock
from ._cli_output import FORMATS, OutputFormat, write_levels
from ._errors import ConfigurationError
from ._stock import Provider, StockLevel

__all__ = ["EXIT_OK", "EXIT_SOME_FAILED", "EXIT_USAGE", "cli", "main"]

EXIT_OK: Final = 0
EXIT_SOME_FAILED: Final = 1
EXIT_USAGE: Final = 2  # click's own code for usage errors; configuration errors share it

PROVIDERS: Final[tuple[Provider, ...]] = ("fourthwall", "shipbob")
_BASE_URL_VARIABLE: Final[Mapping[Provider, str]] = {
    "fourthwall": "FOURTHWALL_BASE_URL",
    "shipbob": "SHIPBOB_BASE_URL",
}
_TITLES: Final[Mapping[Provider, str]] = {"fourthwall": "Fourthwall stock", "shipbob": "ShipBob stock"}

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
    from . import Fourthwall, ShipBob

    if provider == "fourthwall":
        with Fourthwall.from_env(environ=environ) as fourthwall:
            yield fourthwall.inventory
    else:
        with ShipBob.from_env(environ=environ) as shipbob:
            # ShipBob product ids are integers (checked before any request, see _shipbob_ids).
            yield lambda product_id: shipbob.inventory(int(product_id))


def _unique(product_ids: Sequence[str]) -> list[str]:
    # Asking twice for one product costs rate-limit budget and prints duplicate rows.
    return list(dict.fromkeys(product_ids))


def _check_ids(provider: Provider, product_ids: Sequence[str]) -> None:
    if provider != "shipbob":
        return
    bad = [product_id for product_id in product_ids if not product_id.isascii() or not product_id.isdigit()]
    if bad:
        raise click.BadParameter(f"ShipBob product ids are integers, got {', '.join(map(repr, bad))}")


def _show_progress(choice: bool | None, products: int) -> bool:
    # Auto: only when a person watches stderr and there is more than one product to wait for.
    if choice is not None:
        return choice
    return products > 1 and sys.stderr.isatty()


def _fetch_with_progress(
    fetch_one: FetchOne, product_ids: Sequence[str], *, provider: Provider, choice: bool | None
) -> FetchResult:
    if not _show_progress(choice, len(product_ids)):
        return fetch_stock(fetch_one, product_ids)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    # `--progress` given explicitly draws the bar even when stderr is not a terminal (rich would stay silent).
    console = Console(stderr=True, force_terminal=True if choice else None)
    # transient: the bar disappears when done, so stderr keeps only the failures that matter.
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task(f"{provider} products", total=len(product_ids))
        return fetch_stock(fetch_one, product_ids, on_product_done=lambda _: progress.advance(task))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Normalized stock levels from Fourthwall and ShipBob."""


@cli.command()
@click.argument("provider", type=click.Choice(PROVIDERS))
@click.argument("product_ids", nargs=-1, required=True, metavar="PRODUCT_ID...")
@click.option(
    "--format", "output_format", type=click.Choice(FORMATS), default="table", show_default=True, help="Output format."
)
@click.option(
    "--base-url", help="API base URL (default: the vendor's production URL, or *_BASE_URL from the environment)."
)
@click.option(
    "--progress/--no-progress", default=None, help="Progress bar on stderr (default: when stderr is a terminal)."
)
@click.pass_context
def stock(
    ctx: click.Context,
    *,
    provider: Provider,
    product_ids: tuple[str, ...],
    output_format: OutputFormat,
    base_url: str | None,
    progress: bool | None,
) -> None:
    """Print the stock of each PRODUCT_ID at PROVIDER (fourthwall or shipbob).

    Credentials come from the environment: FOURTHWALL_USERNAME/FOURTHWALL_PASSWORD, FOURTHWALL_ACCESS_TOKEN or
    FOURTHWALL_CLIENT_ID/_CLIENT_SECRET/_REFRESH_TOKEN; SHIPBOB_TOKEN or SHIPBOB_CLIENT_ID/_CLIENT_SECRET/
    _REFRESH_TOKEN, with SHIPBOB_CHANNEL_ID and SHIPBOB_ENVIRONMENT (production or sandbox).

    Exit status: 0 all fetched, 1 some products failed, 2 usage or configuration error.
    """
    ids = _unique(product_ids)
    _check_ids(provider, ids)
    environ = dict(os.environ)
    if base_url is not None:
        environ[_BASE_URL_VARIABLE[provider]] = base_url
    try:
        with open_stock_source(provider, environ) as fetch_one:
            result = _fetch_with_progress(fetch_one, ids, provider=provider, choice=progress)
    except ConfigurationError as error:
        click.echo(f"error: {error}", err=True)
        ctx.exit(EXIT_USAGE)
    write_levels(result.levels, output_format, sys.stdout, title=_TITLES[provider])
    for failure in result.failures:
        click.echo(f"error: {provider} product {failure.product_id}: {failure.reason}", err=True)
    if result.failures:
        click.echo(f"{len(result.failures)} of {len(ids)} products failed.", err=True)
        ctx.exit(EXIT_SOME_FAILED)


def main(argv: Sequence[str] | None = None, *, prog_name: str = "commerce-stock") -> None:
    """Run the CLI (the console script's entry point); exits the process with the CLI's exit code.

    Example::

        main(["stock", "fourthwall", "prod_1", "--format", "jsonl"])
    """
    cli.main(args=list(argv) if argv is not None else None, prog_name=prog_name)
