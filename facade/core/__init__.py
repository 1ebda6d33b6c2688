"""The call path: the sync and async client bases every vendor client builds on, and what a call returns.

See ``facade.core._call`` for how one request flows: ids checked, retry runner, generated function on our httpx
client (auth, request budget), errors mapped to ``facade.errors``, a ``CallResult`` back.
"""

from ._call import AsyncClient, CallResult, ClientOptions, GeneratedResponse, Runner, SyncClient, path_ids
from ._vendor import Vendor

__all__ = [
    "AsyncClient",
    "CallResult",
    "ClientOptions",
    "GeneratedResponse",
    "Runner",
    "SyncClient",
    "Vendor",
    "path_ids",
]
