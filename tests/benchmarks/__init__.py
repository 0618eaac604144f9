"""Benchmarks: nachhaken against its peers, every figure a ratio (issues 6 and 14).

Run `python -m tests.benchmarks.run` (see `run.py`): `tui.py` drives the TUI
on a pty (`pty_session.py`) beside a bare Textual app (`baseline_app.py`);
`commands.py` times whole processes under `peak.py` beside the peers
`due_peer.py`, `backup_peer.py`, `stats_peer.py`, `sqlite-utils` and
themselves at a tenth of the data; `datagen.py` makes and caches the data.
Nothing here is collected by pytest except through
`tests/test_benchmark_smoke.py`.
"""
