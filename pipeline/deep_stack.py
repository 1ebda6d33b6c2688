"""Run a function with a deep recursion limit on a thread with a large stack.

The generator resolves ``$ref`` chains recursively: a spec whose schemas reference each other in a
chain a few hundred deep (``A.parent -> B``, ``B.parent -> C`` ...) exceeds Python's default limit of
1000 frames and the run dies with ``RecursionError``. Raising only the limit risks overflowing the C
stack of the main thread, so the call runs on a fresh thread whose stack is sized for the new limit.

Example: ``data = call_with_deep_stack(lambda: GeneratorData.from_dict(doc, config=config))``.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
RECURSION_LIMIT = 20_000
STACK_BYTES = 512 * 1024 * 1024  # virtual memory; pages are only touched as deep as the recursion goes


def call_with_deep_stack(fn: Callable[[], T]) -> T:
    """``fn()``, with its exception (if any) re-raised in the caller."""
    outcome: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            outcome.append(fn())
        except BaseException as err:  # re-raised below, in the calling thread
            failure.append(err)

    previous_limit = sys.getrecursionlimit()
    previous_size = threading.stack_size(STACK_BYTES)
    sys.setrecursionlimit(max(previous_limit, RECURSION_LIMIT))
    try:
        worker = threading.Thread(target=run, name="deep-stack")
        worker.start()
    finally:
        threading.stack_size(previous_size)
    worker.join()
    sys.setrecursionlimit(previous_limit)
    if failure:
        raise failure[0]
    return outcome[0]
