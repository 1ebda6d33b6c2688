"""`StockLevel` and friends: frozen, keyword-only values; `raw` kept but out of equality and repr."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from fourthwall_client.models.stock import Stock

from facade._stock import LocationStock, LotStock, StockLevel
from tests.fixtures.inventory import fourthwall_stock


def _level(**changes: Any) -> StockLevel:
    base = StockLevel(
        provider="fourthwall", product_id="p", item_id="v", available=1, raw=Stock.from_dict(fourthwall_stock(1))
    )
    return attrs.evolve(base, **changes)


def test_frozen() -> None:
    level = _level()

    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        level.available = 2  # type: ignore[misc]


def test_keyword_only() -> None:
    with pytest.raises(TypeError):
        LocationStock("10")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        LotStock("L-1")  # type: ignore[call-arg]


def test_unreported_fields_default_to_none_not_zero() -> None:
    location = LocationStock(id="10")
    lot = LotStock(lot_number="L")

    assert (location.available, location.on_hand, location.committed, location.incoming) == (None,) * 4
    assert (lot.available, lot.on_hand, lot.committed, lot.incoming, lot.expires_at) == (None,) * 5
    assert (_level().on_hand, _level().committed, _level().incoming) == (None, None, None)


def test_raw_is_kept_but_not_compared_or_printed() -> None:
    a = _level()
    b = _level(raw=Stock.from_dict(fourthwall_stock(2)))

    assert a == b
    assert hash(a) == hash(b)  # hashable although the generated model is not
    assert "raw" not in repr(a)
    assert isinstance(a.raw, Stock) and a.raw.quantity == 1
    assert a != _level(available=0)
