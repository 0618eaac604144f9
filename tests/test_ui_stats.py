"""The stats screen: the same figures as `nachhaken stats`, in both languages, closed by Esc or q."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import TODAY
from textual.widgets import Sparkline
from ui_helpers import fill, make_app, screen_text, settle

from nachhaken_tui.core.models import CallDraft, Outcome, Reached
from nachhaken_tui.ui.screens.main import MainScreen
from nachhaken_tui.ui.screens.stats import StatsScreen


def _history(store):
    """The three fixture offers; Müller Bau won on a call today after fearing to look pushy."""
    fill(store)
    draft = CallDraft(
        outcome=Outcome.WON,
        reached=Reached.YES,
        fear="pushy",
        hesitation_before=4,
        hesitation_after=2,
        fear_came_true=False,
    )
    at = f"{TODAY.isoformat()}T11:00:00+01:00"
    store.record_call(1, draft, today=TODAY, ended_at=at)
    store.record_call(
        2,
        CallDraft(outcome=Outcome.LOST, reached=Reached.YES, loss_reason="[b]too far[/b]"),
        today=TODAY,
        ended_at=at,
    )
    return store


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            [
                "Your numbers",
                "3 offers (1 open, 1 won, 1 lost, 0 archived) · 2 calls",
                "Followed up: 1 of 2 closed won (too few calls to say yet)",
                "You feared looking pushy once; it never happened.",
                "1  [b]too far[/b]",
                "Won: €4,800 (1 offer)",
                "Open pipeline: €900 (1 offer)",
            ],
        ),
        (
            "de",
            [
                "Deine Zahlen",
                "3 Angebote (1 offen, 1 gewonnen, 1 verloren, 0 archiviert) · 2 Anrufe",
                "Nachgefasst: 1 von 2 abgeschlossenen gewonnen (zu wenige, um etwas zu sagen)",
                "Du hast einmal befürchtet, aufdringlich zu wirken; eingetreten ist es nie.",
                "Gewonnen: 4.800 € (1 Angebot)",
            ],
        ),
    ],
)
async def test_the_screen_shows_the_numbers(store, lang, expected):
    app = make_app(_history(store), lang)
    async with app.run_test(size=(120, 60)) as pilot:
        app.push_screen(StatsScreen(store, lang, TODAY))
        await settle(pilot)
        text = screen_text(app)
        for line in expected:
            assert line in text
        assert app.screen.query_one(Sparkline).data[-1] == 2  # this week's two calls


async def test_escape_and_q_close_it_without_quitting(store):
    app = make_app(_history(store))
    async with app.run_test(size=(120, 40)) as pilot:
        for key in ("escape", "q"):
            app.push_screen(StatsScreen(store, "en", TODAY))
            await settle(pilot)
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, MainScreen)
        assert app.is_running


async def test_an_empty_database_gets_a_friendly_word(store):
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(StatsScreen(store, "en", TODAY))
        await settle(pilot)
        text = screen_text(app)
        assert not app.screen.query(Sparkline)
    assert "No offers yet, so no numbers yet." in text


async def test_since_limits_the_screen_too(store):
    app = make_app(_history(store))
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(StatsScreen(store, "en", TODAY, since=dt.date(2026, 11, 20)))
        await settle(pilot)
        text = screen_text(app)
    assert "Your numbers since Fri 20 Nov 2026" in text
    assert "2 offers (1 open, 0 won, 1 lost, 0 archived) · 1 call" in text


async def test_at_80x24_the_keyboard_scrolls_to_the_money(store):
    app = make_app(_history(store))
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(StatsScreen(store, "en", TODAY))
        await settle(pilot)
        assert "Won: €4,800" not in screen_text(app)
        await pilot.press("end")
        await pilot.pause()
        assert "Won: €4,800 (1 offer)" in screen_text(app)


async def test_closing_before_the_count_is_done_is_harmless(store):
    app = make_app(_history(store))
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(StatsScreen(store, "en", TODAY))
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
