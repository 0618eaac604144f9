"""Business days, the follow-up cadence and urgency order."""

from __future__ import annotations

import datetime as dt

import pytest

from nachhaken_tui.core.config import Config
from nachhaken_tui.core.models import DueKind, DueOffer, Offer, Outcome, Status
from nachhaken_tui.core.schedule.cadence import BusinessCalendar, Cadence, OfferState, urgency_key

D = dt.date


@pytest.mark.parametrize(
    ("sent", "days", "expected", "why"),
    [
        (D(2026, 11, 23), 3, D(2026, 11, 26), "Mon + 3 = Thu"),
        (D(2026, 11, 26), 3, D(2026, 12, 1), "Thu + 3 skips the weekend"),
        (D(2026, 11, 28), 0, D(2026, 11, 30), "a Saturday moves to Monday"),
        (D(2025, 10, 1), 3, D(2025, 10, 7), "German Unity Day (Fri 3 Oct 2025) is skipped"),
        (D(2025, 12, 23), 3, D(2025, 12, 30), "Christmas 25/26 Dec 2025 are skipped"),
        (D(2026, 12, 29), 3, D(2027, 1, 4), "New Year crosses the year boundary"),
        (D(2026, 4, 1), 1, D(2026, 4, 2), "Maundy Thursday is a business day"),
        (D(2026, 4, 2), 1, D(2026, 4, 7), "Good Friday and Easter Monday are not"),
    ],
)
def test_add_business_days_in_germany(sent, days, expected, why):
    assert BusinessCalendar("DE").add_business_days(sent, days) == expected, why


def test_subdivision_holidays_count():
    monday = D(2026, 1, 5)
    assert BusinessCalendar("DE").add_business_days(monday, 1) == D(2026, 1, 6)
    # Epiphany (6 Jan) is a public holiday in Bavaria only.
    assert BusinessCalendar("DE", "BY").add_business_days(monday, 1) == D(2026, 1, 7)


def test_business_days_between_counts_after_start_up_to_end():
    calendar = BusinessCalendar("DE")
    assert calendar.business_days_between(D(2026, 11, 26), D(2026, 11, 26)) == 0
    assert calendar.business_days_between(D(2026, 11, 27), D(2026, 11, 26)) == 0
    assert calendar.business_days_between(D(2026, 11, 20), D(2026, 11, 26)) == 4
    # Saturday and the Friday before it are equally overdue.
    assert calendar.business_days_between(D(2026, 11, 21), D(2026, 11, 26)) == 4


def test_new_offer_is_first_due_after_configured_business_days():
    assert Cadence().first_due(D(2026, 11, 23)) == D(2026, 11, 26)
    assert Cadence(Config(first_followup_days=5)).first_due(D(2026, 11, 23)) == D(2026, 11, 30)


@pytest.mark.parametrize("outcome", [Outcome.NO_ANSWER, Outcome.VOICEMAIL])
def test_unanswered_attempt_retries_after_retry_days(outcome):
    state = Cadence().after_outcome(outcome, attempts=1, today=D(2026, 11, 26))
    assert state == OfferState(Status.OPEN, D(2026, 11, 30), DueKind.RETRY, 2)


@pytest.mark.parametrize("outcome", [Outcome.FOLLOW_UP, Outcome.REVISE, Outcome.SNOOZED])
def test_agreed_date_is_kept_exactly_even_on_a_weekend(outcome):
    saturday = D(2026, 11, 28)
    state = Cadence().after_outcome(outcome, attempts=2, today=D(2026, 11, 26), agreed=saturday)
    assert state.next_due == saturday
    assert state.due_kind is DueKind.AGREED
    assert state.attempts == 2


def test_agreed_outcome_without_a_date_is_refused():
    with pytest.raises(ValueError, match="needs an agreed date"):
        Cadence().after_outcome(Outcome.FOLLOW_UP, attempts=0, today=D(2026, 11, 26))


@pytest.mark.parametrize(("outcome", "status"), [(Outcome.WON, Status.WON), (Outcome.LOST, Status.LOST)])
def test_won_and_lost_close_the_offer(outcome, status):
    state = Cadence().after_outcome(outcome, attempts=1, today=D(2026, 11, 26))
    assert (state.status, state.next_due, state.due_kind) == (status, None, None)


def test_close_the_loop_after_max_attempts():
    cadence = Cadence(Config(max_attempts=3))
    assert not cadence.should_close_loop(2)
    assert cadence.should_close_loop(3)


def _due(offer_id, overdue, value=None, attempts=0, sent=D(2026, 11, 1)):
    offer = Offer(
        id=offer_id,
        client=f"c{offer_id}",
        title="t",
        sent_on=sent,
        status=Status.OPEN,
        attempts=attempts,
        value_cents=value,
    )
    return DueOffer(offer, overdue)


def test_urgency_order_overdue_then_value_then_attempts_then_sent_on():
    offers = [
        _due(1, 0, value=900_000),
        _due(2, 5, value=100),
        _due(3, 5, value=50_000, attempts=2),
        _due(4, 5, value=50_000, attempts=1, sent=D(2026, 11, 10)),
        _due(5, 5, value=50_000, attempts=1, sent=D(2026, 11, 2)),
        _due(6, 5, value=None),
    ]
    ordered = [due.offer.id for due in sorted(offers, key=urgency_key)]
    assert ordered == [5, 4, 3, 2, 6, 1]


def _walked(calendar: BusinessCalendar):
    """The business-day arithmetic counted one day at a time, as it was before it was memoised."""
    step = dt.timedelta(days=1)

    def add(day, count):
        while not calendar.is_business_day(day):
            day += step
        while count:
            day += step
            count -= calendar.is_business_day(day)
        return day

    def subtract(day, count):
        while not calendar.is_business_day(day):
            day -= step
        while count:
            day -= step
            count -= calendar.is_business_day(day)
        return day

    def between(start, end):
        return sum(calendar.is_business_day(start + step * n) for n in range(1, (end - start).days + 1))

    return add, subtract, between


def test_memoised_business_days_agree_with_counting_day_by_day_across_years_holidays_and_time_away():
    import random

    calendar = BusinessCalendar("DE", "BY")
    rng = random.Random(14)
    for away in ([], [(D(2026, 12, 21), D(2027, 1, 4)), (D(2026, 8, 3), D(2026, 8, 14))]):
        calendar.set_away(away)
        add, subtract, between = _walked(calendar)
        for _ in range(400):
            day = D(2025, 11, 1) + dt.timedelta(days=rng.randint(0, 500))
            other = day + dt.timedelta(days=rng.randint(-400, 400))
            count = rng.choice((0, 1, 2, 3, 5, 20, 300))
            assert calendar.add_business_days(day, count) == add(day, count), (day, count, away)
            assert calendar.subtract_business_days(day, count) == subtract(day, count), (day, count, away)
            assert calendar.business_days_between(other, day) == between(other, day), (other, day, away)


def test_entering_time_away_forgets_the_memoised_business_days():
    calendar = BusinessCalendar("DE")
    assert calendar.add_business_days(D(2026, 12, 1), 1) == D(2026, 12, 2)
    calendar.set_away([(D(2026, 12, 2), D(2026, 12, 4))])
    assert calendar.add_business_days(D(2026, 12, 1), 1) == D(2026, 12, 7)
    assert calendar.business_days_between(D(2026, 12, 1), D(2026, 12, 7)) == 1
