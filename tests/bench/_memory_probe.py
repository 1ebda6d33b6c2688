"""Child process of the memory bench: stream every stock record of one product and report RSS growth as JSON.

Run in a fresh interpreter so the peak (``ru_maxrss``) belongs to this one streaming run and nothing else.
Everything is imported and the client built before the "before" reading, so the growth is what streaming costs.

Example::

    python -m tests.bench._memory_probe --url http://127.0.0.1:8000 --side facade
"""

from __future__ import annotations

import argparse
import json
import resource
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

from tests.bench._clients import BASIC, fourthwall

__all__ = ["main"]

PRODUCT = "bench-product"
_PATH = f"/open-api/v1.0/products/{PRODUCT}/inventory"


def _rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc/self/status (this probe needs Linux)")


def _raw(client: httpx.Client, size: int) -> Iterator[Any]:
    """The baseline: page through with plain httpx + json, yielding dicts, keeping nothing."""
    page = 0
    while True:
        body = client.get(_PATH, params={"page": page, "size": size}).json()
        yield from body["results"]
        page += 1
        if page >= body["totalPages"]:
            return


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.bench._memory_probe")
    parser.add_argument("--url", required=True)
    parser.add_argument("--side", choices=["facade", "raw"], required=True)
    parser.add_argument("--size", type=int, default=0, help="page size for the raw side (the facade's own)")
    args = parser.parse_args()
    sizes: list[str] = []
    if args.side == "facade":
        client: Any = fourthwall(args.url)
        client._http.event_hooks["request"].append(lambda r: sizes.append(r.url.params.get("size", "")))
        records: Iterator[Any] = iter(client.iter_inventory(PRODUCT))
    else:
        client = httpx.Client(base_url=args.url, auth=httpx.BasicAuth(*BASIC))
        records = _raw(client, args.size)
    with client:
        before = _rss_kib()
        count = 0
        for _ in records:
            count += 1
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(json.dumps({"records": count, "rss_before_kib": before, "peak_kib": peak, "page_size": sizes[:1]}))


if __name__ == "__main__":
    main()
