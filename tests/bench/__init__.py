"""Benchmarks, run with `nox -s bench` or `python -m tests.bench`; not collected by pytest (no test_*.py here).

Every figure is a ratio measured side by side in one run (the machines are shared and noisy): ours against a
baseline doing the same work the plainest way, the median of several interleaved repetitions.
"""
