"""The history screen: one offer's calls, newest first, with answers, hesitation and fear."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import TODAY
from ui_helpers import fill, make_app, screen_text

from nachhaken_tui.core.models import Answer, CallDraft, Outcome, Reached
from nachhaken_tui.ui.screens.history import HistoryScreen

MUELLER = 1


def record_two_calls(store) -> None:
    """An unanswered call on Friday 20 Nov, then a follow-up agreed today."""
    store.record_call(
        MUELLER,
        CallDraft(
            outcome=Outcome.NO_ANSWER,
            reached=Reached.NO_ANSWER,
            fear="needy",
            hesitation_before=4,
            answers=[
                Answer("fear", "What holds you back?", "I'll look needy"),
                Answer("dial", "Did you reach them?", "No answer"),
            ],
        ),
        today=dt.date(2026, 11, 20),
        ended_at="2026-11-20T10:15:00+01:00",
    )
    store.record_call(
        MUELLER,
        CallDraft(
            outcome=Outcome.FOLLOW_UP,
            reached=Reached.YES,
            next_due=dt.date(2026, 12, 3),
            fear="no",
            fear_came_true=False,
            hesitation_before=3,
            hesitation_after=1,
            notes="Wants a cheaper option",
            answers=[
                Answer("decision", "Where do they stand?", "Not yet, call again"),
                Answer("when", "When do you call again?", "Thu 3 Dec 2026"),
            ],
        ),
        today=TODAY,
        ended_at="2026-11-26T14:03:00+01:00",
    )


async def open_history(app, pilot, offer_id: int = MUELLER) -> None:
    app.push_screen(HistoryScreen(app.store, offer_id, app.lang, app.today))
    await pilot.pause()


async def test_history_shows_every_call_newest_first_with_outcome_answers_and_hesitation(store):
    fill(store)
    record_two_calls(store)
    app = make_app(store)
    async with app.run_test(size=(120, 50)) as pilot:
        await open_history(app, pilot)
        text = screen_text(app)
        assert "History: Müller Bau GmbH – Website-Relaunch" in text
        assert "open · 2 calls" in text
        newest = text.index("Thu 26 Nov 2026, 14:03 · today")
        oldest = text.index("Fri 20 Nov 2026, 10:15 · 6 days ago")
        assert newest < oldest
        today_part, friday_part = text[newest:oldest], text[oldest:]
        for shown in (
            "follow-up agreed",
            "Agreed for",
            "Thu 3 Dec 2026",
            "Hesitation before → after  3 → 1",
            "a “no” – did not come true",
            "Wants a cheaper option",
            "Decision → Not yet, call again",
            "When do you call again? → Thu 3 Dec 2026",
        ):
            assert shown in today_part
        for shown in (
            "no answer",
            "Next attempt",
            "Hesitation before → after  4 → –",
            "looking needy",
            "Before the call → I'll look needy",
            "Dial → No answer",
        ):
            assert shown in friday_part
        assert "did not come true" not in friday_part  # not asked on that call


async def test_lost_call_shows_its_reason(store):
    fill(store)
    store.record_call(
        MUELLER, CallDraft(outcome=Outcome.LOST, reached=Reached.YES, loss_reason="price"), today=TODAY
    )
    store.record_call(2, CallDraft(outcome=Outcome.LOST, loss_reason="moved abroad"), today=TODAY)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_history(app, pilot)
        text = screen_text(app)
        assert "lost · 1 call" in text and "Reason" in text and "price" in text
        await pilot.press("escape")
        await open_history(app, pilot, 2)
        assert "moved abroad" in screen_text(app)


async def test_an_offer_without_calls_says_so(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_history(app, pilot)
        text = screen_text(app)
        assert "open · no calls yet" in text
        assert "No calls yet for this offer." in text


async def test_german_history(store):
    fill(store)
    record_two_calls(store)
    app = make_app(store, lang="de")
    async with app.run_test(size=(120, 50)) as pilot:
        await open_history(app, pilot)
        text = screen_text(app)
        assert "Verlauf: Müller Bau GmbH – Website-Relaunch" in text
        assert "offen · 2 Anrufe" in text
        assert "Do 26. Nov 2026, 14:03 · heute" in text
        assert "Fr 20. Nov 2026, 10:15 · vor 6 Tagen" in text
        assert "Rückruf vereinbart" in text and "Vereinbart für" in text
        assert "Hemmung vorher → nachher  3 → 1" in text
        assert "ein „Nein“ – trat nicht ein" in text
        assert "Esc schließt" in text


HOSTILE = ["[@click=app.quit]x", "[/]", "[bold red]y", "\x1b[2Jz", "{offer.client}"]


@pytest.mark.parametrize("hostile", HOSTILE)
async def test_hostile_notes_and_answers_are_shown_literally(store, hostile):
    fill(store)
    store.record_call(
        MUELLER,
        CallDraft(
            outcome=Outcome.LOST,
            loss_reason=hostile,
            notes=f"note {hostile}",
            answers=[Answer("q", f"question {hostile}", f"answer {hostile}")],
        ),
        today=TODAY,
    )
    shown = hostile.replace("\x1b", "\ufffd")
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_history(app, pilot)
        text = screen_text(app)
        assert f"note {shown}" in text
        assert f"question {shown} → answer {shown}" in text
        assert "\x1b" not in text
        await pilot.click("#history-body")  # a live [@click=app.quit] would quit here
        await pilot.click("#history-body", offset=(20, 3))
        await pilot.pause()
        assert app.is_running
        assert isinstance(app.screen, HistoryScreen)


async def test_long_history_scrolls_with_the_keyboard(store):
    fill(store)
    for day in range(16, 26):
        store.record_call(
            MUELLER,
            CallDraft(outcome=Outcome.NO_ANSWER, reached=Reached.NO_ANSWER, notes=f"attempt on {day}"),
            today=TODAY,
            ended_at=f"2026-11-{day}T09:00:00+01:00",
        )
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_history(app, pilot)
        scroll = app.screen.query_one("#history-scroll")
        assert app.focused is scroll
        assert "attempt on 25" in screen_text(app)
        assert "attempt on 16" not in screen_text(app)
        await pilot.press("down")
        assert scroll.scroll_y == 1
        await pilot.press("pagedown")
        assert scroll.scroll_y > 1
        await pilot.press("end")
        await pilot.pause()
        assert "attempt on 16" in screen_text(app)
        await pilot.press("pageup", "home")
        await pilot.pause()
        assert scroll.scroll_y == 0


@pytest.mark.parametrize("key", ["escape", "q", "h"])
async def test_escape_q_and_h_close_it_without_quitting(store, key):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_history(app, pilot)
        await pilot.press(key)
        await pilot.pause()
        assert app.is_running
        assert not isinstance(app.screen, HistoryScreen)
        assert "History:" not in screen_text(app)


@pytest.mark.parametrize(
    ("lang", "full", "short", "guess"),
    [
        ("en", "Coaching full", "Coaching short", "a “no” (guessed 70%) – did not come true"),
        ("de", "Coaching ganz", "Coaching kurz", "ein „Nein“ (geschätzt 70 %) – trat nicht ein"),
    ],
)
async def test_history_shows_which_calls_had_the_full_coaching_and_the_guess(store, lang, full, short, guess):
    fill(store)
    store.record_call(
        MUELLER,
        CallDraft(outcome=Outcome.NO_ANSWER, reached=Reached.NO_ANSWER, coaching="faded", hesitation_after=1),
        today=dt.date(2026, 11, 20),
        ended_at="2026-11-20T10:15:00+01:00",
    )
    store.record_call(
        MUELLER,
        CallDraft(
            outcome=Outcome.FOLLOW_UP,
            reached=Reached.YES,
            next_due=dt.date(2026, 12, 3),
            fear="no",
            fear_likelihood=70,
            fear_came_true=False,
            coaching="full",
        ),
        today=TODAY,
        ended_at="2026-11-26T14:03:00+01:00",
    )
    app = make_app(store, lang)
    async with app.run_test(size=(120, 50)) as pilot:
        await open_history(app, pilot)
        text = " ".join(screen_text(app).split())
    assert guess in text
    assert text.index(full) < text.index(short)  # newest first: today's full, then Friday's short
