"""A call block: plan, three calls in a row that open by themselves, the summary."""

from __future__ import annotations

import datetime as dt

from conftest import TODAY
from ui_helpers import fill, make_app, notifications, screen_text, settle

from nachhaken_tui.core.calls.blocks import BlockPlan, RunningBlock, block_summary, finish_block, start_block
from nachhaken_tui.core.models import CallDraft, OfferDraft, Outcome, Reached


def fill_four_due(store):
    fill(store)  # Müller (overdue), Northwind (due today), Bäckerei (upcoming)
    store.add_offer(
        OfferDraft(
            client="Vogel Tischlerei", title="Shop", sent_on=dt.date(2026, 11, 20), phone="+49 30 1111111"
        )
    )
    store.add_offer(
        OfferDraft(client="Zeta GmbH", title="Audit", sent_on=dt.date(2026, 11, 18), phone="+49 30 2222222")
    )


async def test_block_of_three_calls_with_plan_and_summary(store):
    fill_four_due(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("b")
        assert "Start a call block" in screen_text(app)
        await pilot.press("backspace", "3", "enter")  # 3 calls
        await pilot.press("enter")  # 25 minutes
        await pilot.press(*"most", "space", *"overdue", "space", *"first", "enter")
        await pilot.pause()
        # Not in the if-then form: a rewrite is offered in the field, the next Enter takes it.
        assert app.screen.query_one("#plan").value == "When the block starts, I most overdue first"
        assert "Plans in the form “When …, I …” are kept more often." in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        [toast] = [n for n in app._notifications if n.title == "Your plan for this block"]
        assert toast.message == "When the block starts, I most overdue first"
        # The most urgent offer opens in the script by itself.
        assert "What worries you most about calling Sabine Müller?" in screen_text(app)
        assert "Block 1/3" in screen_text(app) and "25 min left" in screen_text(app)
        await pilot.press("n")  # typing in a script does not trigger quick outcomes…
        await pilot.press("escape")  # …so leave the script to log a quick no-answer
        await pilot.press("n")
        await settle(pilot)
        # The next one opens by itself.
        assert "Block 2/3" in screen_text(app)
        assert "What worries you most" in screen_text(app)
        for _ in range(2):  # two full calls: none, 1, reached, no questions, fits, yes
            await pilot.press("4", "1", "1", "2", "1", "1")  # a digit picks and goes on
            await pilot.press("1", "enter", "enter")  # hesitation after 1; no notes; save
            await settle(pilot)
        text = screen_text(app)
        assert "Block summary" in text
        assert "3 of 3 planned" in text
        assert "most overdue first" in text
        await pilot.press("y")  # plan kept
        await pilot.pause()
        assert "Block summary" not in screen_text(app)
        assert "Block" not in app.screen.sub_title

    [block] = list(store.db.query("SELECT * FROM blocks"))
    assert (block["planned_calls"], block["planned_minutes"], block["plan"], block["plan_kept"]) == (
        3,
        25,
        "When the block starts, I most overdue first",
        1,
    )
    assert block["ended_at"] is not None
    calls = list(store.db.query("SELECT outcome, block_id FROM calls ORDER BY id"))
    assert calls == [
        {"outcome": "no_answer", "block_id": block["id"]},
        {"outcome": "won", "block_id": block["id"]},
        {"outcome": "won", "block_id": block["id"]},
    ]


async def test_block_ends_early_on_request_and_counts_what_was_done(store):
    fill_four_due(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("b", "enter", "enter", "enter")  # defaults: 4 calls, 25 minutes, no plan
        await pilot.pause()
        await pilot.press("escape", "w")
        await settle(pilot)
        await pilot.press("escape", "b")
        assert "End the block?" in screen_text(app)
        await pilot.press("tab", "enter")
        await pilot.pause()
        text = screen_text(app)
        assert "Block summary" in text and "1 of 4 planned" in text
        assert "Did you keep your plan?" not in text
        await pilot.press("enter")
    [block] = list(store.db.query("SELECT * FROM blocks"))
    assert block["plan_kept"] is None and block["ended_at"] is not None


def test_running_block_knows_minutes_left_and_when_it_is_over():
    block = RunningBlock(1, BlockPlan(calls=2, minutes=10), started=1000.0)
    assert block.minutes_left(1000.0) == 10
    assert block.minutes_left(1000.0 + 61) == 9
    assert not block.is_over(1000.0 + 599)
    assert block.is_over(1000.0 + 600)
    block.called += [1, 2]
    assert block.is_over(1000.0)
    assert RunningBlock(2, BlockPlan(calls=3), started=0).minutes_left(10_000) is None


def test_the_summary_counts_calls_not_snoozes(store):
    """A snooze in a block (or the close-the-loop e-mail, which is recorded as one) is no call."""
    fill(store)
    block_id = start_block(store, BlockPlan(calls=3))
    for offer_id, draft in [
        (1, CallDraft(outcome=Outcome.WON, reached=Reached.YES, hesitation_before=4, hesitation_after=2)),
        (2, CallDraft(outcome=Outcome.SNOOZED, next_due=dt.date(2026, 12, 3))),
        (3, CallDraft(outcome=Outcome.NO_ANSWER, reached=Reached.NO_ANSWER, hesitation_before=2)),
    ]:
        draft.block_id = block_id
        store.record_call(offer_id, draft, today=TODAY)
    finish_block(store, block_id)
    summary = block_summary(store, block_id)
    assert (summary.calls, summary.reached, summary.won) == (2, 1, 1)
    assert (summary.hesitation_before, summary.hesitation_after) == (3.0, 2.0)


async def test_a_plan_in_the_if_then_form_starts_at_once_and_is_shown_again(store):
    fill_four_due(store)
    app = make_app(store, "de")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("b", "enter", "enter")  # suggested calls, 25 minutes
        plan = "Wenn der Block beginnt, rufe ich zuerst Müller an"
        await pilot.press(*[" " if char == " " else char for char in plan], "enter")
        await pilot.pause()
        assert "Anrufblock starten" not in screen_text(app)  # no rewrite offered: it started
        assert plan in notifications(app)
        assert [n.title for n in app._notifications if n.message == plan] == ["Dein Plan für diesen Block"]
    [block] = list(store.db.query("SELECT plan FROM blocks"))
    assert block["plan"] == plan
