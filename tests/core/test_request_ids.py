"""The call path's request ids (``_request_ids``): parameter names are read once per function and the arguments
directly, with the result `inspect.Signature.bind_partial` gives (issue 13 made it a cache; this pins it)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest

from facade.core._call import _bound_ids, _request_ids
from facade.errors import InvalidArgumentError


def by_product(product_id: str, *, client: object, page: int | None = None) -> None: ...


def two_ids(id: str, other_id: int, *, client: object, x_id: str | None = None) -> None: ...


def keywords_only(*, client: object, inventory_ids: list[int] | None = None, channel_id: int | None = None) -> None: ...


def varied(a: object, /, b_id: object, *args: object, **kwargs: object) -> None: ...


FUNCTIONS: list[Callable[..., None]] = [by_product, two_ids, keywords_only, varied]
VALUES: list[object] = ["p1", 3, True, None, [1, 2]]
NAMES = ["product_id", "id", "other_id", "x_id", "channel_id", "b_id", "client", "page", "nope"]


def outcome(fn: Callable[..., None], args: tuple[Any, ...], kwargs: dict[str, Any], how: Any) -> object:
    try:
        return list(how("op", fn, args, kwargs).items())  # order included: errors name ids in this order
    except InvalidArgumentError as error:
        return str(error)


@pytest.mark.parametrize("fn", FUNCTIONS, ids=lambda fn: fn.__name__)
def test_ids_match_binding_the_signature(fn: Callable[..., None]) -> None:
    for count in range(4):
        for args in itertools.product(VALUES, repeat=count):
            for names in itertools.chain([()], itertools.combinations(NAMES, 1), itertools.combinations(NAMES, 2)):
                kwargs = dict.fromkeys(names, "k1")
                assert outcome(fn, args, kwargs, _request_ids) == outcome(fn, args, kwargs, _bound_ids), (args, kwargs)


def test_an_id_that_is_not_a_path_segment_is_refused_positionally_and_by_name() -> None:
    for args, kwargs in [(("..",), {}), ((), {"product_id": "a/b"})]:
        with pytest.raises(InvalidArgumentError, match="cannot be a URL path segment"):
            _request_ids("op", by_product, args, kwargs)


def test_arguments_the_function_cannot_take_give_no_ids() -> None:
    assert _request_ids("op", by_product, ("p1", "extra"), {}) == {}
    assert _request_ids("op", by_product, ("p1",), {"product_id": "p2"}) == {}
    assert _request_ids("op", by_product, (), {"unknown": 1}) == {}
    assert _request_ids("op", two_ids, ("i", 2), {"x_id": "x"}) == {"id": "i", "other_id": 2, "x_id": "x"}
