"""`StockLevel` and friends: frozen, keyword-only values; `raw` kept but out of equality and repr; `UNLIMITED` is
not a number. Ported from tests/facade/test_stock_model.py."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from facade.stock import UNLIMITED, LocationStock, LotStock, StockLevel


def _level(**changes: Any) -> StockLevel:
    base = StockLevel(provider="fourthwall", product_id="p", item_id="v", available=1, raw={"quantity": 1})
    return attrs.evolve(base, **changes)


def test_frozen() -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        _level().available = 2  # type: ignore[misc]


def test_keyword_only() -> None:
    with pytest.raises(TypeError):
        LocationStock("10")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        LotStock("L-1")  # type: ignore[call-arg]


def test_unreported_fields_default_to_none_not_zero() -> None:
    location, lot = LocationStock(id="10"), LotStock(lot_number="L")
    assert (location.available, location.on_hand, location.committed, location.incoming) == (None,) * 4
    assert (lot.available, lot.on_hand, lot.committed, lot.incoming, lot.expires_at) == (None,) * 5
    assert (_level().on_hand, _level().committed, _level().incoming, _level().sku) == (None,) * 4


def test_raw_is_kept_but_not_compared_or_printed() -> None:
    a, b = _level(), _level(raw={"quantity": 2})
    assert a == b and hash(a) == hash(b)
    assert "raw" not in repr(a) and a.raw == {"quantity": 1}
    assert a != _level(available=0)


def test_unlimited_is_explicit_and_not_a_number() -> None:
    level = _level(available=UNLIMITED)
    assert level.unlimited and level.available is UNLIMITED
    assert repr(UNLIMITED) == "UNLIMITED"
    assert not isinstance(level.available, int)
    assert not _level(available=0).unlimited and not _level(available=None).unlimited
