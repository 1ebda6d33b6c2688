"""`StockLevel` and friends: frozen, keyword-only values; `raw` kept but out of equality and repr; `UNLIMITED` is
not a number. Ported from tests/facade/test_stock_model.py."""

from __future__ import annotations

import datetime
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from facade import stock
from facade.stock import UNLIMITED, LocationStock, LotStock, Quantity, StockLevel


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


# -- the mappers' builders (facade.stock.location_stock / lot_stock / stock_level) -------------------------------

_BUILDERS = ((LocationStock, stock.location_stock), (LotStock, stock.lot_stock), (StockLevel, stock.stock_level))


@pytest.mark.parametrize(("cls", "builder"), _BUILDERS)
def test_a_builder_takes_every_field_in_order_and_the_class_has_nothing_it_would_skip(
    cls: type[Any], builder: Callable[..., Any]
) -> None:
    fields = attrs.fields(cls)
    assert list(inspect.signature(builder).parameters) == [field.name for field in fields]
    assert all(field.validator is None and field.converter is None for field in fields)
    assert not any(isinstance(field.default, attrs.Factory) for field in fields)  # type: ignore[arg-type]
    assert not hasattr(cls, "__attrs_post_init__")


_text = st.none() | st.text(max_size=5)
_count = st.none() | st.integers(-5, 5)
_Value = TypeVar("_Value", bound=attrs.AttrsInstance)


def _builds_what_the_class_builds(cls: type[_Value], builder: Callable[..., _Value], *values: Any) -> _Value:
    """``builder(*values)``, checked against the class given the same values by field name (equal, same hash, same
    repr); the builders take every field in field order (tested above), so the n-th value is the n-th field."""
    built = builder(*values)
    made = cls(**{field.name: value for field, value in zip(attrs.fields(cls), values, strict=True)})
    assert built == made and hash(built) == hash(made) and repr(built) == repr(made)
    return built


@given(_text, _text, _count, _count, _count, _count)
def test_location_stock_builds_what_the_class_builds(
    id_: str | None, name: str | None, a: int | None, o: int | None, c: int | None, i: int | None
) -> None:
    lot = LotStock(lot_number="L", available=1)
    built = _builds_what_the_class_builds(LocationStock, stock.location_stock, id_, name, a, o, c, i, (lot,))
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        built.available = 3  # type: ignore[misc]


_dates = st.none() | st.datetimes(timezones=st.just(datetime.UTC))


@given(_text, _dates, _count, _count, _count, _count)
def test_lot_stock_builds_what_the_class_builds(
    number: str | None, expires_at: datetime.datetime | None, a: int | None, o: int | None, c: int | None, i: int | None
) -> None:
    where = (LocationStock(id="10", available=1),)
    built = _builds_what_the_class_builds(LotStock, stock.lot_stock, number, expires_at, a, o, c, i, where)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        built.available = 3  # type: ignore[misc]


@given(_text, _text, _count | st.just(UNLIMITED), _count, _count, _count)
def test_stock_level_builds_what_the_class_builds(
    sku: str | None, name: str | None, a: Quantity | None, o: int | None, c: int | None, i: int | None
) -> None:
    where = (LocationStock(id="10", available=1),)
    raw = {"raw": True}
    built = _builds_what_the_class_builds(
        StockLevel, stock.stock_level, "shipbob", "7", "11", raw, sku, name, a, o, c, i, where, (), None
    )
    assert built.raw is raw


@pytest.mark.parametrize(("cls", "builder"), _BUILDERS)
def test_a_builder_makes_exactly_the_class_and_its_twin_has_the_same_slots(
    cls: type[Any], builder: Callable[..., Any]
) -> None:
    """The builders fill a plain twin and assign ``__class__``: that needs one slot layout (no ``__weakref__``)."""
    fields = attrs.fields(cls)
    assert cls.__slots__ == tuple(field.name for field in fields)
    built = builder(*[None] * len(fields))
    assert type(built) is cls and not hasattr(built, "__dict__")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        built.id = "changed"
