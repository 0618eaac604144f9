"""Validity and time away in the app: the card, the expired key (x), the client-away snooze, the palette.

TODAY is Thursday 26 Nov 2026. Each test drives the real app by keyboard and
checks the screen and the rows in the database.
"""

from __future__ import annotations

import datetime as dt

from ui_helpers import make_app, notifications, right_pane, screen_text, settle

from nachhaken_tui.core.models import CallDraft, OfferDraft, Outcome

D = dt.date


def _add(store, client: str, sent: dt.date, valid: dt.date | None = None) -> int:
    return store.add_offer(OfferDraft(client=client, title="Website", sent_on=sent, valid_until=valid))


def _row(store, sql: str, params=()) -> dict:
    [row] = store.db.query(sql, params)
    return row


async def test_an_offer_running_out_shows_its_reason_validity_and_opener(store):
    offer_id = _add(
        store, "Müller Bau", D(2026, 11, 24), valid=D(2026, 11, 26)
    )  # moved from Fri 27 to Wed 25 Nov
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        text = screen_text(app)
        assert "overdue 1 business day · offer runs out Thu 2" in text  # the row; the card says it whole:
        assert "Next         Wed 25 Nov · offer runs out Thu 26 Nov" in text
        assert "Valid until  Thu 26 Nov 2026 (today)" in text
        await pilot.press("enter", "4", "1", "1")  # no worry, calm, reached: a digit picks and goes on
        await settle(pilot)
        text = screen_text(app)
        script = right_pane(app)
        assert "Opening: the offer runs out" in script
        assert (
            "It is valid until Thu 26 Nov 2026, and I wanted to check with you before it runs out." in script
        )
    assert store.get_offer(offer_id).next_due == D(2026, 11, 25)


async def test_x_extends_an_expired_offer_and_records_the_answer(store):
    offer_id = _add(store, "Müller Bau", D(2026, 11, 10), valid=D(2026, 11, 20))
    app = make_app(store, lang="de")
    async with app.run_test(size=(120, 40)) as pilot:
        text = screen_text(app)
        assert "abgelaufen am Fr 20. Nov" in text
        assert "abgelaufen am Fr 20. Nov 2026: x verlängert oder" in text
        await pilot.press("x")
        assert "Abgelaufen am Fr 20. Nov" in screen_text(app)
        await pilot.press("1")
        for key in "11.12.":
            await pilot.press(key)
        assert "Fr 11. Dez 2026" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert any("Müller Bau" in note and "Mo 30. Nov" in note for note in notifications(app))
    offer = _row(store, "SELECT * FROM offers WHERE id = ?", [offer_id])
    assert (offer["status"], offer["valid_until"], offer["next_due"]) == ("open", "2026-12-11", "2026-11-30")
    call = _row(store, "SELECT * FROM calls WHERE offer_id = ?", [offer_id])
    assert call["outcome"] == "snoozed"
    answer = _row(store, "SELECT step, question, answer FROM answers WHERE call_id = ?", [call["id"]])
    assert dict(answer) == {
        "step": "validity",
        "question": "Gültigkeit verlängert bis",
        "answer": "Fr 11. Dez 2026",
    }


async def test_x_closes_an_expired_offer_as_lost_expired(store):
    offer_id = _add(store, "Müller Bau", D(2026, 11, 10), valid=D(2026, 11, 20))
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("x", "2")
        await settle(pilot)
        assert "Saved: Müller Bau – lost" in "\n".join(notifications(app))
    offer = _row(store, "SELECT * FROM offers WHERE id = ?", [offer_id])
    assert (offer["status"], offer["loss_reason"]) == ("lost", "expired")
    answer = _row(store, "SELECT answer FROM answers WHERE step = 'quick'")
    assert answer["answer"] == "lost (expired)"


async def test_x_does_nothing_for_an_offer_that_has_not_expired(store):
    _add(store, "Müller Bau", D(2026, 11, 10), valid=D(2026, 12, 20))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("x")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "MainScreen"
    assert store.db["calls"].count == 0


async def test_an_agreed_date_after_the_validity_is_kept_and_the_card_warns(store):
    offer_id = _add(store, "Müller Bau", D(2026, 11, 10), valid=D(2026, 12, 4))
    store.record_call(
        offer_id, CallDraft(outcome=Outcome.FOLLOW_UP, next_due=D(2026, 12, 9)), today=D(2026, 11, 20)
    )
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("v", "v")  # Open
        text = screen_text(app)
        assert "⚠ The agreed date is after the offer runs out" in text
    assert store.get_offer(offer_id).next_due == D(2026, 12, 9)


async def test_snoozing_because_the_client_is_away_returns_that_day_as_agreed(store):
    offer_id = _add(store, "Müller Bau", D(2026, 11, 10))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        for key in "7.12.":
            await pilot.press(key)
        await pilot.press("tab", "space", "tab", "enter")  # tick "client away", save without a reason
        await settle(pilot)
        await pilot.press("v", "v")  # Open
        assert "client back on Mon 7 Dec" in screen_text(app)
    offer = _row(store, "SELECT * FROM offers WHERE id = ?", [offer_id])
    assert (offer["next_due"], offer["due_kind"], offer["due_cause"]) == (
        "2026-12-07",
        "agreed",
        "client_away",
    )
    answers = [dict(row) for row in store.db.query("SELECT step, answer FROM answers ORDER BY position")]
    assert answers == [
        {"step": "quick", "answer": "snoozed"},
        {"step": "client_away", "answer": "Mon 7 Dec 2026"},
    ]
    app = make_app(store, today=D(2026, 12, 7))
    async with app.run_test(size=(120, 40)):
        assert "client back on Mon 7 Dec" in screen_text(app)


async def test_time_away_from_the_palette_moves_the_inbox_and_can_be_removed(store):
    today = _add(store, "Heute GmbH", D(2026, 11, 23))  # due today
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        for key in "Time away":
            await pilot.press(key if key != " " else "space")
        await pilot.press("enter")
        await settle(pilot)
        assert "None entered yet." in screen_text(app)
        for text, then in (("heute", "enter"), ("27.11.", "enter"), ("Ski", "enter")):
            for key in text:
                await pilot.press(key)
            await pilot.press(then)
        await settle(pilot)
        assert "Entered: Thu 26 Nov 2026 to Fri 27 Nov 2026." in screen_text(app)
        assert "#1  Thu 26 Nov 2026 to Fri 27 Nov 2026  Ski" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        text = screen_text(app)
        assert "Next follow-up Mon 30 Nov" in text  # left the Due view: it comes back on Monday
        assert "nothing due" in text
        assert _row(store, "SELECT next_due, due_cause FROM offers WHERE id = ?", [today]) == {
            "next_due": "2026-11-30",
            "due_cause": "away",
        }
        await pilot.press("ctrl+p")
        for key in "Time away":
            await pilot.press(key if key != " " else "space")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("shift+tab", "delete")  # from the From field back to the list
        await settle(pilot)
        assert "Removed: Thu 26 Nov 2026 to Fri 27 Nov 2026." in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert "Heute GmbH" in screen_text(app)
    assert store.db["absences"].count == 0
    assert _row(store, "SELECT next_due, due_cause FROM offers WHERE id = ?", [today]) == {
        "next_due": "2026-11-26",
        "due_cause": None,
    }


async def test_the_form_takes_a_validity_typed_like_any_coming_date(store):
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a", *"Müller Bau", "tab", *"Website")
        await pilot.press(
            *["tab"] * 10, "plus", "3"
        )  # past number, contact, salutation, phone … to "valid until"
        assert "Sun 29 Nov 2026" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "due Fri 27 Nov · offer runs out Sun 29 Nov" in screen_text(app)
    row = _row(store, "SELECT valid_until, next_due, due_cause FROM offers")
    assert dict(row) == {"valid_until": "2026-11-29", "next_due": "2026-11-27", "due_cause": "expiring"}
