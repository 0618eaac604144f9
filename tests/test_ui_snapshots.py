"""Snapshots of the main screen (both languages, small and large terminals) and of the
offer form, the history, the block summary and the QR code.

Built from the fixture database with a fixed date, so they change only when
what the user sees changes. Update deliberately with
`pytest tests/test_ui_snapshots.py --snapshot-update` and look at the
report before committing.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import TODAY
from ui_helpers import fill, make_app

from nachhaken_tui.core.calls.blocks import BlockPlan, BlockSummary
from nachhaken_tui.core.models import Answer, CallDraft, Outcome, Reached
from nachhaken_tui.ui.screens.block import BlockSummaryScreen
from nachhaken_tui.ui.screens.history import HistoryScreen

SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("lang", ["en", "de"])
@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_inbox_with_the_top_offer(snap_compare, store, lang, size):
    """The inbox in urgency order, the card of the most urgent offer."""
    fill(store)
    assert snap_compare(make_app(store, lang), terminal_size=size)


@pytest.mark.parametrize("lang", ["en", "de"])
def test_call_under_way_at_80x24(snap_compare, store, lang):
    """Third step of a call on a small terminal: the answers stay in view."""
    fill(store)
    assert snap_compare(make_app(store, lang), press=["enter", "2", "3"], terminal_size=(80, 24))


def test_first_run_empty_state(snap_compare, store):
    """No offers at all: how to add or import them."""
    assert snap_compare(make_app(store, "en"), terminal_size=(80, 24))


# ------------------------------------------------------------ pipeline screens (issue 4)


def test_offer_form_at_80x24(snap_compare, store):
    """`e` on the top offer: every field, filled, with its hints."""
    fill(store)
    assert snap_compare(make_app(store, "de"), press=["e"], terminal_size=(80, 24))


def test_history_of_an_offer(snap_compare, store):
    """`h`: two calls with their answers, outcomes and hesitation."""
    fill(store)
    store.record_call(
        1,
        CallDraft(
            outcome=Outcome.NO_ANSWER,
            reached=Reached.NO_ANSWER,
            fear="pushy",
            hesitation_before=4,
            hesitation_after=3,
            answers=[Answer("dial", "Did you reach Sabine Müller?", "No answer")],
        ),
        today=dt.date(2026, 11, 19),
        ended_at="2026-11-19T09:12:00+01:00",
    )
    store.record_call(
        1,
        CallDraft(
            outcome=Outcome.FOLLOW_UP,
            reached=Reached.YES,
            next_due=dt.date(2026, 12, 3),
            fear="no",
            hesitation_before=3,
            hesitation_after=1,
            fear_came_true=False,
            answers=[Answer("decision", "What is the answer?", "Not decided yet")],
        ),
        today=dt.date(2026, 11, 23),
        ended_at="2026-11-23T14:40:00+01:00",
    )

    async def show(pilot) -> None:
        await pilot.pause()  # the inbox's counts are in before the history covers it
        pilot.app.push_screen(HistoryScreen(store, 1, "en", TODAY))
        await pilot.pause()

    assert snap_compare(make_app(store, "en"), run_before=show, terminal_size=(100, 30))


def test_block_summary(snap_compare, store):
    """The end of a call block: what it achieved, and the question about the plan."""
    summary = BlockSummary(
        block_id=1,
        plan=BlockPlan(calls=3, minutes=25, plan="When the block starts, I call the most overdue first"),
        started_at="2026-11-26T09:00:00+01:00",
        ended_at="2026-11-26T09:21:00+01:00",
        calls=3,
        reached=2,
        won=1,
        dates_agreed=1,
        hesitation_before=3.7,
        hesitation_after=2.0,
        plan_kept=None,
    )

    async def show(pilot) -> None:
        # the inbox below has its counts (a worker counts them) before the summary covers it
        await pilot.pause()
        pilot.app.push_screen(BlockSummaryScreen("en", summary))
        await pilot.pause()

    assert snap_compare(make_app(store, "en"), run_before=show, terminal_size=(80, 24))


def test_qr_code_of_the_number_at_80x24(snap_compare, store):
    """`k` on the dial step: a QR code a phone can scan from a small terminal."""
    fill(store)
    assert snap_compare(make_app(store, "en"), press=["enter", "4", "1", "k"], terminal_size=(80, 24))
