"""The UI never waits on another process: a save that meets another program's lock waits in the background.

Another process (tests/fault_helpers/hold_write_lock.py) holds the file's
write lock for as long as the test says. Meanwhile a call is saved: the header
says the save is waiting, the cursor, the card and the search go on (checked
while the lock process is still alive, i.e. while the lock is held), and the
call lands in the file once the lock is let go. A lock held past the busy
timeout ends in "Not saved", with the call's answers kept for another try.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest
from fault_helpers import HELPERS
from ui_helpers import fill, make_app, notifications, screen_text, settle

from nachhaken_tui.core.db import opening as opening_module
from nachhaken_tui.core.models import Status

MUELLER = 1
WAITING = {
    "en": "Waiting for another program to finish writing…",
    "de": "Ein anderes Programm schreibt gerade – warte …",
}


class Lock:
    """Another program holding the write lock of `db_path` until `release()`."""

    def __init__(self, db_path):
        self.process = subprocess.Popen(
            [sys.executable, str(HELPERS / "hold_write_lock.py"), str(db_path), "--seconds", "60"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout.readline().strip() == "locked"

    @property
    def held(self) -> bool:
        return self.process.poll() is None

    def release(self) -> None:
        if self.held:
            self.process.communicate("go\n", timeout=30)


@pytest.fixture
def lock(db_path):
    """Start holding the lock with `lock()`; released at the end of the test in any case."""
    locks: list[Lock] = []

    def start() -> Lock:
        locks.append(Lock(db_path))
        return locks[-1]

    yield start
    for held in locks:
        held.release()


@pytest.fixture
def long_busy_timeout(monkeypatch):
    """A busy timeout no slow machine runs into while the test presses keys."""
    monkeypatch.setattr(opening_module, "BUSY_TIMEOUT_MS", 120_000)


async def until(pilot, condition, tries: int = 200) -> None:
    """Let the app run until `condition()` holds (it must, eventually)."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.05)
    assert condition()


def calls(store) -> list[dict]:
    """The calls in the file, read as another program would (the store's writer may be mid-save)."""
    with sqlite3.connect(store.path) as conn:
        conn.row_factory = sqlite3.Row
        rows = [dict(row) for row in conn.execute("SELECT * FROM calls ORDER BY id")]
    conn.close()
    return rows


@pytest.mark.parametrize(("lang", "size"), [("en", (120, 40)), ("de", (80, 24))])
async def test_keys_and_search_go_on_while_a_save_waits_for_another_program(
    store, lock, long_busy_timeout, lang, size
):
    fill(store)
    app = make_app(store, lang=lang)
    async with app.run_test(size=size) as pilot:
        assert app.screen.inbox.current.client == "Müller Bau GmbH"
        held = lock()
        await pilot.press("n")  # no answer for Müller Bau: the save meets the lock
        await until(pilot, lambda: WAITING[lang] in screen_text(app))

        await pilot.press("down")  # the cursor moves and the card follows …
        assert app.screen.inbox.current.client == "Northwind Studio"
        assert "Emma Clarke" in screen_text(app)
        assert held.held  # … while the other program still holds the lock
        await pilot.press("slash", *"north")  # the search goes on too
        assert app.screen.inbox.total == 1
        assert app.screen.inbox.current.client == "Northwind Studio"
        await pilot.press("escape")
        assert app.screen.inbox.total == 2
        assert held.held and calls(store) == []  # nothing written yet, nothing lost either

        held.release()
        await until(pilot, lambda: len(calls(store)) == 1)
        await settle(pilot)
        text = screen_text(app)
        assert WAITING[lang] not in text
        assert (
            app.screen.inbox.current.client == "Northwind Studio"
        )  # the selection stayed where the user put it

    [call] = calls(store)
    assert (call["offer_id"], call["outcome"]) == (MUELLER, "no_answer")
    assert store.get_offer(MUELLER).attempts == 1
    assert any("Müller Bau GmbH" in note for note in notifications(app))


async def _to_summary(pilot) -> None:
    """Walk Müller Bau's call script to its summary (a won call)."""
    await pilot.press("enter")
    await pilot.press(*"224121122")  # pushy, 30 %, 4, reached, arrived, fits, won, after 2, it didn't happen
    await pilot.press("enter")  # no notes
    assert "Summary" in screen_text(pilot.app)


async def test_a_waiting_script_save_is_saved_once_however_often_enter_is_pressed(
    store, lock, long_busy_timeout
):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await _to_summary(pilot)
        answered = len(app.screen.script_panel.run.draft().answers)
        held = lock()
        await pilot.press("enter")  # save: it waits
        await until(pilot, lambda: WAITING["en"] in screen_text(app))
        await pilot.press("enter", "enter")  # impatient
        assert any("Müller Bau GmbH is still being saved." in note for note in notifications(app))
        assert held.held
        held.release()
        await until(pilot, lambda: calls(store) != [])
        await settle(pilot)
        assert not app.screen.script_panel.in_progress

    [call] = calls(store)
    assert call["outcome"] == "won"
    [(_, saved)] = store.history(MUELLER)
    assert len(saved) == answered and saved[0].step == "fear"


async def test_a_lock_held_past_the_busy_timeout_keeps_the_answers_for_another_try(store, lock, monkeypatch):
    monkeypatch.setattr(opening_module, "BUSY_TIMEOUT_MS", 1_000)
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await _to_summary(pilot)
        answered = app.screen.script_panel.answer_count
        held = lock()
        await pilot.press("enter")
        await until(pilot, lambda: any("Not saved" in note for note in notifications(app)))
        assert held.held
        texts = notifications(app)
        assert any("has been locked by another program" in note for note in texts), texts
        assert any("Your answers are kept: Enter saves again." in note for note in texts), texts
        panel = app.screen.script_panel
        assert panel.in_progress and panel.answer_count == answered and "Summary" in screen_text(app)
        assert WAITING["en"] not in screen_text(app)
        assert calls(store) == []

        held.release()
        await pilot.press("enter")  # try again, now that the lock is gone
        await until(pilot, lambda: calls(store) != [])
        await settle(pilot)

    [call] = calls(store)
    assert call["outcome"] == "won"


async def test_archiving_waits_in_the_background_too(store, lock, long_busy_timeout):
    """Every write the app makes (archive, reopen, the form, blocks, forget) runs like a call's save."""
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        held = lock()
        await pilot.press("d", "tab", "enter")  # archive Müller Bau: yes
        await until(pilot, lambda: WAITING["en"] in screen_text(app))
        await pilot.press("down")
        assert app.screen.inbox.current.client == "Northwind Studio" and held.held
        assert store.get_offer(MUELLER).status is Status.OPEN
        held.release()
        await until(pilot, lambda: store.get_offer(MUELLER).status is Status.ARCHIVED)
        await settle(pilot)
        assert WAITING["en"] not in screen_text(app)
        assert any("Müller Bau GmbH" in note and "rchived" in note for note in notifications(app))
