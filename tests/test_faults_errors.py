"""When something unexpected breaks: one short line, details in crash.log, the terminal restored.

The app's `_handle_exception` replaces Textual's full-screen traceback (with
local variables, i.e. client data) by crash.py's report: the exception type
and code locations go to crash.log in the platform's state folder, the user
gets one line after the terminal is back to normal, and the exit code is 2.
Failures a user can cause (a full disk, a read-only file) are not crashes:
they get a message inside the app, which keeps running.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import pty
import select
import sqlite3
import struct
import subprocess
import sys
import termios
import time

import pytest
from conftest import TODAY
from fault_helpers import HELPERS, PINNED, crash_log, run_cli
from ui_helpers import fill, make_app, notifications, screen_text, settle

from nachhaken_tui.core.models import CallDraft, OfferDraft, Outcome, Status

SECRET_CLIENT = "Geheimkunde Schwarzwald GmbH"
SECRET_PHONE = "+49 761 5550199"
SECRET_EMAIL = "inge.heimlich@example.org"
PERSONAL = (SECRET_CLIENT, "Geheimkunde", "Schwarzwald", SECRET_PHONE, "5550199", SECRET_EMAIL, "heimlich")


def _secret_offer(store) -> None:
    store.add_offer(
        OfferDraft(
            client=SECRET_CLIENT,
            contact="Inge Heimlich",
            title="Audit",
            phone=SECRET_PHONE,
            email=SECRET_EMAIL,
            sent_on=dt.date(2026, 11, 20),
            notes="private notes",
        )
    )


def assert_log_is_private(log_text: str) -> None:
    for word in PERSONAL:
        assert word not in log_text, word


# ------------------------------------------------------------------ inside the app (Pilot)


async def test_a_widget_that_raises_ends_the_app_with_one_line_and_a_private_log(store, monkeypatch):
    from nachhaken_tui.ui.widgets.offer_card import OfferCard

    fill(store)
    _secret_offer(store)
    original = OfferCard.show

    def show(self, offer, *args, **kwargs):
        if offer is not None and offer.client == SECRET_CLIENT:
            raise RuntimeError(f"cannot show {offer.client}, {offer.phone}, {offer.email}")
        return original(self, offer, *args, **kwargs)

    monkeypatch.setattr(OfferCard, "show", show)
    app = make_app(store)
    with pytest.raises(RuntimeError):  # Pilot re-raises what ended the app
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("down")  # the secret offer is second most urgent: its card raises
            await pilot.pause()
    assert app.return_code == 2
    message = app.crash_message
    assert message.startswith(
        "nachhaken hit an unexpected error (RuntimeError). Your saved data is unchanged."
    )
    assert "\n" not in message and str(crash_log()) in message
    assert_log_is_private(message)
    log = crash_log().read_text(encoding="utf-8")
    assert "builtins.RuntimeError" in log
    assert "offer_card" in log or "test_faults_errors.py" in log  # where it happened
    assert_log_is_private(log)
    assert oct(crash_log().stat().st_mode & 0o077) == "0o0"  # the log is private too


async def test_a_crash_in_the_save_worker_saves_nothing_and_is_reported(store, monkeypatch):
    """A bug while saving (not a full disk, not bad input): the worker's
    error ends the app the same way, and the call is not half-saved."""
    fill(store)

    def broken(*args, **kwargs):
        raise ZeroDivisionError("bug in record_call")

    monkeypatch.setattr(type(store), "record_call", broken)
    app = make_app(store)
    with pytest.raises(Exception, match="bug in record_call"):  # Pilot re-raises it (as WorkerFailed)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("w")
            await settle(pilot)
    assert app.return_code == 2
    assert "(ZeroDivisionError)" in app.crash_message  # the real error, not Textual's wrapper
    log = crash_log().read_text(encoding="utf-8")
    assert "builtins.ZeroDivisionError" in log and "broken" in log and "_write_call" in log
    assert store.db["calls"].count == 0
    assert store.get_offer(1).status is Status.OPEN


@pytest.mark.serial
def test_the_real_tui_restores_the_terminal_and_prints_one_line(tmp_path):
    """The real `nachhaken` on a pseudo-terminal, with a bug planted in the
    offer card (tests/fault_helpers/tui_with_fault.py): after the crash the
    alternate screen is left, the cursor shown, the terminal modes are as
    before, and one line (no traceback, no client data) follows."""
    from nachhaken_tui.core.db.store import Store

    db = tmp_path / "nachhaken.db"
    store = Store.open(db)
    fill(store)
    _secret_offer(store)
    store.close()

    config = tmp_path / "config.toml"
    config.write_text("[me]\n", encoding="utf-8")  # a returning user: no first-run question
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    before = termios.tcgetattr(terminal)
    process = subprocess.Popen(
        [sys.executable, str(HELPERS / "tui_with_fault.py"), "--db", str(db), "--lang", "en", *PINNED],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        start_new_session=True,
        env={
            **os.environ,
            "TERM": "xterm-256color",
            "COLORTERM": "truecolor",
            "NACHHAKEN_CONFIG": str(config),
        },
    )
    output = b""

    def read_for(seconds: float, until: bytes | None = None) -> None:
        nonlocal output
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            ready, _, _ = select.select([controller], [], [], 0.2)
            if ready:
                try:
                    output += os.read(controller, 65536)
                except OSError:
                    return
            if until is not None and until in output:
                return
            if process.poll() is not None and not ready:
                return

    try:
        read_for(30, until=b"Northwind")  # the inbox is drawn
        assert b"\x1b[?1049h" in output, output[-500:]
        os.write(controller, b"G")  # to the last offer: the card raises
        read_for(30)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
        after = termios.tcgetattr(terminal)
        os.close(terminal)
        os.close(controller)

    assert process.returncode == 2, output[-2000:]
    left_app = output.rindex(b"\x1b[?1049l")  # the alternate screen was left …
    tail = output[left_app:].decode("utf-8", "replace")
    assert "\x1b[?25h" in output[output.rindex(b"\x1b[?1049h") :].decode("utf-8", "replace")  # … cursor shown
    assert "nachhaken hit an unexpected error (RuntimeError). Your saved data is unchanged." in tail
    assert "Traceback" not in output.decode("utf-8", "replace")
    assert_log_is_private(tail)
    assert after[3] == before[3], "terminal modes (echo, canonical input) not restored"
    log = crash_log().read_text(encoding="utf-8")
    assert "builtins.RuntimeError" in log and "tui_with_fault.py" in log
    assert_log_is_private(log)


def test_a_crash_in_a_command_is_one_line_and_the_log_keeps_no_personal_data(db_path, monkeypatch):
    from nachhaken_tui.commands import due as due_module
    from nachhaken_tui.core.db.store import Store

    store = Store.open(db_path)
    _secret_offer(store)
    store.add_offer(OfferDraft(client="Other", title="T", sent_on=dt.date(2026, 11, 2)))
    store.close()

    def broken_reason(item, today, lang):
        raise KeyError(f"{item.offer.client} / {item.offer.phone} / {item.offer.email}")

    monkeypatch.setattr(due_module, "_reason", broken_reason)
    result = run_cli("due", db=db_path)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(
        "nachhaken hit an unexpected error (KeyError)"
    )
    assert "Traceback" not in result.output
    assert_log_is_private(result.output)
    log = crash_log().read_text(encoding="utf-8")
    assert "builtins.KeyError" in log and "broken_reason" in log
    assert_log_is_private(log)


def test_the_crash_log_survives_an_unwritable_state_folder(db_path, monkeypatch, tmp_path):
    """If even crash.log cannot be written, the user still gets the line."""
    from nachhaken_tui.commands import due as due_module

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocker))
    run_cli("add", "--client", "A", "--title", "T", "--sent", "2026-11-02", db=db_path)
    monkeypatch.setattr(due_module, "_reason", lambda *a: 1 / 0)
    result = run_cli("due", db=db_path)
    assert result.exit_code == 2
    assert "nachhaken hit an unexpected error (ZeroDivisionError)" in result.output
    assert "Traceback" not in result.output


# ------------------------------------------------------------------ failures a user can cause


def _read_only(store) -> None:
    """The store's connection may no longer write (as a read-only file would refuse)."""
    store.db.execute("PRAGMA query_only = ON")


def _full(store) -> None:
    """The file may not grow (`max_page_count`), and its free space is used up."""
    store.db.execute("CREATE TABLE IF NOT EXISTS ballast (x BLOB)")
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages}")
    conn = store.db.conn
    for size in (4000, 1000, 100, 10):
        try:
            while True:
                conn.execute("INSERT INTO ballast VALUES (randomblob(?))", [size])
                conn.commit()
        except sqlite3.OperationalError:
            conn.rollback()


@pytest.mark.parametrize("make_unwritable", [_read_only, _full], ids=["read-only", "full-disk"])
async def test_saving_a_call_on_an_unwritable_file_says_so_and_keeps_the_call(store, make_unwritable):
    """The whole script answered, Enter on the summary, and the file refuses:
    a message, nothing written, the summary still there; once the file takes
    writes again, Enter saves the same call."""
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        # no worry, 1, reached, no questions, fits, yes, after 2: a digit picks and goes on
        await pilot.press("enter", "4", "1", "1", "2", "1", "1", "2")
        app.screen.query_one("#entry").value = "A long pasted note. " * 1000  # needs new pages
        await pilot.press("enter")
        assert "Summary" in screen_text(app)
        make_unwritable(store)
        await pilot.press("enter")
        await settle(pilot)
        assert any(
            "nothing was changed" in note or "read-only" in note or "readonly" in note
            for note in notifications(app)
        ), notifications(app)
        assert app.is_running and app.screen.script_panel.in_progress
        assert "Summary" in screen_text(app)
        store.db.execute("PRAGMA query_only = OFF")
        store.db.execute("PRAGMA max_page_count = 1073741823")
        await pilot.press("enter")
        await settle(pilot)
    assert store.db["calls"].count == 1
    assert store.get_offer(1).status is Status.WON


@pytest.mark.parametrize(
    ("keys", "what"),
    [
        pytest.param(["d", "tab", "enter"], "archive"),
        pytest.param(["v", "v", "v", "r", "enter"], "reopen"),
        pytest.param(["v", "v", "v", "r", "tab", "enter"], "reopen: the closing call was a mistake"),
        pytest.param(["b", "enter", "enter", "enter"], "start a block"),
        pytest.param(["e", "ctrl+s"], "edit"),
        pytest.param(["X", "tab", "enter"], "forget"),
        pytest.param(["w"], "quick outcome"),
        pytest.param(["l", "1"], "quick lost"),
    ],
)
async def test_other_writes_on_a_read_only_file_keep_the_app_running(store, keys, what):
    fill(store)
    store.record_call(2, CallDraft(outcome=Outcome.WON), today=TODAY)  # something for the Closed view
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        _read_only(store)
        await pilot.press(*keys)
        await settle(pilot)
        assert app.is_running, what
        assert any("read-only" in note or "nothing was changed" in note for note in notifications(app)), what
    store.db.execute("PRAGMA query_only = OFF")
    assert store.db["calls"].count == 1


# ------------------------------------------------------------------ Textual's own crashes


async def test_page_keys_on_an_option_list_that_is_not_laid_out_yet(store):
    """Textual's OptionList raised KeyError on PageUp/PageDown before its
    first layout (the monkey test hit it in the command palette); the app
    works around it (ui/textual_fixes.py)."""
    from textual.widgets import OptionList

    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        options = OptionList(*[f"option {n}" for n in range(30)], classes="hidden")
        await app.screen.mount(options)
        options.styles.display = "none"
        options.highlighted = 5
        options.action_page_down()  # no size, no lines yet: ignored instead of KeyError
        options.action_page_up()
        options.styles.display = "block"
        await pilot.pause()
        options.action_page_down()
        assert options.highlighted > 5
        assert app.is_running
