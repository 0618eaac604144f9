"""Coaching that fades, by keyboard through the real app: keys counted, rows checked.

The key budgets of issue 12 are counted here from the first Enter on an
offer to the saved row; typed text (a date like "+4") is not counted, every
other key is. The README's keymap section quotes these counts.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import TODAY
from ui_helpers import fill, right_pane, screen_text, settle

from nachhaken_tui.core.config import Config
from nachhaken_tui.core.models import CallDraft, OfferDraft, Outcome, Reached
from nachhaken_tui.core.script.loader import load_default_script
from nachhaken_tui.ui.app import NachhakenApp

MUELLER = 1
FOUR_DAYS = dt.date(2026, 11, 30)  # "+4" from Thu 26 Nov


def make_app(store, lang: str = "en", **config) -> NachhakenApp:
    return NachhakenApp(store, load_default_script(lang), lang=lang, today=TODAY, config=Config(**config))


class Keys:
    """Presses keys on the pilot and counts them; `type` presses typed text without counting."""

    def __init__(self, pilot) -> None:
        self.pilot = pilot
        self.count = 0

    async def press(self, *keys: str) -> None:
        self.count += len(keys)
        await self.pilot.press(*keys)

    async def type(self, text: str) -> None:
        await self.pilot.press(
            *["plus" if char == "+" else "space" if char == " " else char for char in text]
        )


def calm_history(store, ratings=((1, 1),) * 5) -> None:
    """Five calm calls about an offer that is archived since, so the inbox is the fixture's."""
    offer = store.add_offer(OfferDraft(client="Calm Ltd", title="Earlier job", sent_on=dt.date(2026, 10, 1)))
    for back, (before, after) in enumerate(ratings, start=1):
        day = TODAY - dt.timedelta(days=back)
        draft = CallDraft(
            outcome=Outcome.NO_ANSWER,
            reached=Reached.NO_ANSWER,
            hesitation_before=before,
            hesitation_after=after,
        )
        store.record_call(offer, draft, today=day, ended_at=f"{day.isoformat()}T10:00:00+01:00")
    store.archive(offer)


def feared_history(store) -> None:
    """Three reached calls where a "no" was feared: it came once; two ended with a date or a yes."""
    for index, (came_true, outcome) in enumerate(
        [(False, Outcome.WON), (True, Outcome.LOST), (False, Outcome.FOLLOW_UP)]
    ):
        offer = store.add_offer(OfferDraft(client=f"Past {index}", title="Job", sent_on=dt.date(2026, 10, 1)))
        day = TODAY - dt.timedelta(days=index + 1)
        draft = CallDraft(
            outcome=outcome,
            reached=Reached.YES,
            fear="no",
            fear_came_true=came_true,
            hesitation_before=4,
            hesitation_after=3,
            next_due=dt.date(2026, 12, 10),
        )
        store.record_call(offer, draft, today=day, ended_at=f"{day.isoformat()}T10:00:00+01:00")
        if outcome is Outcome.FOLLOW_UP:
            store.archive(offer)


def saved_call(store) -> dict:
    [call] = store.db.query("SELECT * FROM calls WHERE offer_id = ? ORDER BY id", [MUELLER])
    return call


# ------------------------------------------------------------------ fewer keys


async def test_a_digit_picks_and_goes_on_and_enter_confirms_the_highlighted_option(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", "4")  # no worry: straight to the facts
        assert "How strong is your hesitation right now?" in screen_text(app)
        await pilot.press("2", "1")  # hesitation 2; reached
        assert "What is the answer?" in screen_text(app)  # the opening
        await pilot.press("down", "enter")  # Enter confirms the highlighted option: "no questions"
        assert "Does it fit?" in screen_text(app)
        answers = [(a.step, a.answer) for a in app.screen.script_panel.run.history]
    assert answers[-1] == ("opening", "It arrived, no questions")
    assert answers[1] == ("reframe_none", "2")


@pytest.mark.parametrize(
    ("lang", "hint"),
    [
        ("en", "Nothing is picked here yet: press a number from 1 to 5."),
        ("de", "Hier ist nichts vorausgewählt: drück eine Zahl von 1 bis 5."),
    ],
)
async def test_enter_alone_on_a_rating_asks_for_a_pick_instead_of_recording_one(store, lang, hint):
    fill(store)
    app = make_app(store, lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", "4", "enter")
        panel = app.screen.script_panel
        assert panel.run.current.id == "reframe_none" and len(panel.run.history) == 1
        assert hint in right_pane(app)
        assert app.screen.query_one("#options").highlighted is None


async def test_did_it_happen_has_no_preselected_answer_and_is_skipped_without_a_worry(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", "3", "3", "3", "1", "2", "1", "1", "2")  # no, 50 %, 3, won; after 2
        panel = app.screen.script_panel
        assert panel.run.current.id == "fear_check"
        await pilot.press("enter")
        assert panel.run.current.id == "fear_check"  # nothing recorded
        await pilot.press("2")
        assert panel.run.current.id == "wrap_up"
        await pilot.press(*["escape"] * 9)  # back to the first step
        assert panel.run.current.id == "fear" and not panel.run.history
        await pilot.press("4", "1", "1", "2", "1", "1", "2")  # this time no worry: won, after 2
        assert panel.run.current.id == "wrap_up"  # "did it happen?" was not asked


async def test_voicemail_asks_for_notes_once(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", "4", "2", "2")  # no worry, 2, voicemail
        await pilot.press(*"Left a message", "enter")
        await pilot.press("2")  # hesitation after
        assert "Summary" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
    call = saved_call(store)
    assert call["notes"] == "Voicemail: Left a message"
    steps = [
        row["step"] for row in store.db.query("SELECT step FROM answers WHERE call_id = ?", [call["id"]])
    ]
    assert steps == ["fear", "reframe_none", "dial", "voicemail", "after_unreached"]


# --------------------------------------------------------------- the own record


@pytest.mark.parametrize(
    ("lang", "record"),
    [
        ("en", "Your own numbers for this worry appear here after a few calls."),
        ("de", "Deine eigenen Zahlen zu dieser Befürchtung erscheinen hier nach ein paar Anrufen."),
    ],
)
async def test_a_fresh_database_says_the_numbers_will_come(store, lang, record):
    fill(store)
    app = make_app(store, lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", "3", "3")  # afraid of a no, 50 %
        assert str(app.screen.query_one("#say").content).startswith(record)


@pytest.mark.parametrize(
    ("lang", "record"),
    [
        (
            "en",
            "Before 3 calls you feared a “no”. It came once; 2 of those calls ended with a date or a yes.",
        ),
        (
            "de",
            "Vor 3 Anrufen hast du ein „Nein“ befürchtet. Eingetreten ist es einmal; "
            "2 dieser Anrufe endeten mit einem Termin oder einem Ja.",
        ),
    ],
)
async def test_the_reframe_answers_the_fear_with_the_users_own_record(store, lang, record):
    fill(store)
    feared_history(store)
    app = make_app(store, lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", "3", "3")
        say = str(app.screen.query_one("#say").content)
        assert say.startswith(record)
        await pilot.press("escape", "escape", "2", "3")  # another worry has no record yet
        assert record not in str(app.screen.query_one("#say").content)


# ------------------------------------------------------------------ calibration


async def test_the_guess_is_stored_with_the_call(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", "1")  # needy
        text = right_pane(app)
        assert "How likely is it to happen on this call?" in text and "90 %" in text
        assert "Your worry: I'll look needy, as if I had to chase every job." in text
        assert app.screen.query_one("#options").highlighted is None  # a guess feeds the stats
        await pilot.press("4", "3", "3", "1")  # 70 %, hesitation 3, no answer, after 1
        await pilot.press("enter")
        await settle(pilot)
    call = saved_call(store)
    assert (call["fear"], call["fear_likelihood"], call["coaching"]) == ("needy", 70, "full")


async def test_calibration_can_be_turned_off_in_the_config(store):
    fill(store)
    app = make_app(store, calibration=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", "1")
        assert "How strong is your hesitation right now?" in screen_text(app)


# ---------------------------------------------------------------------- fading


@pytest.mark.parametrize(
    ("lang", "ready", "dial_now"),
    [
        ("en", "Ready to call Sabine Müller?", "Dial now"),
        ("de", "Bereit, Sabine Müller anzurufen?", "Jetzt wählen"),
    ],
)
async def test_after_five_calm_calls_the_coaching_is_one_step_before_and_one_after(
    store, lang, ready, dial_now
):
    fill(store)
    calm_history(store)
    app = make_app(store, lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        assert ready in screen_text(app) and dial_now in screen_text(app)
        await pilot.press("1", "3")  # dial now; no answer
        assert app.screen.script_panel.run.current.id == "after_quick"
        await pilot.press("2", "enter")
        await settle(pilot)
    call = saved_call(store)
    assert (call["coaching"], call["fear"], call["hesitation_before"], call["hesitation_after"]) == (
        "faded",
        None,
        None,
        2,
    )


async def test_the_full_coaching_can_be_asked_for_and_is_recorded_as_full(store):
    fill(store)
    calm_history(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", "2")  # the full coaching first
        assert "What worries you most about calling Sabine Müller?" in screen_text(app)
        await pilot.press("2", "2", "2", "3", "1")  # pushy, 30 %, 2, no answer, after 1
        await pilot.press("enter")
        await settle(pilot)
    call = saved_call(store)
    assert (call["coaching"], call["fear"], call["fear_likelihood"]) == ("full", "pushy", 30)


async def test_a_high_rating_brings_the_full_coaching_back_on_the_next_call(store):
    fill(store)
    calm_history(store, ratings=((None, 5),) + ((1, 1),) * 5)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        assert "What worries you most about calling Sabine Müller?" in screen_text(app)


async def test_the_config_keeps_the_full_coaching_for_good(store):
    fill(store)
    calm_history(store)
    app = make_app(store, coaching="full")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        assert "What worries you most" in screen_text(app)


# ------------------------------------------------------------------ key budgets


async def test_key_budget_routine_not_yet_with_faded_coaching(store):
    fill(store)
    calm_history(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        keys = Keys(pilot)
        await keys.press("enter")  # the offer
        await keys.press("1", "1", "2", "1", "2")  # dial now, reached, no questions, fits, not yet
        await keys.type("+4")
        await keys.press("enter", "1")  # the date; hesitation 1
        await keys.press("enter")  # save
        await settle(pilot)
    call = saved_call(store)
    assert (call["outcome"], call["next_due"], call["coaching"]) == (
        "follow_up",
        FOUR_DAYS.isoformat(),
        "faded",
    )
    assert keys.count == 9 <= 10


async def test_key_budget_routine_not_yet_with_full_coaching(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        keys = Keys(pilot)
        await keys.press("enter")  # the offer
        await keys.press("3", "2", "2")  # afraid of a no, 30 %, hesitation 2
        await keys.press("1", "2", "1", "2")  # reached, no questions, fits, not yet
        await keys.type("+4")
        await keys.press("enter", "1", "2")  # the date; hesitation 1; the no did not come
        await keys.press("enter", "enter")  # no notes; save
        await settle(pilot)
    call = saved_call(store)
    assert (call["outcome"], call["next_due"], call["coaching"]) == (
        "follow_up",
        FOUR_DAYS.isoformat(),
        "full",
    )
    assert (call["fear"], call["fear_likelihood"], call["fear_came_true"]) == ("no", 30, 0)
    assert keys.count == 13 <= 14


async def test_key_budget_no_answer_from_inside_the_script(store):
    fill(store)
    calm_history(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        keys = Keys(pilot)
        await keys.press("enter", "1", "3", "1", "enter")  # offer, dial now, no answer, hesitation 1, save
        await settle(pilot)
    call = saved_call(store)
    assert (call["outcome"], call["reached"], call["hesitation_after"]) == ("no_answer", "no_answer", 1)
    assert keys.count == 5 <= 5


async def test_key_count_no_answer_with_the_full_coaching(store):
    """Not a budget of the issue, but counted for the README: the full coaching costs two keys more."""
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        keys = Keys(pilot)
        await keys.press("enter", "3", "2", "2", "3", "1", "enter")  # no, 30 %, 2, no answer, after 1, save
        await settle(pilot)
    assert saved_call(store)["outcome"] == "no_answer"
    assert keys.count == 7
