"""The ``commerce-stock`` command line (also ``python -m facade``); imports rich, which ``import facade`` never does."""

from ._main import EXIT_DIFFERENCES, EXIT_OK, EXIT_SOME_FAILED, EXIT_TROUBLE, EXIT_USAGE, build_parser, main

__all__ = ["EXIT_DIFFERENCES", "EXIT_OK", "EXIT_SOME_FAILED", "EXIT_TROUBLE", "EXIT_USAGE", "build_parser", "main"]
