"""History (h), QR code (k) and the close-the-loop e-mail (m) from the main screen."""

from __future__ import annotations

import datetime as dt

from conftest import TODAY
from ui_helpers import fill, make_app, notifications, screen_text, settle

from nachhaken_tui.core.models import CallDraft, Outcome, Reached, Status

MUELLER = 1


async def test_h_shows_the_offers_history(store):
    fill(store)
    store.record_call(MUELLER, CallDraft(outcome=Outcome.NO_ANSWER, reached=Reached.NO_ANSWER), today=TODAY)
    store.reopen(MUELLER, TODAY)  # keep it at the top of the Due view
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("h")
        assert "no answer" in screen_text(app)
        await pilot.press("escape")
        assert "Press Enter to start the call script" in screen_text(app)


async def test_k_on_the_dial_step_shows_a_qr_code_of_the_number(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("k")  # in the inbox, k moves up (vi keys)
        assert "▀▀▀▀" not in screen_text(app)
        await pilot.press("enter", "4", "1", "k")  # on the dial step
        text = screen_text(app)
        assert "▀" in text or "▄" in text
        assert "+49 171 2345678" in text


async def test_m_after_three_unanswered_attempts_records_the_email_and_waits_for_a_reply(store):
    fill(store)
    for day in (19, 23, 24):  # the third retry falls due today
        store.record_call(MUELLER, CallDraft(outcome=Outcome.NO_ANSWER), today=dt.date(2026, 11, day))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        assert "3 unanswered – m: a short close-the-loop e-mail" in screen_text(app)
        await pilot.press("m")
        assert "Website-Relaunch" in screen_text(app)
        await pilot.press("enter")  # sent
        await settle(pilot)
        assert "close-the-loop" not in screen_text(app)  # not suggested again: the e-mail went out
        saved = "Saved: Müller Bau GmbH – close-the-loop e-mail noted · back on Thu 3 Dec · u undoes it"
        assert saved in notifications(app)
    last = list(store.db.query("SELECT * FROM calls ORDER BY id DESC LIMIT 1"))[0]
    assert (last["outcome"], last["next_due"]) == ("snoozed", "2026-12-03")
    [answer] = store.db.query("SELECT * FROM answers WHERE call_id = ?", [last["id"]])
    assert answer["step"] == "close_loop" and "without a reply by Thu 3 Dec, you decide" in answer["answer"]
    offer = store.get_offer(MUELLER)
    # no more retries in two days, as the e-mail promised: back once, a week later, for a decision
    assert (offer.status, offer.next_due, offer.attempts) == (Status.OPEN, dt.date(2026, 12, 3), 3)


async def test_m_is_not_offered_before_enough_attempts(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("m")
        await settle(pilot)
        assert "close-the-loop" not in screen_text(app)
    assert store.db["calls"].count == 0


async def test_t_opens_the_numbers_and_escape_returns(store):
    fill(store)
    store.record_call(MUELLER, CallDraft(outcome=Outcome.WON, reached=Reached.YES), today=TODAY)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("t")
        await settle(pilot)
        assert "StatsScreen" == type(app.screen).__name__
        await pilot.press("escape")
        assert "Press Enter to start the call script" in screen_text(app)


async def test_shift_x_forgets_the_client_after_asking(store, db_path):
    fill(store)
    store.record_call(MUELLER, CallDraft(outcome=Outcome.NO_ANSWER), today=TODAY)
    store.reopen(MUELLER, TODAY)  # back at the top of the Due view
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("X")
        assert "Erase for good?" in screen_text(app)
        await pilot.press("escape")
        assert store.get_offer(MUELLER) is not None
        await pilot.press("X", "tab", "enter")
        await settle(pilot)
        assert "Müller" not in screen_text(app)
    assert store.get_offer(MUELLER) is None
    assert store.db["calls"].count == 0
    assert b"M\xc3\xbcller Bau" not in db_path.read_bytes()


async def test_a_adds_an_offer_that_is_then_found_by_typing_part_of_the_contact(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        # client, title, offer number, contact, salutation, phone
        for field in ("Fenster Koch", "New windows", "", "Zoe Koch", "", "030 1234567"):
            await pilot.press(*["space" if c == " " else c for c in field], "tab")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Saved: Fenster Koch" in notifications(app)
        await pilot.press("slash", *"zoe")
        left = "\n".join(line.split("▕")[0] for line in screen_text(app).splitlines())
        assert "Fenster Koch" in left
    [row] = store.db.query("SELECT * FROM offers WHERE client = 'Fenster Koch'")
    assert (row["contact"], row["phone"], row["title"], row["sent_on"]) == (
        "Zoe Koch",
        "+49301234567",
        "New windows",
        TODAY.isoformat(),
    )


async def test_e_edits_the_selected_offer(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("tab", "end", *" Phase 1".replace(" ", "_"), "ctrl+s")  # title is the second field
        await settle(pilot)
    assert store.get_offer(MUELLER).title == "Website-Relaunch_Phase_1"


async def test_the_close_the_loop_hint_is_in_view_on_a_small_terminal(store):
    fill(store)
    for day in (19, 23, 24):
        store.record_call(MUELLER, CallDraft(outcome=Outcome.NO_ANSWER), today=dt.date(2026, 11, day))
    app = make_app(store, lang="de")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "3× nicht erreicht – m:" in " ".join(screen_text(app).split())
