"""`nox -s demo`: normalized stock for one Fourthwall and one ShipBob product, with no credentials and no internet.

Mock mode (the default) starts Stoplight Prism for each vendored spec on 127.0.0.1 (the contract tests' own
`PrismServer`, stopped by PID), asks it for seeded dynamic answers (`Prefer: dynamic=true`, seed `PRISM_SEED`, so
every run prints the same table), runs the facade against it with dummy credentials and prints one table. Prism
also validates each request; a request that breaks a vendor's spec (`sl-violations`) fails the demo.

`--live` runs the same against the real APIs, with credentials from the environment (as `from_env()` reads them)
and the product ids from `--fourthwall-product` / `--shipbob-product` or DEMO_FOURTHWALL_PRODUCT_ID /
DEMO_SHIPBOB_PRODUCT_ID; a vendor without credentials is left out, and no vendor at all is an error (exit 2).

    python -m tests.cli.demo                 # what `nox -s demo` runs
    python -m tests.cli.demo --live --fourthwall-product 6f1c... --shipbob-product 123456
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from pathlib import Path

from fourthwall_client.api.products_offers import get_product_inventory

import facade
from facade._cli_output import write_levels
from tests.support.prism import PRISM_SEED, PrismServer, PrismStartError
from tests.support.prism_traffic import PrismTraffic

REPO = Path(__file__).resolve().parents[2]
PRISM_BIN = REPO / "node_modules" / ".bin" / "prism"

# The example product id in the Fourthwall spec; ShipBob product ids are integers.
MOCK_FOURTHWALL_PRODUCT = "00aa4abd-5778-4199-8161-0b49b2f212e5"
MOCK_SHIPBOB_PRODUCT = 1

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

_CREDENTIAL_VARIABLES = {
    "fourthwall": ("FOURTHWALL_USERNAME", "FOURTHWALL_ACCESS_TOKEN", "FOURTHWALL_CLIENT_ID"),
    "shipbob": ("SHIPBOB_TOKEN", "SHIPBOB_CLIENT_ID"),
}
_PRODUCT_VARIABLES = {"fourthwall": "DEMO_FOURTHWALL_PRODUCT_ID", "shipbob": "DEMO_SHIPBOB_PRODUCT_ID"}


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def _mock_fourthwall(base_url: str, traffic: PrismTraffic) -> list[facade.StockLevel]:
    with facade.Fourthwall(
        username="demo-user", password="demo-password", base_url=base_url, transport=traffic.transport()
    ) as fourthwall:
        # One page through the escape hatch, not `inventory()`: Prism invents the page wrapper's numbers too
        # (`page` comes back as a random integer, not the 0 we asked for), which the paginator rightly refuses
        # as a wrong page. The real API echoes the page, and `--live` uses `inventory()`.
        page = fourthwall.call(get_product_inventory.sync_detailed, MOCK_FOURTHWALL_PRODUCT, page=0, size=20)
        assert page is not None  # a 200 with a body; anything else raised a typed error
        return facade.stock_levels_from_fourthwall(page.results, product_id=MOCK_FOURTHWALL_PRODUCT)


def _mock_shipbob(base_url: str, traffic: PrismTraffic) -> list[facade.StockLevel]:
    with facade.ShipBob(token="demo-token", channel_id=1, base_url=base_url, transport=traffic.transport()) as shipbob:
        return shipbob.inventory(MOCK_SHIPBOB_PRODUCT)


def run_mock() -> int:
    """Prism for both vendored specs on loopback, the facade against them, one table; stops Prism by PID."""
    if not PRISM_BIN.is_file():
        _err(f"error: Prism is not installed ({PRISM_BIN} is missing): run `npm ci` in {REPO} (nox -s demo does)")
        return EXIT_USAGE
    traffic = PrismTraffic(prefer="dynamic=true")
    with tempfile.TemporaryDirectory(prefix="demo-prism-") as logs, ExitStack() as servers:
        try:
            prisms = {
                vendor: servers.enter_context(
                    PrismServer.start(PRISM_BIN, spec=REPO / "specs" / f"{vendor}.yaml", log_dir=Path(logs))
                )
                for vendor in ("fourthwall", "shipbob")
            }
        except PrismStartError as error:
            _err(f"error: {error}")
            return EXIT_FAILED
        for vendor, prism in prisms.items():
            _err(f"Prism mock of specs/{vendor}.yaml at {prism.base_url} (pid {prism.pid}, seed {PRISM_SEED})")
        try:
            levels = _mock_fourthwall(prisms["fourthwall"].base_url, traffic)
            levels += _mock_shipbob(prisms["shipbob"].base_url, traffic)
        except facade.FacadeError as error:
            _err(f"error: {type(error).__name__}: {error}")
            return EXIT_FAILED
    # Leaving the `with` stopped both Prism processes (terminate, then kill, each by its PID).
    if traffic.violations:
        _err("error: Prism says our requests broke the vendors' specs:\n" + "\n".join(traffic.violations))
        return EXIT_FAILED
    write_levels(levels, "table", sys.stdout, title=f"Normalized stock from Prism mocks (dynamic, seed {PRISM_SEED})")
    print("Quantities and names are Prism's seeded random values for the vendors' schemas, not real stock.")
    return EXIT_OK


def _live_plan(args: argparse.Namespace, environ: Mapping[str, str]) -> dict[str, str] | str:
    """Vendor -> product id for every vendor with credentials, or a message saying what is missing."""
    products = {
        "fourthwall": args.fourthwall_product or environ.get(_PRODUCT_VARIABLES["fourthwall"], ""),
        "shipbob": args.shipbob_product or environ.get(_PRODUCT_VARIABLES["shipbob"], ""),
    }
    configured = [vendor for vendor, names in _CREDENTIAL_VARIABLES.items() if any(environ.get(name) for name in names)]
    if not configured:
        return (
            "--live needs credentials in the environment: FOURTHWALL_USERNAME + FOURTHWALL_PASSWORD, "
            "FOURTHWALL_ACCESS_TOKEN or FOURTHWALL_CLIENT_ID + FOURTHWALL_CLIENT_SECRET + FOURTHWALL_REFRESH_TOKEN "
            "for Fourthwall; SHIPBOB_TOKEN or SHIPBOB_CLIENT_ID + SHIPBOB_CLIENT_SECRET + SHIPBOB_REFRESH_TOKEN "
            "for ShipBob"
        )
    missing = [vendor for vendor in configured if not products[vendor]]
    if missing:
        return "--live needs a product id for " + ", ".join(
            f"{vendor} (--{vendor}-product or {_PRODUCT_VARIABLES[vendor]})" for vendor in missing
        )
    return {vendor: products[vendor] for vendor in configured}


def run_live(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    """The same table from the real APIs (every page, through `inventory()`), with credentials from `environ`."""
    plan = _live_plan(args, environ)
    if isinstance(plan, str):
        _err(f"error: {plan}")
        return EXIT_USAGE
    levels: list[facade.StockLevel] = []
    try:
        if "fourthwall" in plan:
            with facade.Fourthwall.from_env(environ=environ) as fourthwall:
                levels += fourthwall.inventory(plan["fourthwall"])
        if "shipbob" in plan:
            if not plan["shipbob"].isdigit():
                _err(f"error: ShipBob product ids are integers, got {plan['shipbob']!r}")
                return EXIT_USAGE
            with facade.ShipBob.from_env(environ=environ) as shipbob:
                levels += shipbob.inventory(int(plan["shipbob"]))
    except facade.ConfigurationError as error:
        _err(f"error: {error}")
        return EXIT_USAGE
    except facade.FacadeError as error:
        _err(f"error: {type(error).__name__}: {error}")
        return EXIT_FAILED
    write_levels(levels, "table", sys.stdout, title="Normalized stock from the live APIs")
    return EXIT_OK


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    """Run the demo; returns the exit code (0 printed, 1 a request or Prism failed, 2 usage or configuration)."""
    parser = argparse.ArgumentParser(prog="nox -s demo --", description=__doc__.split("\n")[0])
    parser.add_argument("--live", action="store_true", help="use the real APIs with credentials from the environment")
    parser.add_argument("--fourthwall-product", help="Fourthwall product id for --live")
    parser.add_argument("--shipbob-product", help="ShipBob product id (an integer) for --live")
    args = parser.parse_args(argv)
    if args.live:
        return run_live(args, os.environ if environ is None else environ)
    return run_mock()


if __name__ == "__main__":
    sys.exit(main())
