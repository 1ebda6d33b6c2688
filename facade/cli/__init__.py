"""The ``commerce-stock`` command line (also ``python -m facade``); imports rich, which ``import facade`` never does."""

from ._main import main

__all__ = ["main"]
