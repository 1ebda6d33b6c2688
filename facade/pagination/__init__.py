"""Pagination: every page of a listing, lazily and safely, for every list operation of both vendors.

See ``facade.pagination._loop`` (the guarded loops), ``._schemes`` (how one vendor response becomes a ``Page``).
"""

from ._loop import AsyncPaginator, Page, PageInfo, Paginator

__all__ = ["AsyncPaginator", "Page", "PageInfo", "Paginator"]
