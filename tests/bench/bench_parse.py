"""Parse and normalize: items per second from response bytes to `StockLevel`, vs `json.loads` of the same bytes.

"Ours" is what the facade does with a 200 body: `json.loads`, the generated model's `from_dict`, then the
`facade._normalize` mapper. The baseline is `json.loads` alone, the floor any typed client starts from. Both are
timed in CPU time (``process_time``). One cProfile run per vendor then names where the time goes (the top
functions by own time, and shares per layer).

Example::

    rows = run(repeats=7)
"""

from __future__ import annotations

import cProfile
import functools
import json
import pstats
import time
from collections.abc import Callable
from typing import Any

from tests.bench._payloads import fourthwall_page, shipbob_inventory
from tests.bench._report import Row
from tests.bench._timing import interleaved

__all__ = ["profile_shares", "run"]

# Where a function lives decides which layer its own time is charged to in the profile summary.
_LAYERS = (
    ("fourthwall_client", "generated models (from_dict, __init__)"),
    ("shipbob_client", "generated models (from_dict, __init__)"),
    ("attrs generated methods", "attrs __init__ of StockLevel, LocationStock, LotStock"),
    ("facade", "facade mappers"),
    ("json", "json.loads"),
    ("uuid.py", "uuid parse/str"),
    ("datetime", "datetime parse"),
)

ITEMS = 100
_LOOPS = 60  # pages per timed sample: long enough (tens of ms) for perf_counter noise to vanish


def _fourthwall(body: bytes) -> Callable[[], object]:
    from fourthwall_client.models.stock_page import StockPage

    from facade._normalize import stock_levels_from_fourthwall

    def parse() -> object:
        return stock_levels_from_fourthwall(StockPage.from_dict(json.loads(body)).results, product_id="p1")

    return parse


def _shipbob(body: bytes) -> Callable[[], object]:
    from shipbob_client.models.inventory_view_model import InventoryViewModel

    from facade._normalize import stock_levels_from_shipbob

    def parse() -> object:
        return stock_levels_from_shipbob([InventoryViewModel.from_dict(i) for i in json.loads(body)], product_id=7)

    return parse


def _loop(work: Callable[[], object]) -> Callable[[], None]:
    def many() -> None:
        for _ in range(_LOOPS):
            work()

    return many


def _layer(path: str, name: str) -> str:
    where = f"{path} {name}"
    return next((layer for marker, layer in _LAYERS if marker in where), "other (builtins, isinstance, list ops)")


def profile_shares(work: Callable[[], object], *, top: int = 6) -> dict[str, Any]:
    """Run ``work`` under cProfile: own-time shares per layer, and the ``top`` functions by own time."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(_LOOPS):
        work()
    profiler.disable()
    stats = pstats.Stats(profiler)
    entries: dict[tuple[str, int, str], tuple[int, int, float, float, Any]] = stats.stats  # type: ignore[attr-defined]
    total = sum(own for (_, _, own, _, _) in entries.values()) or 1.0
    ranked = sorted(entries.items(), key=lambda kv: kv[1][2], reverse=True)[:top]
    layers: dict[str, float] = {}
    for (path, _, name), (_, _, own, _, _) in entries.items():
        layers[_layer(path, name)] = layers.get(_layer(path, name), 0.0) + own / total
    functions = [
        {
            "function": f"{path.rsplit('/', 1)[-1]}:{line}({name})" if path != "~" else name,
            "own_share": round(own / total, 3),
            "calls_per_item": round(calls / (_LOOPS * ITEMS), 2),
        }
        for (path, line, name), (_, calls, own, _, _) in ranked
    ]
    by_layer = {layer: round(share, 3) for layer, share in sorted(layers.items(), key=lambda kv: -kv[1])}
    return {"by_layer": by_layer, "top_functions": functions}


def run(*, repeats: int) -> list[Row]:
    """One row per vendor: items/s through parse+normalize vs through `json.loads`, plus a profile in details."""
    rows = []
    for vendor, body, build in (
        ("Fourthwall", fourthwall_page(page=0, size=ITEMS, total=ITEMS), _fourthwall),
        ("ShipBob", shipbob_inventory(ITEMS), _shipbob),
    ):
        ours = build(body)
        assert len(ours()) == ITEMS  # type: ignore[arg-type]  # the body really holds ITEMS items
        # Both sides are pure CPU work in this process: CPU time keeps other processes' load out of the ratio.
        baseline = _loop(functools.partial(json.loads, body))
        ours_s, base_s, _, _ = interleaved(_loop(ours), baseline, repeats=repeats, clock=time.process_time)
        per_sample = _LOOPS * ITEMS
        rows.append(
            Row(
                metric=f"parse+normalize {vendor} ({ITEMS}-item body, {len(body) // 1024} KiB)",
                unit="items/s",
                ours=per_sample / ours_s,
                baseline=per_sample / base_s,
                note="baseline is json.loads alone; no target (the issue asks for the ratio and a profile)",
                details={"profile": profile_shares(ours), "body_bytes": len(body)},
            )
        )
    return rows
