"""Run the benchmarks and print the table: `python -m tests.bench [--json PATH] [--quick] [--only NAME ...]`.

Each bench module returns `Row`s; a bench whose facade part is missing returns "not available" rows instead of
numbers, and a bench that crashes is reported as such (exit status 1) without hiding the others' figures.

Example::

    python -m tests.bench --json build/bench.json
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from tests.bench import (
    bench_calls,
    bench_import,
    bench_memory,
    bench_reconcile,
    bench_regen,
    bench_shared_budget,
    bench_webhooks,
)
from tests.bench._report import Row, machine, render, render_breakdowns, write_json

# name -> (title, run(repeats) -> rows, repeats full, repeats with --quick)
_BENCHES: dict[str, tuple[str, Callable[..., list[Row]], int, int]] = {
    "regen": ("regeneration", bench_regen.run, 5, 2),
    "import": ("import time", bench_import.run, 31, 7),
    "webhooks": ("webhook signature check", bench_webhooks.run, 7, 3),
    "reconcile": ("reconcile at the rate ceiling", bench_reconcile.run, 3, 1),
    "shared-budget": ("one Redis budget across 4 processes", bench_shared_budget.run, 3, 1),
    "calls": ("facade per-call overhead vs the generated client", bench_calls.run, 21, 5),
    "memory": ("iter_stock() memory, 10k vs 100k items", bench_memory.run, 1, 1),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures as JSON to PATH")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (a smoke run; noisier figures)")
    parser.add_argument("--only", nargs="+", choices=sorted(_BENCHES), metavar="NAME", help=", ".join(_BENCHES))
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown (for the docs)")
    args = parser.parse_args(argv)

    rows: list[Row] = []
    crashed: list[str] = []
    started = time.perf_counter()
    for name in args.only or list(_BENCHES):
        title, bench, repeats, quick_repeats = _BENCHES[name]
        print(f"[bench] {title} ...", file=sys.stderr, flush=True)
        begun = time.perf_counter()
        try:
            rows += bench(repeats=quick_repeats if args.quick else repeats)
        except Exception as error:  # a broken bench must not hide the others' figures
            traceback.print_exc()
            crashed.append(name)
            rows.append(Row(metric=title, unit="-", ours=None, note=f"bench crashed: {type(error).__name__}: {error}"))
        print(f"[bench] {title}: {time.perf_counter() - begun:.1f} s", file=sys.stderr, flush=True)

    info = machine()
    print(f"machine: {info['cpus']} CPUs ({info['cpu_model']}), Python {info['python']}, {info['platform']}")
    print(render(rows, markdown=args.markdown))
    breakdowns = render_breakdowns(rows)
    if breakdowns:
        print(f"\n{breakdowns}")
    elapsed = time.perf_counter() - started
    print(f"\nwhole run: {elapsed:.0f} s{' (--quick)' if args.quick else ''}")
    if args.json:
        write_json(args.json, rows, extra={"quick": args.quick, "elapsed_s": round(elapsed, 1)})
        print(f"wrote {args.json}")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
