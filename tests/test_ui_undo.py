"""Undo through the real app: u and Ctrl+Z take back what was saved, exactly.

Each test saves something by keyboard, undoes it, and compares the offer's
row with the row from before, column by column, and counts calls and answers.
"""

from __future__ import annotations

import datetime as dt

from conftest import TODAY
from ui_helpers import fill, make_app, notifications, screen_text, settle

from nachhaken_tui.core.models import CallDraft, OfferDraft, Outcome, Reached
from nachhaken_tui.core.stats.figures import compute_stats

MUELLER, NORTHWIND = 1, 2


def row(store, offer_id: int) -> dict:
    return next(iter(store.db.query("SELECT * FROM offers WHERE id = ?", [offer_id])))


def count(store, table: str) -> int:
    return store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


async def test_u_undoes_a_stray_w_exactly_and_the_notice_says_so(store):
    fill(store)
    before = row(store, MUELLER)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("w")
        await settle(pilot)
        assert "Congratulations on the job! Saved: Müller Bau GmbH – won · u undoes it" in notifications(app)
        assert row(store, MUELLER)["status"] == "won"
        await pilot.press("u")
        await settle(pilot)
        assert "Undone: Müller Bau GmbH – won" in notifications(app)
        assert "Müller Bau GmbH" in screen_text(app)  # back in Due
        await pilot.press("u")
        await settle(pilot)
        assert any(note.startswith("Nothing to undo") for note in notifications(app))
    assert row(store, MUELLER) == before
    assert count(store, "calls") == 0 and count(store, "answers") == 0
    assert compute_stats(store, TODAY).calls == 0  # an undone call is no call in the numbers


async def test_ctrl_z_goes_one_further_back_each_time(store):
    fill(store)
    before = {offer_id: row(store, offer_id) for offer_id in (MUELLER, NORTHWIND)}
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("w")  # Müller won
        await settle(pilot)
        await pilot.press("n")  # Northwind, now on top: no answer
        await settle(pilot)
        assert row(store, NORTHWIND)["attempts"] == 1
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert row(store, NORTHWIND) == before[NORTHWIND]
        assert row(store, MUELLER)["status"] == "won"
        await pilot.press("ctrl+z")
        await settle(pilot)
    assert row(store, MUELLER) == before[MUELLER]
    assert count(store, "calls") == 0


async def test_undo_of_a_scripted_call_removes_the_call_and_its_answers(store):
    fill(store)
    before = row(store, MUELLER)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", "3", "2", "4", "3")  # fear of a no, guess 30 %, hesitation 4, no answer
        await pilot.press("2", "enter")  # hesitation after 2, save
        await settle(pilot)
        [call] = store.db.query("SELECT * FROM calls")
        assert (call["hesitation_before"], call["hesitation_after"], call["fear_likelihood"]) == (4, 2, 30)
        assert count(store, "answers") > 0 and row(store, MUELLER)["attempts"] == 1
        await pilot.press("u")
        await settle(pilot)
    assert row(store, MUELLER) == before
    assert count(store, "calls") == 0 and count(store, "answers") == 0


async def test_undo_of_archive_and_of_the_close_the_loop_email(store):
    fill(store)
    for day in (19, 23, 24):
        store.record_call(MUELLER, CallDraft(outcome=Outcome.NO_ANSWER), today=dt.date(2026, 11, day))
    before = row(store, MUELLER)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("m", "enter")  # the close-the-loop e-mail, recorded as sent
        await settle(pilot)
        assert row(store, MUELLER)["next_due"] == "2026-12-03"
        await pilot.press("u")
        await settle(pilot)
        assert row(store, MUELLER) == before and count(store, "calls") == 3
        await pilot.press("d", "tab", "enter")  # archive, confirmed
        await settle(pilot)
        assert row(store, MUELLER)["status"] == "archived"
        assert "Archived: Müller Bau GmbH · u undoes it" in notifications(app)
        await pilot.press("u")
        await settle(pilot)
    assert row(store, MUELLER) == before


async def test_reopen_asks_whether_the_closing_call_was_a_mistake(store):
    fill(store)
    before = row(store, MUELLER)
    store.record_call(MUELLER, CallDraft(outcome=Outcome.WON, reached=Reached.YES), today=TODAY)
    app = make_app(store, lang="de")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("v", "v", "v")  # Erledigt
        await pilot.press("r")
        assert "War der letzte Anruf ein Versehen?" in screen_text(app)
        await pilot.press("tab", "enter")  # yes, a mistake
        await settle(pilot)
    assert row(store, MUELLER) == before  # as before the call: no phantom "won, reached" left
    assert count(store, "calls") == 0


async def test_reopen_without_a_mistake_says_reopened_not_call_back_agreed(store):
    fill(store)
    store.record_call(
        MUELLER,
        CallDraft(outcome=Outcome.LOST, reached=Reached.YES, loss_reason="price"),
        today=dt.date(2026, 11, 20),
    )
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("v", "v", "v", "r")
        await pilot.press("enter")  # "No, just reopen" has the focus
        await settle(pilot)
        await pilot.press("v")  # back to Due
        text = screen_text(app)
        assert "reopened" in text and "call-back agreed" not in text
        await pilot.press("escape")
    offer = row(store, MUELLER)
    assert (offer["status"], offer["next_due"], offer["loss_reason"]) == ("open", TODAY.isoformat(), None)
    assert offer["reopened_at"] is not None
    assert count(store, "calls") == 1  # the call really happened: it stays


async def test_escape_on_the_reopen_question_changes_nothing(store):
    fill(store)
    store.record_call(MUELLER, CallDraft(outcome=Outcome.WON, reached=Reached.YES), today=TODAY)
    closed = row(store, MUELLER)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("v", "v", "v", "r", "escape")
        await settle(pilot)
    assert row(store, MUELLER) == closed


async def test_undo_in_a_block_recounts_the_block(store):
    fill(store)
    store.add_offer(
        OfferDraft(
            client="Vogel Tischlerei", title="Shop", sent_on=dt.date(2026, 11, 20), phone="+49 30 1234567"
        )
    )
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("b", "backspace", "3", "enter", "enter", "enter")  # 3 calls
        await pilot.pause()
        await pilot.press("escape", "w")  # first offer: won, from the inbox
        await settle(pilot)
        block = app.screen.block
        assert block.called == [MUELLER] and "Block 2/3" in app.screen.sub_title
        await pilot.press("escape", "u")
        await settle(pilot)
        assert block.called == [] and "Block 1/3" in app.screen.sub_title
        assert row(store, MUELLER)["status"] == "open"
    assert count(store, "calls") == 0


async def test_undo_of_an_edit_puts_the_old_facts_back(store):
    fill(store)
    before = row(store, MUELLER)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e")
        app.screen.query_one("#field-phone").value = "+49 30 7654321"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Saved: Müller Bau GmbH · u undoes it" in notifications(app)
        assert row(store, MUELLER)["phone"] == "+49307654321"
        await pilot.press("u")
        await settle(pilot)
    assert row(store, MUELLER) == before
