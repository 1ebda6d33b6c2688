"""``nox -s demo`` (``python -m facade.sandbox demo``): a plausible shop's stock and its reconciliation, offline.

Starts the sandbox (both vendors on 127.0.0.1, seeded), points the ``commerce-stock`` CLI at it through the
environment, prints the Fourthwall and ShipBob stock of a few products and the reconciliation of the whole shop
(with the shop's SKU mapping), and stops the sandbox. ``--live`` runs the same CLI against the real APIs with the
credentials already in the environment (``FOURTHWALL_*``, ``SHIPBOB_*``): read-only, like everything here::

    python -m facade.sandbox demo            # the sandbox; no credentials, no internet
    python -m facade.sandbox demo --live     # the real shop and account
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from ._sandbox import Sandbox

__all__ = ["demo"]

EXIT_TROUBLE = 2


def _products(environ: Mapping[str, str], count: int) -> tuple[list[str], list[str]]:
    # The facade is the client here: the sandbox itself never imports it (it is the fake vendor).
    from facade import Fourthwall, ShipBob

    with Fourthwall.from_env(environ=environ) as fw, ShipBob.from_env(environ=environ) as sb:
        fourthwall = list(dict.fromkeys(item.product_id for item in fw.iter_catalog()))[:count]
        shipbob = list(dict.fromkeys(item.product_id for item in sb.iter_catalog()))[:count]
    return fourthwall, shipbob


def _run(environ: Mapping[str, str], mapping: Path | None, products: int) -> int:
    from facade.cli import main

    os.environ.update(environ)
    fourthwall, shipbob = _products(environ, products)
    print(f"== Fourthwall stock of {len(fourthwall)} products", flush=True)
    main(["stock", "fourthwall", *fourthwall, "--no-progress"], prog="commerce-stock")
    print(f"\n== ShipBob stock of {len(shipbob)} products", flush=True)
    main(["stock", "shipbob", *shipbob, "--no-progress"], prog="commerce-stock")
    print("\n== Reconciliation of the whole shop by SKU", flush=True)
    arguments = ["reconcile", "--no-progress"] + (["--mapping", str(mapping)] if mapping else [])
    code = main(arguments, prog="commerce-stock")
    return 0 if code in (0, 1) else code  # 1 means "differences found": what a demo shop is seeded with


def demo(argv: Sequence[str] | None = None) -> int:
    """Run the demo (see the module docstring); returns the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if "--live" in args:
        return _run(dict(os.environ), None, products=5)
    with Sandbox.start(seed=7, skus=40) as sb, tempfile.TemporaryDirectory() as tmp:
        mapping = Path(tmp) / "sku-mapping.json"
        mapping.write_text(json.dumps(sb.shop.mapping), encoding="utf-8")
        print(f"sandbox: Fourthwall {sb.fourthwall_url}, ShipBob {sb.shipbob_url} (seed 7, 40 SKUs)\n", flush=True)
        return _run(sb.environ(), mapping, products=5)
