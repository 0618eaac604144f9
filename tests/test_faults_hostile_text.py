"""Hostile text in every field, on every screen and from every command: shown, never obeyed.

Names, notes and answers are other people's words, typed by hand, pasted from
mails or imported from a CRM. They may hold Rich/Textual markup (`[/]` raises
MarkupError, `[@click=app.quit]` is a live action), ANSI and OSC escape
sequences (recolour, retitle, write the clipboard, hyperlinks), right-to-left
overrides, combining characters, emoji and zero-width characters. Every one
of them must appear literally (control characters as "�"), without a crash,
a changed style, a link or an action; and no command may send an escape
sequence that came from the data to a terminal.

The data is written straight into the store, as another program or an old
import could have left it, so the display code is tested without the
validation in front of it.
"""

from __future__ import annotations

import datetime as dt
import os
import pty
import random
import re
import select
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import TODAY
from fault_helpers import PINNED, quick_press, run_cli
from ui_helpers import make_app, notifications, screen_text, settle

from nachhaken_tui.core.models import Answer, CallDraft, OfferDraft, Outcome, Reached
from nachhaken_tui.core.script.model import Kind

MARKUP = "[bold red]KUNDE[/] [@click=app.quit]KLICK[/] [link=https://evil.example]LINKY[/link] [/]"
ESCAPES = "\x1b]0;PWNED\x07 \x1b[31mROT\x1b[0m \x1b[2J \x9b31mCSI \x1b]8;;https://evil.example\x1b\\OSC8\x1b]8;;\x1b\\"
CLIPBOARD = "\x1b]52;c;ZXZpbA==\x07CLIP"
BIDI = "\u202eRTL\u202c \u2066ISO\u2069 עברית عميل"
COMBINING = "Z̵̡̢̛a̸̢l̷g̴o̵ e\u0301"
EMOJI = "👩‍👩‍👧‍👦 🇩🇪 ☎️"
ZERO_WIDTH = "Z\u200bW\u200cJ\u200dN\ufeffS"
FORMAT = "{contact} {0} {__class__} %s %(x)s"
HOSTILE = [MARKUP, ESCAPES, CLIPBOARD, BIDI, COMBINING, EMOJI, ZERO_WIDTH, FORMAT]

RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""What must never reach the screen or a terminal from data (tab and newline aside)."""


def _offer(store, text: str, *, sent: dt.date = dt.date(2026, 11, 16), **extra) -> int:
    """An offer with `text` in every text field (a one-line version where the UI wants one)."""
    fields = dict(
        client=f"C {text}",
        contact=f"P {text}",
        title=f"T {text}",
        notes=f"N {text}\nline 2",
        phone=f"+49 {text}",
        email=f"x{text}@e.example",
        sent_on=sent,
        first_talk_on=dt.date(2026, 11, 10),
        value_cents=123_456,
    )
    fields.update(extra)
    return store.add_offer(OfferDraft(**fields))


def _history(store, offer_id: int, text: str) -> None:
    """A call about `offer_id` whose every free-text column holds `text`."""
    draft = CallDraft(
        outcome=Outcome.FOLLOW_UP,
        reached=Reached.YES,
        next_due=dt.date(2026, 12, 3),
        fear=f"F {text}",
        hesitation_before=3,
        hesitation_after=2,
        fear_came_true=False,
        notes=f"N {text}",
        answers=[Answer("opening", f"Q {text}", f"A {text}"), Answer("fit", "Fit?", f"A2 {text}")],
    )
    store.record_call(offer_id, draft, today=TODAY, ended_at="2026-11-20T10:00:00+01:00")


def _segments(app):
    for strip in app.screen._compositor.render_strips():
        yield from strip


def assert_inert(app, *markers: str) -> str:
    """The screen holds no control character from data, and no link or
    click action on any of the markers; returns the screen's text."""
    text = screen_text(app)
    assert not RAW_CONTROL.search(text), repr(RAW_CONTROL.search(text))
    for segment in _segments(app):
        style = segment.style
        if style is None or not any(marker in segment.text for marker in markers):
            continue
        # the phone's own tel: link is a feature (digits only, built by core.calls.dial)
        assert not style.link or re.fullmatch(r"tel:\+?\d+", style.link), (segment.text, style.link)
        assert "@click" not in (style.meta or {}), (segment.text, style.meta)
    assert "evil.example" not in "".join(
        str(segment.style.link) for segment in _segments(app) if segment.style and segment.style.link
    )
    return text


MARKERS = ("KUNDE", "KLICK", "LINKY", "PWNED", "ROT", "CSI", "OSC8", "CLIP", "RTL")


# ------------------------------------------------------------------ the main screen


async def test_inbox_card_and_every_view_show_it_literally(store):
    """One offer per kind of hostile text, each with a call history, and
    closed ones too: the cursor visits every row of every view, so each
    appears in the list and on the card."""
    for index, text in enumerate(HOSTILE):
        _offer(store, text, sent=dt.date(2026, 11, 2) + dt.timedelta(days=index))
        _history(store, _offer(store, text, sent=dt.date(2026, 10, 1) + dt.timedelta(days=index)), text)
        store.record_call(
            _offer(store, text, sent=dt.date(2026, 9, 1) + dt.timedelta(days=index)),
            CallDraft(outcome=Outcome.LOST, loss_reason=f"L {text}"),
            today=TODAY,
        )
    app = make_app(store)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        shown = assert_inert(app, *MARKERS)
        assert "C [bold red]KUNDE[/] [@click=app.quit]KLICK[/]" in shown  # not bold, not red, no action
        for _view in range(4):  # Due, Upcoming, Open, Closed
            for _row in range(len(HOSTILE) * 2):
                await quick_press(pilot, "down")
                shown = assert_inert(app, *MARKERS)
                if (row := app.screen.inbox.current) is not None:
                    assert shown.count(row.client[:25]) >= 2, shown  # in the list and on the card
            await quick_press(pilot, "v")
        await pilot.click("#card")
        await pilot.click("#inbox")
        await pilot.pause()
        assert app.is_running
    assert store.db["calls"].count == len(HOSTILE) * 2


async def test_the_whole_card_text_appears_and_clicks_do_nothing(store):
    _offer(store, MARKUP + " " + ESCAPES)
    app = make_app(store)
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.pause()
        card = assert_inert(app, *MARKERS)
        assert (
            "N [bold red]KUNDE[/] [@click=app.quit]KLICK[/] [link=https://evil.example]LINKY[/link] [/]"
            in card
        )
        assert "\ufffd]0;PWNED\ufffd \ufffd[31mROT\ufffd[0m" in card  # ESC and BEL shown as �
        for y in (0, 2, 4, 14):  # click on the name, the title and the notes: no action may fire
            await pilot.click("#card-box", offset=(4, y))
        await pilot.pause()
        assert app.is_running


async def test_search_typed_with_markup_and_found_literally(store):
    _offer(store, "[b]x[/b]")
    _offer(store, "plain", sent=dt.date(2026, 11, 2))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", "left_square_bracket", "b", "right_square_bracket")
        text = assert_inert(app, "KUNDE")
        assert "C [b]x[/b]" in text and "C plain" not in text
        await pilot.press("left_square_bracket", "slash", "right_square_bracket", "z")
        assert "Nothing found for “[b][/]z”." in screen_text(app)
        await pilot.press("escape")
        assert "C plain" in screen_text(app)
        assert app.is_running


@pytest.mark.parametrize("seed", range(3))
async def test_every_script_step_fills_placeholders_literally(store, seed):
    """Seeded walks through the call script for an offer whose contact,
    title and dates are hostile; typed answers are hostile too. Each step's
    text, options and the summary stay inert."""
    text = f"{MARKUP} {ESCAPES} {BIDI} {FORMAT}"
    _offer(store, text)
    app = make_app(store)
    rng = random.Random(seed)
    async with app.run_test(size=(160, 60)) as pilot:
        await pilot.press("enter")
        panel = app.screen.script_panel
        visited = []
        while panel.run is not None and not panel.run.finished:
            step = panel.run.current
            visited.append(step.id)
            shown = assert_inert(app, *MARKERS)
            if "{contact}" in (app.script.steps[step.id].question + (app.script.steps[step.id].say or "")):
                assert "P [bold red]KUNDE[/]" in shown
            if step.kind in (Kind.CHOICE, Kind.SCALE):
                options = len(step.options) if step.kind is Kind.CHOICE else step.high - step.low + 1
                await pilot.press(str(rng.randint(1, options)))
            elif step.kind is Kind.DATE:
                await pilot.press("plus", "3", "enter")
            else:
                entry = app.screen.query_one("#entry")
                entry.value = rng.choice(HOSTILE)
                await pilot.press("enter")
            assert len(visited) < 40
        summary = assert_inert(app, *MARKERS)
        assert "Summary" in summary
        await pilot.press("enter")  # save
        await settle(pilot)
        assert_inert(app, *MARKERS)
        assert any("Saved: C [bold red]KUNDE[/]" in note for note in notifications(app))
        assert app.is_running
    [call] = store.db.query("SELECT * FROM calls")
    assert call["outcome"]


async def test_dialogs_quote_the_client_literally(store):
    """Archive and discard confirmations, a lost reason and a snooze reason
    typed with markup: all literal, in the dialog and in the toast."""
    from nachhaken_tui.ui.screens.dialogs import ConfirmDialog, LostDialog, SnoozeDialog

    _offer(store, MARKUP, sent=dt.date(2026, 11, 2))  # the most overdue: selected first
    _offer(store, ESCAPES)
    app = make_app(store)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmDialog)
        assert "[bold red]KUNDE[/]" in assert_inert(app, *MARKERS)  # "Archive …?"
        await pilot.press("escape")
        await pilot.press("enter", "1", "v")  # a script with an answer; switching views asks
        assert isinstance(app.screen, ConfirmDialog)
        assert "[bold red]KUNDE[/]" in assert_inert(app, *MARKERS)  # "Drop the call with …?"
        await pilot.press("escape", "escape", "escape")  # keep it; back a step; leave the script
        await pilot.pause()
        await pilot.press("l", "8")
        assert isinstance(app.screen, LostDialog)
        app.screen.query_one("#other").value = MARKUP
        await pilot.press("enter")
        await settle(pilot)
        assert_inert(app, *MARKERS)
        assert any("Saved: C [bold red]KUNDE[/]" in note for note in notifications(app))
        await pilot.press("s")
        assert isinstance(app.screen, SnoozeDialog)
        await pilot.press("plus", "3", "enter")
        app.screen.query_one("#reason").value = ESCAPES
        await pilot.press("enter")
        await settle(pilot)
        assert_inert(app, *MARKERS)
        assert app.is_running
    reasons = [
        row["loss_reason"] for row in store.db.query("SELECT loss_reason FROM offers WHERE status='lost'")
    ]
    assert reasons == [MARKUP]  # stored exactly as typed
    [snoozed] = store.db.query("SELECT notes FROM calls WHERE outcome = 'snoozed'")
    assert snoozed["notes"] == ESCAPES.strip()


async def test_empty_inbox_names_the_next_client_literally(store):
    _offer(store, MARKUP + ESCAPES, sent=dt.date(2026, 11, 25))  # due next week
    app = make_app(store)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        text = assert_inert(app, *MARKERS)
        assert "Next follow-up" in text and "[bold red]KUNDE[/]" in text


# ------------------------------------------------------------------ the other screens


def _later_screens(app, offer_id: int):
    """Every screen beyond the main one, built the way the app builds it."""
    from nachhaken_tui.ui.screens.close_loop import CloseLoopDialog
    from nachhaken_tui.ui.screens.help import HelpScreen
    from nachhaken_tui.ui.screens.history import HistoryScreen
    from nachhaken_tui.ui.screens.offer_form import OfferForm
    from nachhaken_tui.ui.screens.qr import QRScreen
    from nachhaken_tui.ui.screens.stats import StatsScreen

    offer = app.store.get_offer(offer_id)
    return {
        "history": lambda: HistoryScreen(app.store, offer_id, app.lang, app.today),
        "stats": lambda: StatsScreen(app.store, app.lang, app.today),
        "edit-form": lambda: OfferForm(app.lang, app.today, country="DE", currency="EUR", offer=offer),
        "qr": lambda: QRScreen(offer.phone, app.lang),
        "close-loop": lambda: CloseLoopDialog(offer, app.lang, app.today),
        "help": lambda: HelpScreen(app.lang),
    }


@pytest.mark.parametrize(
    "text",
    [MARKUP + ESCAPES + CLIPBOARD, BIDI + COMBINING + EMOJI + ZERO_WIDTH + FORMAT],
    ids=["markup-and-escapes", "unicode"],
)
async def test_later_screens_show_it_literally(store, text):
    """History, stats, the edit form, the QR code, the close-the-loop message
    and help, each opened over the inbox, clicked at, and closed."""
    offer_id = _offer(store, text, sent=dt.date(2026, 11, 2))
    _history(store, offer_id, text)
    store.record_call(offer_id, CallDraft(outcome=Outcome.NO_ANSWER), today=TODAY)
    store.record_call(
        _offer(store, text, sent=dt.date(2026, 10, 2)),
        CallDraft(outcome=Outcome.LOST, loss_reason=f"L {text}"),
        today=TODAY,
    )
    app = make_app(store)
    async with app.run_test(size=(160, 60)) as pilot:
        for name, build in _later_screens(app, offer_id).items():
            app.push_screen(build())
            await settle(pilot)
            if name == "stats":
                await pilot.pause(0.2)  # counted in a worker
            shown = assert_inert(app, *MARKERS)
            if text.startswith(MARKUP) and name in ("history", "close-loop"):
                assert "[bold red]KUNDE[/]" in shown, name
            for y in (3, 8, 15):
                await pilot.click(offset=(40, y))
            await pilot.press("escape")
            await pilot.pause()
            assert app.is_running, name
            assert app.screen.__class__.__name__ == "MainScreen", name


# ------------------------------------------------------------------ commands on a terminal


def _in_a_terminal(*args: str) -> bytes:
    """Run `nachhaken ARGS` with a pseudo-terminal as stdout and stderr (so it
    colours and believes a person is watching); everything it wrote."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "nachhaken_tui", *args, *PINNED],
        stdin=subprocess.DEVNULL,
        stdout=terminal,
        stderr=terminal,
        env={**os.environ, "TERM": "xterm-256color", "COLUMNS": "200"},
    )
    os.close(terminal)
    output = b""
    while True:
        ready, _, _ = select.select([controller], [], [], 30)
        if not ready:
            process.kill()
            raise AssertionError(f"no output for 30 s: {output[-300:]!r}")
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
    process.wait(timeout=30)
    os.close(controller)
    assert process.returncode in (0, 1), (process.returncode, output[-2000:])
    return output


OWN_CSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")
"""Colours, cursor and line control the command itself sends (rich's progress bar)."""


def assert_no_escape_from_data(output: bytes) -> None:
    """Only the command's own control sequences reach the terminal; none
    that came from the data, which is shown as �."""
    for marker in (
        b"\x1b]0;PWNED",
        b"\x1b[31mROT",
        b"\x1b[2J",
        b"\xc2\x9b31mCSI",
        b"\x1b]52;",
        b"\x1b]8;;",
        "\u202eRTL".encode(),
    ):
        assert marker not in output, marker
    rest = OWN_CSI.sub(b"", output)
    assert b"\x1b" not in rest, rest[rest.index(b"\x1b") - 40 : rest.index(b"\x1b") + 40]
    assert b"\xc2\x9b" not in rest


@pytest.fixture
def hostile_db(db_path):
    from nachhaken_tui.core.db.store import Store

    store = Store.open(db_path)
    for index, text in enumerate(HOSTILE):
        offer = _offer(store, text, sent=dt.date(2026, 11, 2) + dt.timedelta(days=index))
        _history(store, offer, text)
    store.record_call(
        _offer(store, ESCAPES, sent=dt.date(2026, 10, 1)),
        CallDraft(outcome=Outcome.LOST, loss_reason=f"L {ESCAPES}", fear=ESCAPES, fear_came_true=True),
        today=TODAY,
    )
    store.close()
    return db_path


@pytest.mark.parametrize(
    "args",
    [
        ["due"],
        ["due", "--json"],
        ["export"],
        ["export", "--format", "csv"],
        ["export", "--table", "calls"],
        ["export", "--table", "answers"],
        ["stats"],
        ["calendar"],
        ["forget", "--client", f"C {ESCAPES}", "--dry-run"],
    ],
    ids=lambda args: " ".join(args)[:30],
)
def test_commands_on_a_terminal_never_pass_escapes_from_data(hostile_db, args):
    output = _in_a_terminal(*args, "--db", str(hostile_db))
    assert_no_escape_from_data(output)
    if args[0] in ("due", "export") and "--json" not in args:
        assert b"[bold red]KUNDE[/]" in output  # shown literally


def test_error_messages_quote_hostile_input_safely(tmp_path, db_path):
    """Values and file names a user passes are echoed in messages; neither may
    steer the terminal."""
    hostile_name = tmp_path / "Angebote \x1b]0;PWNED\x07.csv"
    outputs = [
        _in_a_terminal("import", str(hostile_name), "--db", str(db_path)),
        _in_a_terminal("add", "--client", "A", "--title", "T", "--sent", ESCAPES, "--db", str(db_path)),
        _in_a_terminal("add", "--client", "A", "--title", "T", "--email", ESCAPES, "--db", str(db_path)),
        _in_a_terminal("import", str(tmp_path / "x.csv"), "--map", f"{ESCAPES}=client", "--db", str(db_path)),
    ]
    (tmp_path / "x.csv").write_text(f"client,title,sent_on,{ESCAPES}\nA,T,2026-11-03,x\n", encoding="utf-8")
    outputs.append(
        _in_a_terminal("import", str(tmp_path / "x.csv"), "--db", str(db_path))
    )  # "ignored columns"
    bad = tmp_path / "bad.csv"
    bad.write_text(f"client,title,sent_on\nA,T,{ESCAPES}\n", encoding="utf-8")
    outputs.append(_in_a_terminal("import", str(bad), "--db", str(db_path)))
    for output in outputs:
        assert_no_escape_from_data(output)
        assert b"Traceback" not in output


def test_a_pipe_gets_the_data_unchanged(hostile_db):
    """Sanitising is for people: `export | jq` or a CSV file keeps every byte."""
    result = run_cli("export", "--format", "csv", db=hostile_db)
    assert result.exit_code == 0
    assert f"C {ESCAPES}" in result.output
    exported = Path(hostile_db).with_name("out.csv")
    run_cli("export", "--out", str(exported), db=hostile_db)
    assert f"C {CLIPBOARD}" in exported.read_text(encoding="utf-8")
