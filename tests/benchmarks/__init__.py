"""Benchmarks: nachhaken against a bare Textual app of the same shape (issue 6).

Run `python -m tests.benchmarks.run` (see `run.py`); nothing here is collected
by pytest except through `tests/test_benchmark_smoke.py`.
"""
