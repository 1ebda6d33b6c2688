"""``python -m facade.sandbox serve``: both fake vendors on 127.0.0.1 until Ctrl-C (or SIGTERM).

Prints the base URLs and the test credentials as ``export`` lines (then ``# ready``), so a shell can adopt
them: copy them into another terminal, or::

    python -m facade.sandbox serve --seed 7 --skus 40 > sandbox.env &
    sleep 1; . ./sandbox.env          # FOURTHWALL_*/SHIPBOB_* now point at the sandbox
    commerce-stock ...                # any README example
    kill %1                           # stops it (SIGTERM, like Ctrl-C)

Options: ``--seed N`` (7), ``--skus N`` (40), ``--port-fourthwall P`` / ``--port-shipbob P`` (0: ephemeral),
``--rate-limits`` (enforce the vendors' documented limits) with ``--time-scale X`` (window multiplier, 1.0),
``--fourthwall-limit N/S`` / ``--shipbob-limit N/S`` (that vendor allows N requests per sliding S seconds instead;
alone, only that vendor is limited), ``--latency S`` (hold every vendor response S seconds: requests in flight),
``--oauth`` (print the OAuth app variables instead of the Open API user and the PAT).

``python -m facade.sandbox truth [--seed N] [--skus N] [--no-mapping]`` prints the ground truth as JSON lines: one
expected reconciliation row per SKU (status, raw SKUs on each side, quantities, difference), then the mapping.
"""

from __future__ import annotations

import argparse
import json
import shlex
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from ._limits import Limit, RateLimits
from ._sandbox import Sandbox
from ._shop import Shop


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m facade.sandbox", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("serve", help="serve both fake vendors until Ctrl-C")
    run.add_argument("--seed", type=int, default=7)
    run.add_argument("--skus", type=int, default=40)
    run.add_argument("--port-fourthwall", type=int, default=0)
    run.add_argument("--port-shipbob", type=int, default=0)
    run.add_argument("--rate-limits", action="store_true", help="enforce the vendors' documented rate limits")
    run.add_argument("--time-scale", type=float, default=1.0, help="multiply the rate-limit windows by this")
    for vendor in ("fourthwall", "shipbob"):
        run.add_argument(
            f"--{vendor}-limit", type=Limit.parse, metavar="N/S", help=f"{vendor}: N requests per S seconds, sliding"
        )
    run.add_argument("--latency", type=float, default=0.0, metavar="S", help="hold every vendor response S seconds")
    run.add_argument("--oauth", action="store_true", help="print OAuth app variables instead of user/PAT")
    truth = commands.add_parser("truth", help="print the seeded ground truth as JSON lines (one per SKU)")
    truth.add_argument("--seed", type=int, default=7)
    truth.add_argument("--skus", type=int, default=40)
    truth.add_argument("--no-mapping", action="store_true", help="as a reconciliation without the mapping sees it")
    demo = commands.add_parser("demo", help="print a stock table and a reconciliation of the sandbox shop")
    demo.add_argument("--live", action="store_true", help="the real APIs, credentials from the environment")
    args = parser.parse_args(argv)
    if args.command == "demo":
        from ._demo import demo as run_demo

        return run_demo(["--live"] if args.live else [])
    if args.command == "truth":
        shop = Shop.generate(seed=args.seed, skus=args.skus)
        for row in shop.expectations(mapping=not args.no_mapping):
            print(json.dumps(row.to_json()))
        print(json.dumps({"mapping": shop.mapping}))
        return 0

    limits = _rate_limits(args.rate_limits, args.time_scale, args.fourthwall_limit, args.shipbob_limit)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    with Sandbox.start(
        seed=args.seed,
        skus=args.skus,
        rate_limits=limits,
        port_fourthwall=args.port_fourthwall,
        port_shipbob=args.port_shipbob,
        latency=args.latency,
    ) as sb:
        print(
            f"# Fourthwall + ShipBob sandbox: seed {args.seed}, {args.skus} SKUs"
            + (f", rate limits on (time scale {args.time_scale:g})" if limits else "")
            + (f", responses held {args.latency:g} s" if args.latency else "")
        )
        for name, value in sb.environ(oauth=args.oauth).items():
            print(f"export {name}={shlex.quote(value)}")
        if args.oauth:
            print(f"# Fourthwall token URL: {sb.fourthwall_token_url}")
        print(f"# ready; stop with Ctrl-C (pid {__import__('os').getpid()})", flush=True)
        while not stop.wait(0.2):
            pass
    print("# stopped", file=sys.stderr)
    return 0


def _rate_limits(
    documented: bool, time_scale: float, fourthwall: Limit | None, shipbob: Limit | None
) -> RateLimits | None:
    """The documented limits (if asked) with the per-vendor ones given instead; None when nothing is limited."""
    if not documented and fourthwall is None and shipbob is None:
        return None
    base = RateLimits.documented(time_scale=time_scale) if documented else RateLimits(time_scale=time_scale)
    return RateLimits(fourthwall=fourthwall or base.fourthwall, shipbob=shipbob or base.shipbob, time_scale=time_scale)


if __name__ == "__main__":
    sys.exit(main())
