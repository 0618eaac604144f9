"""Small terminals: 60×20 and 80×24 render every screen, and a whole call can be made.

A laptop split in two, a terminal in a corner of the screen: the app must
not crash, and what the user needs for the main job must be on screen when
it is needed: each step's question, the option the keyboard is on, the
field to type in, the line that says how to save; in every dialog the choices
and the keys.
"""

from __future__ import annotations

import datetime as dt

import pytest
from fault_helpers import quick_press
from ui_helpers import fill, make_app, notifications, screen_text, settle

from nachhaken_tui.core.models import CallDraft, OfferDraft, Outcome
from nachhaken_tui.core.script.model import Kind

SIZES = [(60, 20), (80, 24)]
IDS = ["60x20", "80x24"]


def _words(text: str) -> str:
    return " ".join(text.split())


def _on_screen(app, widget) -> bool:
    """The widget has room on the screen (not squeezed to nothing, not off the edge)."""
    region = widget.region
    screen = app.screen.region
    return region.height > 0 and region.width > 0 and screen.contains_region(region)


def _visible_start(app, text: str, length: int = 14) -> bool:
    """The first words of `text` are shown (a wrapped line keeps its start)."""
    return _words(text)[:length] in _words(screen_text(app))


@pytest.mark.parametrize(
    ("size", "decision"),
    [
        pytest.param((60, 20), "yes", id="yes-60x20"),
        pytest.param((60, 20), "not_yet", id="not_yet-60x20"),
        pytest.param((60, 20), "no", id="no-60x20"),
        pytest.param((80, 24), "yes", id="yes-80x24"),
        pytest.param((80, 24), "not_yet", id="not_yet-80x24"),
        pytest.param((80, 24), "no", id="no-80x24"),
    ],
)
async def test_a_whole_call_can_be_made_on_a_small_terminal(store, size, decision):
    """Start, answer every step by keyboard (choices, a scale, a date, typed
    notes), see each question and the option under the cursor, save."""
    fill(store)
    app = make_app(store)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert _visible_start(app, "Müller Bau GmbH")
        await pilot.press("enter")
        panel = app.screen.script_panel
        seen = []
        while not panel.run.finished:
            step = panel.run.current
            seen.append(step.id)
            assert _visible_start(app, step.question), (size, step.id, screen_text(app))
            if step.kind in (Kind.CHOICE, Kind.SCALE):
                options = app.screen.query_one("#options")
                assert _on_screen(app, options), (size, step.id)
                keys = [option.key for option in step.options] if step.kind is Kind.CHOICE else []
                if step.id == "dial":
                    number = 1
                elif step.id == "decision":
                    number = keys.index(decision) + 1
                elif step.id == "loss_reason":
                    number = len(keys)  # "something else": a typed reason follows
                else:
                    number = 1 if step.kind is Kind.CHOICE else 3
                label = str(options.get_option_at_index(number - 1).prompt)
                assert _visible_start(app, label, 10), (size, step.id, label)
                await pilot.press(str(number))  # a digit picks and goes on
            else:
                entry = app.screen.query_one("#entry")
                assert _on_screen(app, entry) and entry.has_focus, (size, step.id)
                await quick_press(pilot, *("plus", "3") if step.kind is Kind.DATE else "ok")
                await pilot.press("enter")
            assert len(seen) < 20, " ".join(seen)
        assert "Summary" in screen_text(app)
        hint = app.screen.query_one("#hint")
        assert _on_screen(app, hint) and "save" in str(hint.content).lower()
        await pilot.press("enter")
        await settle(pilot)
        assert any("Saved: Müller Bau GmbH" in note for note in notifications(app))
    [call] = store.db.query("SELECT * FROM calls")
    assert call["outcome"] == {"yes": "won", "not_yet": "follow_up", "no": "lost"}[decision]
    assert store.db["answers"].count == len(seen)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
async def test_every_dialog_and_screen_shows_its_choices_and_keys(store, size):
    fill(store)
    loop = store.add_offer(
        OfferDraft(
            client="Loop GmbH",
            title="Unanswered thrice",
            sent_on=dt.date(2026, 11, 2),
            email="info@loop.example",
            phone="+49 30 1234567",
        )
    )
    for day in (10, 12, 16):  # three unanswered attempts: the close-the-loop message applies (m)
        store.record_call(loop, CallDraft(outcome=Outcome.NO_ANSWER), today=dt.date(2026, 11, day))
    app = make_app(store)
    app.open_url = lambda url, new_tab=True: None
    checks = [
        # (keys that open it, texts that must be on screen, keys that close it)
        (["l"], ["1  Price", "8  Other reason", "Esc"], ["escape"]),
        (["s"], ["Snooze until", "Reason", "Esc"], ["escape"]),
        (["d"], ["Archive", "Cancel"], ["escape"]),
        (["b"], ["How many calls?", "Esc"], ["escape"]),
        (["question_mark"], ["Keymap"], ["escape"]),
        (["h"], ["Esc"], ["escape"]),
        (["t"], [], ["escape"]),
        (["a"], ["Client *", "Ctrl+S saves"], ["escape"]),
        (["e"], ["Client *", "Loop GmbH", "Ctrl+S saves"], ["escape"]),
        (["ctrl+p"], [], ["escape"]),
        (["m"], ["Esc"], ["escape"]),
        (
            ["enter", "4", "1", "1", "k"],
            [],
            ["escape", "escape", "escape", "escape", "escape"],
        ),
    ]
    async with app.run_test(size=size) as pilot:
        for opening, texts, closing in checks:
            await pilot.press(*opening)
            await settle(pilot)
            shown = _words(screen_text(app))
            for text in texts:
                assert _words(text) in shown, (size, opening, text, screen_text(app))
            await pilot.press(*closing)
            await settle(pilot)
            assert app.screen.__class__.__name__ == "MainScreen", (size, opening, app.screen)
        assert app.is_running


@pytest.mark.parametrize("size", [(40, 12), (30, 8), (120, 6)], ids=["40x12", "30x8", "120x6"])
async def test_even_smaller_terminals_do_not_crash(store, size):
    """Below the supported sizes nothing needs to fit, but nothing may break."""
    fill(store)
    app = make_app(store)
    async with app.run_test(size=size) as pilot:
        await quick_press(
            pilot,
            "enter",
            "1",
            "enter",
            "escape",
            "escape",
            "escape",
            "l",
            "escape",
            "question_mark",
            "escape",
            "v",
            "down",
            "b",
            "escape",
        )
        await pilot.resize_terminal(60, 20)
        await pilot.resize_terminal(*size)
        screen_text(app)
        assert app.is_running
