"""Child process of the memory bench: stream every stock record of one product and report RSS growth as JSON.

Run in a fresh interpreter so the peak (``ru_maxrss``) belongs to this one streaming run and nothing else.
Everything is imported and the client built before the "before" reading, so the growth is what streaming costs.

Example::

    python -m tests.bench._memory_probe --url http://127.0.0.1:8000 --side facade
"""

from __future__ import annotations

import argparse
import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

from tests.bench._clients import BASIC, fourthwall

__all__ = ["main"]

PRODUCT = "bench-product"
_PATH = f"/open-api/v1.0/products/{PRODUCT}/inventory"
_MAX_PAGES = 200_000


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status (this probe needs Linux)")


def _reset_peak() -> None:
    # Writing 5 to clear_refs resets VmHWM to the current RSS (Linux 4.0+), so start-up spikes do not hide growth.
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _raw(client: httpx.Client, size: int) -> Iterator[Any]:
    """The baseline: page through with plain httpx + json, yielding dicts, keeping nothing."""
    for page in range(_MAX_PAGES):
        body = client.get(_PATH, params={"page": page, "size": size}).json()
        yield from body["results"]
        if page + 1 >= body["totalPages"]:
            return
    raise RuntimeError(f"more than {_MAX_PAGES} pages: the server ignores `page`?")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.bench._memory_probe")
    parser.add_argument("--url", required=True)
    parser.add_argument("--side", choices=["facade", "facade-list", "raw"], required=True)
    parser.add_argument("--size", type=int, default=0, help="page size for the raw side (the facade's own)")
    args = parser.parse_args()
    sizes: list[str] = []
    listed = False
    if args.side.startswith("facade"):
        client: Any = fourthwall(args.url)

        # `_http` is the facade's own httpx client: listening to it tells the raw side which page size to use.
        # Only the first request is kept, so the probe itself does not grow with the listing.
        def first_size(request: httpx.Request) -> None:
            if not sizes:
                sizes.append(request.url.params.get("size", ""))

        client._http.event_hooks["request"].append(first_size)
        # "facade-list" materializes everything (inventory()), for contrast with streaming.
        listed = args.side == "facade-list"
        records: Iterator[Any] = iter(()) if listed else iter(client.iter_inventory(PRODUCT))
    else:
        client = httpx.Client(base_url=args.url, auth=httpx.BasicAuth(*BASIC))
        records = _raw(client, args.size)
    with client:
        _reset_peak()
        before = _status_kib("VmRSS")
        count = 0
        if listed:
            # Page size 100: this side only shows what holding everything costs, in a fifth of the requests.
            count = len(client.inventory(PRODUCT, size=100))
        for _ in records:
            count += 1
        # VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss over from the parent across fork+exec,
        # so a child of a bigger process would report its parent's peak.
        peak = _status_kib("VmHWM")
    print(json.dumps({"records": count, "rss_before_kib": before, "peak_kib": peak, "page_size": sizes[:1]}))


if __name__ == "__main__":
    main()
