"""Keys faster than the screens: a dialog answered twice, keys while a screen comes or goes.

Enter pressed twice on a dialog's button queues two answers before the
dialog is gone. The second must do nothing: not pop the main screen
(`ScreenStackError`, the app ends), not close the screen the first answer
opened, not do the first answer's work twice. The monkey test
(tests/test_faults_monkey.py) finds such things by chance; these tests find
them on purpose.
"""

from __future__ import annotations

import pytest
from fault_helpers import quick_press
from textual.widgets import Button
from ui_helpers import fill, make_app, notifications, screen_text, settle

from nachhaken_tui.core.models import Status
from nachhaken_tui.ui.screens.main import MainScreen

MUELLER = 1

OPENERS = {
    "archive": "d",
    "lost": "l",
    "snooze": "s",
    "block": "b",
    "history": "h",
    "stats": "t",
    "add": "a",
    "help": "question_mark",
    "forget": "X",
}
"""Keys on the inbox that open a screen of their own over the main screen."""


@pytest.mark.parametrize("opener", OPENERS)
async def test_a_screen_dismissed_twice_closes_once(store, opener):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(OPENERS[opener])
        screen = app.screen
        assert not isinstance(screen, MainScreen)
        screen.dismiss(None)
        screen.dismiss(None)  # the second answer, from a key queued before the first was handled
        await settle(pilot)
        assert isinstance(app.screen, MainScreen) and len(app.screen_stack) == 1
        await pilot.press("down")  # and the app goes on
        assert app.screen.inbox.current.client == "Northwind Studio"
    assert app.return_code in (None, 0)


async def test_yes_pressed_twice_archives_once_and_keeps_the_app(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("d")
        yes = app.screen.query_one("#yes", Button)
        yes.press()
        yes.press()
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert [note for note in notifications(app) if "Archived" in note or "archived" in note]
        assert len([note for note in notifications(app) if "Müller Bau" in note]) == 1
    assert store.get_offer(MUELLER).status is Status.ARCHIVED
    assert app.return_code in (None, 0)


async def test_a_second_answer_does_not_close_the_screen_the_first_one_opened(store):
    """Ending a block: yes → the block summary opens; a second yes must leave the summary open."""
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("b", "enter", "enter", "enter")  # a block with the suggested bounds, no plan
        await pilot.pause()
        await pilot.press("escape", "w")  # out of the script it opened; one quick outcome
        await settle(pilot)
        await pilot.press("escape", "b")
        assert "End the block?" in screen_text(app)
        dialog = app.screen
        yes = dialog.query_one("#yes", Button)
        yes.press()
        yes.press()
        await settle(pilot)
        assert app.screen is not dialog and not isinstance(app.screen, MainScreen)
        assert "Block summary" in screen_text(app)  # the summary is still there to be read
    assert app.return_code in (None, 0)


KEY_STORMS = [
    ("d", "tab", "enter", "enter", "enter"),
    ("h", "escape", "escape", "escape", "down"),
    ("l", "enter", "enter", "escape", "escape"),
    ("s", "escape", "s", "escape", "escape", "s"),
    ("question_mark", "escape", "question_mark", "escape", "escape"),
    ("t", "escape", "t", "escape", "escape", "t", "escape"),
    ("ctrl+p", "escape", "escape", "ctrl+p", "enter", "escape", "escape"),
    ("a", "escape", "escape", "a", "ctrl+s", "ctrl+s", "escape", "escape"),
]


@pytest.mark.parametrize("keys", KEY_STORMS, ids=lambda keys: "-".join(keys))
async def test_keys_during_a_screen_change_never_crash(store, keys):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await quick_press(pilot, *keys, settle_every=len(keys))  # all queued before any is handled
        await settle(pilot)
        await pilot.press("escape", "escape", "escape")
        assert app.screen_stack[0] is not None and isinstance(app.screen_stack[0], MainScreen)
    assert app.return_code in (None, 0), app.crash_message
