"""Benchmarks, run with `nox -s bench` or `python -m tests.bench`; pytest collects only
`test_harness.py` here, which checks the harness itself and asserts no timing.

Every figure is a ratio measured side by side in one run (the machines are shared and noisy): ours against a
baseline doing the same work the plainest way, the median of several interleaved repetitions.
"""
