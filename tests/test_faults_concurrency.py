"""Two windows and a cron job: the TUI open while other processes write the same file.

Three processes run `nachhaken add` in loops, two more record calls through
the core API (tests/fault_helpers/record_calls.py), and meanwhile the user
works in the open app (Pilot, in this process): moves the selection, starts
a call script, saves a quick outcome. Nobody may see "database is locked",
no write may get lost, and the app must show the new offers by itself
(it polls SQLite's `data_version` every 2 s) without moving the selection
or disturbing the script in progress.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
import time

import pytest
from fault_helpers import HELPERS, PINNED, integrity
from ui_helpers import make_app, notifications, screen_text, settle

from nachhaken_tui.core.models import OfferDraft

pytestmark = pytest.mark.serial  # five processes race the open app

ADDERS = 3
ADDS_EACH = 10
RECORDERS = 2
CALLS_EACH = 60


def _add_loop(db, worker: int, results: list) -> None:
    for i in range(ADDS_EACH):
        client = f"Proc {worker} client {i}"
        sent = dt.date(2026, 11, 2) + dt.timedelta(days=(worker * 7 + i) % 20)
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "nachhaken_tui",
                "add",
                "--db",
                str(db),
                "--client",
                client,
                "--title",
                "Offer",
                "--sent",
                sent.isoformat(),
                "--value",
                str(100 * (i + 1)),
                "--lang",
                "en",
                *PINNED,
            ],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "NO_COLOR": "1"},
            timeout=60,
        )
        results.append((client, result.returncode, result.stdout, result.stderr))


async def test_the_open_app_and_five_writing_processes(store, db_path):
    for i in range(12):
        store.add_offer(
            OfferDraft(
                client=f"Seed {i:02d}",
                title="Seeded",
                sent_on=dt.date(2026, 11, 2 + i),
                phone="+49 30 1234567",
            )
        )
    call_targets = "9,10,11,12"  # recorders work on the newest seeds; the user on the oldest
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("down", "down")
        assert app.screen.inbox.current.client == "Seed 02"
        await pilot.press("down", "enter", "1", "3")  # a script for Seed 03, two answers
        panel = app.screen.script_panel
        run, step, answers = panel.run, panel.run.current.id, len(panel.run.history)
        assert answers == 2

        recorders = [
            subprocess.Popen(
                [
                    sys.executable,
                    str(HELPERS / "record_calls.py"),
                    str(db_path),
                    "--offers",
                    call_targets,
                    "--count",
                    str(CALLS_EACH),
                    "--tag",
                    f"rec{n}",
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for n in range(RECORDERS)
        ]
        added: list = []
        adders = [threading.Thread(target=_add_loop, args=(db_path, n, added)) for n in range(ADDERS)]
        for thread in adders:
            thread.start()

        # the user keeps working while the others write: a quick outcome on Seed 00
        await pilot.press("escape", "escape", "escape")  # leave the script (back, back, out) …
        await pilot.press("home", "n")  # … no answer for the top offer
        await settle(pilot)
        await pilot.press("down", "down", "enter", "1", "3")  # and a script again
        run, step, answers = panel.run, panel.run.current.id, len(panel.run.history)
        calling = panel.offer_id
        selected = app.screen.inbox.current.offer_id
        assert selected == calling

        while any(thread.is_alive() for thread in adders):
            await pilot.pause(0.2)  # the app's timers (the 2 s poll) keep running meanwhile
        outputs = [process.communicate(timeout=120) for process in recorders]
        finished = time.monotonic()

        expected_offers = 12 + ADDERS * ADDS_EACH
        while time.monotonic() - finished < 5 and f"Open {expected_offers}" not in screen_text(app):
            await pilot.pause(0.1)
        noticed_after = time.monotonic() - finished
        text = screen_text(app)
        assert f"Open {expected_offers}" in text, text[:400]  # the new offers are counted …
        assert noticed_after < 5
        assert panel.run is run and panel.run.current.id == step and len(panel.run.history) == answers
        assert panel.offer_id == calling  # … the script goes on where it was …
        assert app.screen.inbox.current.offer_id == selected  # … and the selection stayed on its offer
        assert not [note for note in notifications(app) if "failed" in note.lower() or "locked" in note]

    for client, code, stdout, stderr in added:
        assert code == 0, (client, stdout, stderr)
        assert "locked" not in stderr.lower() and "Traceback" not in stderr
    for process, (_stdout, stderr) in zip(recorders, outputs, strict=True):
        assert process.returncode == 0, stderr
        assert "locked" not in stderr.lower()
    recorded = {
        line.split()[1] for stdout, _ in outputs for line in stdout.splitlines() if line.startswith("saved")
    }
    assert len(recorded) == RECORDERS * CALLS_EACH

    assert integrity(db_path) == "ok"
    clients = {row["client"] for row in store.db.query("SELECT client FROM offers")}
    assert {client for client, *_ in added} <= clients  # no lost offer
    notes = {row["notes"] for row in store.db.query("SELECT notes FROM calls WHERE notes LIKE 'rec%'")}
    assert notes == recorded  # no lost call
    for row in store.db.query(
        "SELECT o.id, o.attempts, (SELECT count(*) FROM calls c WHERE c.offer_id = o.id "
        "AND c.outcome = 'no_answer') AS unanswered FROM offers o"
    ):
        assert row["attempts"] == row["unanswered"], row  # no lost update of the counter
    assert store.db["calls"].count == RECORDERS * CALLS_EACH + 1  # and the user's own quick outcome
