"""The inbox: quick outcomes, views, empty states, hostile text, help, German."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import TODAY
from ui_helpers import fill, make_app, notifications, screen_text, settle

from nachhaken_tui.core.models import CallDraft, DueKind, OfferDraft, Outcome, Status

MUELLER = 1


def only_call(store) -> dict:
    [call] = list(store.db.query("SELECT * FROM calls"))
    return call


async def test_quick_won_closes_the_top_offer(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("w")
        await settle(pilot)
        assert "Saved: Müller Bau GmbH – won" in notifications(app)
    assert store.get_offer(MUELLER).status is Status.WON
    call = only_call(store)
    assert call["outcome"] == "won"
    [answer] = store.db.query("SELECT * FROM answers WHERE call_id = ?", [call["id"]])
    assert (answer["step"], answer["answer"]) == ("quick", "won")


async def test_quick_lost_asks_the_reason_by_number(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("l")
        assert "Lost – why?" in screen_text(app)
        await pilot.press("2")  # timing
        await settle(pilot)
    offer = store.get_offer(MUELLER)
    assert (offer.status, offer.loss_reason) == (Status.LOST, "timing")


async def test_quick_lost_with_a_reason_of_ones_own(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("l", "8", *"moved abroad".replace(" ", "_"), "enter")
        await settle(pilot)
    assert store.get_offer(MUELLER).loss_reason == "moved_abroad"


async def test_quick_lost_cancelled_with_escape_writes_nothing(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("l", "escape")
        await settle(pilot)
    assert store.get_offer(MUELLER).status is Status.OPEN
    assert store.db["calls"].count == 0


async def test_quick_no_answer_counts_the_attempt_and_reschedules(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        assert "1 due today" in screen_text(app)
    offer = store.get_offer(MUELLER)
    assert (offer.attempts, offer.next_due, offer.due_kind) == (1, dt.date(2026, 11, 30), DueKind.RETRY)
    assert (only_call(store)["outcome"], only_call(store)["reached"]) == ("no_answer", "no_answer")


async def test_quick_snooze_takes_a_spoken_date_and_a_reason(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s", *"next", "space", *"week")
        assert "→ Mon 30 Nov 2026" in screen_text(app)
        await pilot.press("enter", *"holiday", "enter")
        await settle(pilot)
    offer = store.get_offer(MUELLER)
    assert (offer.next_due, offer.due_kind, offer.status) == (dt.date(2026, 11, 30), DueKind.AGREED, Status.OPEN)
    call = only_call(store)
    assert (call["outcome"], call["next_due"], call["notes"]) == ("snoozed", "2026-11-30", "holiday")


async def test_views_switch_between_due_open_and_closed(store):
    fill(store)
    store.record_call(3, CallDraft(outcome=Outcome.WON), today=TODAY)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        assert "Bäckerei Schröder" not in screen_text(app).split("▕")[0]
        await pilot.press("v")
        left = "\n".join(line.split("▕")[0] for line in screen_text(app).splitlines())
        assert "Müller Bau GmbH" in left and "Northwind Studio" in left
        assert "Bäckerei" not in left  # won: not open any more
        await pilot.press("v")
        left = "\n".join(line.split("▕")[0] for line in screen_text(app).splitlines())
        assert "Bäckerei Schröder" in left and "won today" in left
        await pilot.press("w")  # quick outcomes do not apply to closed offers
        await settle(pilot)
    assert store.db["calls"].count == 1


async def test_first_run_empty_state_says_how_to_start(store):
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
    assert "No offers yet." in text
    assert "Press a to add one," in text
    assert "nachhaken import FILE.csv" in text


async def test_nothing_due_names_the_next_follow_up(store):
    store.add_offer(OfferDraft(client="Bäckerei Schröder", title="Logo", sent_on=dt.date(2026, 11, 25)))
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
    assert "Nothing due today." in text
    assert "Next follow-up Mon 30 Nov:" in text
    assert "Bäckerei Schröder" in text
    assert "Pick an offer" not in text


HOSTILE = [
    "[/]",
    "[bold red]x",
    "[@click=app.quit]quit",
    "\x1b[31mred\x1b[0m",
    "{contact} {0} {__class__}",
    "عميل \u202eevil",
]


@pytest.mark.parametrize("name", HOSTILE)
async def test_hostile_names_are_shown_literally_and_never_act(store, name):
    store.add_offer(
        OfferDraft(
            client=name, contact=name, title=name, notes=name, sent_on=dt.date(2026, 11, 16),
            phone="[red]0[/red]",
        )
    )
    shown = name.replace("\x1b", "\ufffd").replace("\u202e", "\ufffd")
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert shown[:12] in screen_text(app)  # inbox and card
        await pilot.press("enter")  # the script fills placeholders with the name
        await pilot.press("2", "enter")
        said = str(app.query_one("#say").content)
        assert f"Remember that {shown} took time" in said  # the script's {contact}
        text = screen_text(app)
        assert "\x1b" not in text and "\u202e" not in text
        await pilot.click("#card")  # a live [@click=...] would act here
        await pilot.click("#say")
        await pilot.pause()
        assert app.is_running


async def test_help_shows_the_keymap_and_closes(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        text = screen_text(app)
        assert "Keymap" in text and "Snooze to a date" in text
        await pilot.press("escape")
        assert "Keymap" not in screen_text(app)


async def test_german_inbox_card_and_script(store):
    fill(store)
    app = make_app(store, lang="de")
    async with app.run_test(size=(120, 40)) as pilot:
        text = screen_text(app)
        assert "2 heute fällig" in text
        assert "5 Werktage überfällig · erstes Nachfassen" in text
        assert "4.800 €" in text
        assert "vor 10 Tagen" in text
        await pilot.press("enter")
        assert "Vor dem Anruf" in screen_text(app)
        await pilot.press("escape", "n")
        await settle(pilot)
        assert "Gespeichert: Müller Bau GmbH – nicht erreicht" in notifications(app)


async def test_other_processes_writes_appear_without_losing_the_selection(store, db_path):
    from nachhaken_tui.core.store import Store

    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("down")  # Northwind
        other = Store.open(db_path)
        other.add_offer(OfferDraft(client="Zeta Late", title="Audit", sent_on=dt.date(2026, 11, 2)))
        other.close()
        app.screen._poll_for_changes()
        await pilot.pause()
        text = screen_text(app)
        assert "Zeta Late" in text
        assert "3 due today" in text
        assert app.screen.inbox.current.client == "Northwind Studio"
