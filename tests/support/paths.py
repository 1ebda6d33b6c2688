"""Where the checkout is: the tests read its files (specs, docs, the lock) and start processes in it."""

from __future__ import annotations

from pathlib import Path

__all__ = ["REPO"]

REPO = Path(__file__).resolve().parents[2]
