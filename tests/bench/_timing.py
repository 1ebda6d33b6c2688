"""Side-by-side timing: run ours and the baseline alternately and keep the median of each.

Alternating (ABAB...) spreads the noise of a shared machine over both sides instead of letting one side
catch a quiet minute and the other a busy one.

Example::

    ours, base = interleaved(lambda: work_a(), lambda: work_b(), repeats=5)  # seconds, medians
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable, Sequence

__all__ = ["interleaved", "paired_ratio", "round_robin", "timed", "timed_cpu"]


def timed(work: Callable[[], object], clock: Callable[[], float] = time.perf_counter) -> float:
    """Seconds ``work()`` took by ``clock`` (wall clock by default; ``time.process_time`` for CPU-only work).

    A full garbage collection runs first, untimed, so every sample starts from the same heap instead of paying
    for the garbage of the sample before it (the collector stays on: its cost inside ``work`` is real).
    """
    gc.collect()
    start = clock()
    work()
    return clock() - start


def timed_cpu(work: Callable[[], object]) -> tuple[float, float]:
    """``(wall, CPU)`` seconds ``work()`` took; CPU time (``process_time``) counts only this process's own work, so
    it is steadier than wall time on a busy machine (and excludes time spent waiting for a server)."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def interleaved(
    ours: Callable[[], object],
    baseline: Callable[[], object],
    *,
    repeats: int,
    warmup: int = 1,
    clock: Callable[[], float] = time.perf_counter,
) -> tuple[float, float, list[float], list[float]]:
    """Median seconds of ``ours`` and ``baseline`` over ``repeats`` alternating runs, and every sample.

    ``warmup`` untimed rounds first fill caches (imports, connection pools, the page cache).
    The side that goes first alternates too, so neither always runs right after the other.
    """
    for _ in range(warmup):
        ours()
        baseline()
    ours_samples: list[float] = []
    base_samples: list[float] = []
    for index in range(repeats):
        if index % 2:
            base_samples.append(timed(baseline, clock))
            ours_samples.append(timed(ours, clock))
        else:
            ours_samples.append(timed(ours, clock))
            base_samples.append(timed(baseline, clock))
    return statistics.median(ours_samples), statistics.median(base_samples), ours_samples, base_samples


def paired_ratio(ours_samples: Sequence[float], base_samples: Sequence[float]) -> float:
    """The median of ``baseline / ours`` over the rounds of ``interleaved`` (a round: one sample of each, back to
    back), a speed ratio (>1: ours is faster).

    Each round's two samples share that moment's machine speed, so a shared machine that slows down for a few
    seconds moves both and not their ratio; the ratio of the two medians would mix samples from different moments.

    Example::

        paired_ratio([2.0, 2.2], [1.0, 1.0])  # about 0.48
    """
    if not ours_samples or len(ours_samples) != len(base_samples):
        raise ValueError("paired_ratio needs the same, non-zero number of samples of each side")
    return statistics.median(base / ours for ours, base in zip(ours_samples, base_samples, strict=True))


def round_robin(
    works: Sequence[Callable[[], object]], *, repeats: int, warmup: int = 1
) -> tuple[list[float], list[list[float]], list[list[float]]]:
    """Median wall seconds of each of ``works`` over ``repeats`` rounds, then every wall and every CPU sample; each
    round runs all of them, in a rotated order.

    Example::

        (raw_s, typed_s, facade_s), walls, cpus = round_robin([raw, typed, facade], repeats=5)
    """
    for _ in range(warmup):
        for work in works:
            work()
    walls: list[list[float]] = [[] for _ in works]
    cpus: list[list[float]] = [[] for _ in works]
    for index in range(repeats):
        for offset in range(len(works)):
            position = (index + offset) % len(works)
            wall, cpu = timed_cpu(works[position])
            walls[position].append(wall)
            cpus[position].append(cpu)
    return [statistics.median(each) for each in walls], walls, cpus
