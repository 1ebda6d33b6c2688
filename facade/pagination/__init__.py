"""Pagination: every item of every list operation of both generated clients, lazily and safely.

- `client.paginate(op, **params)` (mixins `SyncPagination` / `AsyncPagination`, part of every vendor client):
  iterate the items of any generated list operation; `.pages()` yields whole `Page`s.
- `scheme_for(op)`: which scheme an operation uses (Fourthwall page wrapper, ShipBob `{items, next}` links or
  cursors, ShipBob `Page`/`Limit` with headers) and how to ask for and read its pages; raises
  `InvalidArgumentError` for an operation that is not a listing.
- `Paginator` / `AsyncPaginator`, `Page`, `PageInfo`: the guarded loop and its values, for listings of your own.
  The guards raise `PaginationError` (its `reason` names the guard), never returning part of a listing silently.

Example::

    from fourthwall_client.api.products_offers import list_products

    with Fourthwall.from_env() as fw:
        for offer in fw.paginate(list_products.sync_detailed):  # 100 per page (facade.defaults)
            print(offer.id, offer.name)
"""

from ._loop import AsyncPaginator, Page, PageInfo, Paginator
from ._paginate import AsyncPagination, SyncPagination
from ._schemes import Scheme, scheme_for

__all__ = [
    "AsyncPagination",
    "AsyncPaginator",
    "Page",
    "PageInfo",
    "Paginator",
    "Scheme",
    "SyncPagination",
    "scheme_for",
]
