"""A full call through the real app, by keyboard, for every outcome.

Each test starts on the fixture inbox (Müller Bau first, 5 business days
overdue; Northwind due today; Bäckerei Schröder upcoming), walks the script
with number keys, typing and Enter, and checks what a user would notice: the
rows in the database, the text on the screen, the selection afterwards.
"""

from __future__ import annotations

import datetime as dt

import pytest
from ui_helpers import fill, make_app, notifications, right_pane, screen_text, settle

from nachhaken_tui.core.models import DueKind, Status

MUELLER = 1


async def pick(pilot, *numbers: int) -> None:
    """Answer choice or scale steps: a number key picks and goes on."""
    for number in numbers:
        await pilot.press(str(number))


async def type_in(pilot, text: str) -> None:
    """Type into the focused text or date field and press Enter."""
    await pilot.press(*["space" if char == " " else char for char in text], "enter")


def calls(store) -> list[dict]:
    return list(store.db.query("SELECT * FROM calls ORDER BY id"))


def answers(store, call_id: int) -> list[dict]:
    return list(store.db.query("SELECT * FROM answers WHERE call_id = ? ORDER BY position", [call_id]))


async def test_won_call_saves_call_answers_and_offer_then_selects_next(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")  # script for the top offer: Müller Bau
        assert "What worries you most about calling Sabine Müller?" in screen_text(app)
        await pick(pilot, 2, 2, 4)  # pushy, a 30 % guess, hesitation 4
        assert "Did you reach Sabine Müller?" in screen_text(app)
        await pick(pilot, 1, 2, 1, 1)  # reached, no questions, fits, yes
        await pick(pilot, 2, 2)  # hesitation after 2, the fear did not come true
        await type_in(pilot, "Starts in January")
        summary = screen_text(app)
        assert "Summary" in summary and "won" in summary
        assert "4 → 2" in summary
        await pilot.press("enter")  # save
        await settle(pilot)
        screen = screen_text(app)

    [call] = calls(store)
    assert (call["outcome"], call["reached"], call["fear"]) == ("won", "yes", "pushy")
    assert (call["hesitation_before"], call["hesitation_after"], call["fear_came_true"]) == (4, 2, 0)
    assert (call["fear_likelihood"], call["coaching"]) == (30, "full")
    assert "Starts in January" in call["notes"]
    saved = answers(store, call["id"])
    assert [row["step"] for row in saved] == [
        "fear",
        "likelihood",
        "reframe_pushy",
        "dial",
        "opening",
        "fit",
        "decision",
        "after_won",
        "fear_check",
        "wrap_up",
    ]
    assert saved[0]["question"] == "What worries you most about calling Sabine Müller?"
    assert saved[0]["answer"] == "I'll come across as pushy"
    offer = store.get_offer(MUELLER)
    assert (offer.status, offer.next_due) == (Status.WON, None)
    # The offer left the Due view; the next due offer is selected and shown.
    assert "Müller Bau" not in screen.split("▕")[0]
    assert "1 due today" in screen
    assert "Emma Clarke" in screen


async def test_lost_call_asks_why_and_records_the_reason(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pick(pilot, 3, 3, 3, 1, 2, 1, 3)  # afraid of no, 50 %, 3, reached, no questions, fits, no
        assert "What was the reason?" in screen_text(app)
        await pick(pilot, 1)  # price
        await pick(pilot, 3, 1)  # after 3, the fear came true
        await pilot.press("enter")  # no notes
        assert "lost (price)" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
    [call] = calls(store)
    assert (call["outcome"], call["loss_reason"], call["fear"], call["fear_came_true"]) == (
        "lost",
        "price",
        "no",
        1,
    )
    offer = store.get_offer(MUELLER)
    assert (offer.status, offer.loss_reason) == (Status.LOST, "price")


async def test_lost_for_another_reason_keeps_the_users_words(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pick(pilot, 4, 1, 1, 2, 1, 3, 8)  # ... no, other
        await type_in(pilot, "They hired in house")
        await pick(pilot, 1)  # no worry named, so "did it happen?" is not asked
        await pilot.press("enter", "enter")
        await settle(pilot)
    assert store.get_offer(MUELLER).loss_reason == "They hired in house"


async def test_follow_up_with_a_typed_date_shows_it_before_enter(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pick(pilot, 1, 4, 5, 1, 2, 1, 2)  # needy, 70 %, 5, reached, no questions, fits, not yet
        await pilot.press(*"3.12.")
        assert "→ Thu 3 Dec 2026" in screen_text(app)
        await pilot.press("enter")
        await pick(pilot, 2, 2)
        await pilot.press("enter", "enter")
        await settle(pilot)
        screen = screen_text(app)
    [call] = calls(store)
    assert (call["outcome"], call["next_due"]) == ("follow_up", "2026-12-03")
    offer = store.get_offer(MUELLER)
    assert (offer.status, offer.next_due, offer.due_kind) == (
        Status.OPEN,
        dt.date(2026, 12, 3),
        DueKind.AGREED,
    )
    assert "1 due today" in screen


async def test_a_date_that_is_not_understood_is_refused_in_place(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pick(pilot, 1, 4, 5, 1, 2, 1, 2)
        await type_in(pilot, "someday")
        assert "Which day did you agree on?" in screen_text(app)  # still on the date step
        await pilot.press(*["backspace"] * 7)
        await type_in(pilot, "2026-11-20")
        assert "Which day did you agree on?" in screen_text(app)
        assert "past" in screen_text(app)
    assert calls(store) == []


async def test_revise_records_what_to_change_and_the_date(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pick(pilot, 4, 1, 1, 1)  # none, 1, reached, questions
        await type_in(pilot, "Asked about hosting")
        await pick(pilot, 2)  # adapt
        await type_in(pilot, "Smaller first phase")
        await type_in(pilot, "+7")
        await pick(pilot, 1)
        await pilot.press("enter", "enter")
        await settle(pilot)
    [call] = calls(store)
    assert (call["outcome"], call["next_due"]) == ("revise", "2026-12-03")
    assert "Smaller first phase" in call["notes"] and "Asked about hosting" in call["notes"]


@pytest.mark.parametrize(
    ("dial_key", "outcome", "reached"), [(2, "voicemail", "voicemail"), (3, "no_answer", "no_answer")]
)
async def test_unanswered_call_counts_an_attempt_and_reschedules_by_cadence(
    store, dial_key, outcome, reached
):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pick(pilot, 2, 3, 3, dial_key)
        if outcome == "voicemail":
            assert "‘Website-Relaunch’" in screen_text(app)
            await pilot.press("enter")  # nothing to note
        assert "Nobody picked up this time" in screen_text(app)
        await pick(pilot, 3)  # hesitation after; neither "did it happen?" nor a second note is asked
        assert "by the cadence (Mon 30 Nov 2026)" in right_pane(app)
        await pilot.press("enter")
        await settle(pilot)
    [call] = calls(store)
    assert (call["outcome"], call["reached"]) == (outcome, reached)
    offer = store.get_offer(MUELLER)
    assert (offer.attempts, offer.next_due, offer.due_kind) == (1, dt.date(2026, 11, 30), DueKind.RETRY)


async def test_escape_goes_back_a_step_and_leaves_from_the_first(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pick(pilot, 2, 3)
        assert "hesitation right now" in screen_text(app)
        await pilot.press("escape")
        assert "How likely is it" in screen_text(app)
        await pilot.press("escape")
        assert "What worries you most" in screen_text(app)
        await pilot.press("escape")  # first step: back to the inbox
        assert "Press Enter to start the call script" in screen_text(app)
        assert app.focused.id == "inbox"
    assert calls(store) == []


async def test_ctrl_q_asks_before_dropping_a_call_and_quits_once_agreed(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pick(pilot, 2, 3, 3)
        await pilot.press("ctrl+q")
        assert "Discard answers?" in screen_text(app)
        await pilot.press("escape")
        assert app.is_running and "Did you reach Sabine Müller?" in screen_text(app)
        await pilot.press("ctrl+q", "tab", "enter")
        await pilot.pause()
        assert not app.is_running and app.return_code == 0
    assert calls(store) == []


async def test_ctrl_q_in_a_changed_form_asks_too(store):
    fill(store)
    app = make_app(store, lang="de")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a", *"Neu GmbH", "ctrl+q")
        assert "Eingaben verwerfen?" in screen_text(app)
        await pilot.press("escape")
        assert app.is_running and "Neu GmbH" in app.screen.query_one("#field-client").value


async def test_ctrl_c_says_how_to_quit_in_the_users_language(store):
    fill(store)
    app = make_app(store, lang="de")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+c")
        assert app.is_running
        assert any("Strg+Q" in note for note in notifications(app))


async def test_dropping_a_script_with_answers_asks_first(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pick(pilot, 2, 3, 3)
        await pilot.press("q")
        assert "Discard answers?" in screen_text(app)
        assert "(answers so" in screen_text(app) and "far: 3). Discard them?" in screen_text(app)  # wrapped
        assert "Back to the script" in screen_text(app)  # the safe choice says what it does
        await pilot.press("escape")
        assert app.is_running
        assert "Did you reach Sabine Müller?" in screen_text(app)
        await pilot.press("v")  # switching the view would drop the script too
        assert "Discard answers?" in screen_text(app)
        await pilot.press("tab", "enter")  # focus moves to "Discard"
        await pilot.pause()
        left = "\n".join(line.split("▕")[0] for line in screen_text(app).splitlines())
        assert "Bäckerei Schröder" in left and "Müller" not in left  # the Upcoming view
        assert "Press Enter to start the call script" in screen_text(app)
    assert calls(store) == []
