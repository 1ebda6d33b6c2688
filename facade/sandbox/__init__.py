"""A local sandbox that plays both Fourthwall and ShipBob on 127.0.0.1 from a seeded, realistic shop.

For the demo, the README examples, and the tests that need a well-behaved vendor; it shares no code with the
facade it serves (it is a fake vendor). Every response it serves is checked against the vendored specs by
tests/sandbox/test_conformance.py.

Example::

    from facade.sandbox import Sandbox, Status

    with Sandbox.start(seed=7, skus=40) as sb:
        os.environ.update(sb.environ())              # FOURTHWALL_USERNAME/PASSWORD/BASE_URL, SHIPBOB_TOKEN/...
        ...                                          # use the facade
        sb.requests.count(vendor="shipbob")          # requests served, by vendor/method/path/status
        truth = sb.shop.expectations()               # the status each SKU was seeded with

From a shell: ``python -m facade.sandbox serve [--seed N] [--skus N]`` prints ``export`` lines and serves until
Ctrl-C. ``Sandbox.spawn(...)`` does the same in a child process, stopped by PID.
"""

from __future__ import annotations

from ._fourthwall import MAX_PAGE_SIZE as FOURTHWALL_MAX_PAGE_SIZE
from ._http import RequestLog, RequestRecord
from ._limits import Limit, RateLimits
from ._sandbox import Credentials, Sandbox, SandboxProcess
from ._shipbob import MAX_PAGE_SIZE as SHIPBOB_MAX_PAGE_SIZE
from ._shop import FULFILLMENT_CENTERS, Expectation, FulfillmentCenter, Shop, Status, normalize_sku

__all__ = [
    "FOURTHWALL_MAX_PAGE_SIZE",
    "FULFILLMENT_CENTERS",
    "SHIPBOB_MAX_PAGE_SIZE",
    "Credentials",
    "Expectation",
    "FulfillmentCenter",
    "Limit",
    "RateLimits",
    "RequestLog",
    "RequestRecord",
    "Sandbox",
    "SandboxProcess",
    "Shop",
    "Status",
    "normalize_sku",
]
