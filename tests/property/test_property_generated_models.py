"""Spec-valid bodies for every JSON 2xx response of every vendored spec parse, and round-trip.

Bodies come from hypothesis-jsonschema on the raw vendored schemas (see ``tests/support/openapi_cases.py``),
so they include what hand-written fixtures never do: extra properties, empty lists, extreme integers,
unusual but valid RFC 3339 timestamps.

Sampling (the full specs have 107 JSON 2xx responses, some with hundreds of reachable schemas):
every response is tested, with ``EXAMPLES`` bodies each (``SAMPLED`` in ``tests/support/openapi_cases.py``), drawn
deterministically (``derandomize``: the same bodies on every run and machine, so a failure reproduces). Building
the strategy of a big schema dominates the cost, not the number of bodies; recursion is cut (``RECURSION_DEPTH``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from facade import StockLevel
from facade.fourthwall import stock_level_from_fourthwall
from facade.shipbob import stock_levels_from_shipbob
from pipeline.vendors import VENDOR_PACKAGES
from tests.support.openapi_cases import SAMPLED, ResponseCase, response_cases
from tests.support.wire import json_differences

CASES = response_cases()


def to_json(parsed: Any) -> Any:
    """What a parsed response serializes back to (models via ``to_dict``, lists item by item)."""
    if isinstance(parsed, list):
        return [to_json(item) for item in parsed]
    return parsed.to_dict() if hasattr(parsed, "to_dict") else parsed


def test_every_vendor_has_typed_2xx_responses() -> None:
    assert {case.vendor for case in CASES} == set(VENDOR_PACKAGES)
    for case in CASES:
        assert case.module.__name__.startswith(f"{case.package}.api."), case.id


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
@SAMPLED
@given(data=st.data())
def test_spec_valid_bodies_parse_and_round_trip(case: ResponseCase, data: st.DataObject) -> None:
    body = data.draw(case.bodies(), label="body")
    parsed = case.parse(body)
    assert parsed is not None, f"{case.id}: the generated client returned nothing for a spec-valid body"
    assert not json_differences(to_json(parsed), body)
    assert case.parse(to_json(parsed)) == parsed


def _fourthwall_levels(page: Any) -> tuple[list[StockLevel], list[Any]]:
    return [stock_level_from_fourthwall(stock, product_id="prod-1") for stock in page.results], list(page.results)


def _shipbob_levels(page: Any) -> tuple[list[StockLevel], list[Any]]:
    items = page.items if isinstance(page.items, list) else []
    return stock_levels_from_shipbob(items, locations={}, lots={}), items


# The stock operations the facade normalizes, by (vendor, operationId): each maps a parsed response to
# (levels, the raw items they came from).
NORMALIZERS: dict[tuple[str, str], Callable[[Any], tuple[list[StockLevel], list[Any]]]] = {
    ("fourthwall", "get_product_inventory"): _fourthwall_levels,
    ("shipbob", "get_2026_01_inventory_level"): _shipbob_levels,
}
STOCK_CASES = [case for case in CASES if (case.vendor, case.operation_id) in NORMALIZERS]


def test_every_normalizer_has_its_operation_in_a_spec() -> None:
    assert {(case.vendor, case.operation_id) for case in STOCK_CASES} == set(NORMALIZERS)


@pytest.mark.parametrize("case", STOCK_CASES, ids=lambda case: case.id)
@given(data=st.data())  # the suite's profile (40 examples in CI): two cases only
def test_normalizing_spec_valid_stock_never_raises(case: ResponseCase, data: st.DataObject) -> None:
    parsed = case.parse(data.draw(case.bodies(), label="body"))
    levels, items = NORMALIZERS[case.vendor, case.operation_id](parsed)
    assert len(levels) == len(items)
    for level, item in zip(levels, items, strict=True):
        assert level.provider == case.vendor
        assert level.raw is item
        assert level.available is None or isinstance(level.available, int)
