"""The stats on a small history whose every figure is worked out by hand below.

Today is Thu 26 Nov 2026; the default cadence calls 3 business days after
sending (no public holiday in Germany in November 2026 after the 1st).

| offer   | sent      | first due | calls (fear, before→after, came true)                 | now             |
|---------|-----------|-----------|--------------------------------------------------------|-----------------|
| Alpha   | Mon 2 Nov | Thu 5 Nov | 5 Nov no answer (needy 4→3, -); 10 Nov won (pushy 3→1, no) | won 1.000 €  |
| Beta    | Mon 2 Nov | Thu 5 Nov | 9 Nov lost: price (no 4→2, yes)                        | lost (late)     |
| Gamma   | Tue 3 Nov | Fri 6 Nov | 4 Nov snooze to 12 Nov; 12 Nov follow-up (pushy 5→2, no) | open 3.000 €, due 1 Dec |
| Delta   | Mon 16 Nov| Thu 19 Nov| –                                                      | open 500 €, overdue |
| Epsilon | Wed 25 Nov| Mon 30 Nov| –                                                      | open, no value  |
| Iota    | Tue 24 Nov| Fri 27 Nov| –                                                      | open £1,500     |
| Zeta    | Thu 1 Oct | –         | –                                                      | archived        |
| Eta     | Mon 23 Nov| Thu 26 Nov| 26 Nov lost: own words (none 2→1, -)                   | lost            |
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import TODAY

from nachhaken_tui.cli import cli
from nachhaken_tui.core.models import CallDraft, OfferDraft, Outcome, Reached
from nachhaken_tui.core.stats.figures import compute_stats
from nachhaken_tui.core.stats.words import describe

D = dt.date
HOSTILE_REASON = "[red]moved abroad[/] \x1b[2J"


def _offer(store, client, sent, value=None, currency="EUR"):
    offer_id = store.add_offer(
        OfferDraft(client=client, title="Offer", sent_on=sent, value_cents=value, currency=currency)
    )
    # entered the day it was sent, so none counts as backlog at import
    store.db["offers"].update(offer_id, {"created_at": f"{sent.isoformat()}T09:00:00+01:00"})
    return offer_id


def _call(store, offer_id, day, outcome, *, fear=None, before=None, after=None, came_true=None, **extra):
    draft = CallDraft(
        outcome=outcome,
        fear=fear,
        hesitation_before=before,
        hesitation_after=after,
        fear_came_true=came_true,
        **extra,
    )
    if outcome is not Outcome.SNOOZED:
        draft.reached = Reached.NO_ANSWER if outcome is Outcome.NO_ANSWER else Reached.YES
    store.record_call(offer_id, draft, today=day, ended_at=f"{day.isoformat()}T10:00:00+01:00")


@pytest.fixture
def history(store):
    alpha = _offer(store, "Alpha", D(2026, 11, 2), 100_000)
    _call(store, alpha, D(2026, 11, 5), Outcome.NO_ANSWER, fear="needy", before=4, after=3)
    _call(store, alpha, D(2026, 11, 10), Outcome.WON, fear="pushy", before=3, after=1, came_true=False)
    beta = _offer(store, "Beta", D(2026, 11, 2), 200_000, "GBP")
    _call(
        store,
        beta,
        D(2026, 11, 9),
        Outcome.LOST,
        fear="no",
        before=4,
        after=2,
        came_true=True,
        loss_reason="price",
    )
    gamma = _offer(store, "Gamma", D(2026, 11, 3), 300_000)
    _call(store, gamma, D(2026, 11, 4), Outcome.SNOOZED, next_due=D(2026, 11, 12))
    _call(
        store,
        gamma,
        D(2026, 11, 12),
        Outcome.FOLLOW_UP,
        fear="pushy",
        before=5,
        after=2,
        came_true=False,
        next_due=D(2026, 12, 1),
    )
    _offer(store, "Delta", D(2026, 11, 16), 50_000)
    _offer(store, "Epsilon", D(2026, 11, 25))
    _offer(store, "Iota", D(2026, 11, 24), 150_000, "GBP")
    store.archive(_offer(store, "Zeta", D(2026, 10, 1), 90_000))
    eta = _offer(store, "Eta", D(2026, 11, 23))
    _call(store, eta, TODAY, Outcome.LOST, fear="none", before=2, after=1, loss_reason=HOSTILE_REASON)
    return store


def test_counts_offers_and_calls_without_snoozes(history):
    stats = compute_stats(history, TODAY)
    assert stats.offers == {"open": 4, "won": 1, "lost": 2, "archived": 1}
    assert stats.calls == 5


def test_calls_and_hesitation_per_week_over_the_last_twelve_weeks(history):
    weeks = compute_stats(history, TODAY).weeks
    assert len(weeks) == 12
    assert (weeks[0].start, weeks[-1].start) == (D(2026, 9, 7), D(2026, 11, 23))
    by_start = {week.start: week for week in weeks}
    assert [week.calls for week in weeks] == [0] * 8 + [1, 3, 0, 1]
    busy = by_start[D(2026, 11, 9)]  # Alpha 3→1, Beta 4→2, Gamma 5→2
    assert (busy.rated, busy.hesitation_before, busy.hesitation_after) == (3, 4.0, pytest.approx(5 / 3))
    assert by_start[D(2026, 11, 16)].hesitation_before is None


def test_follow_up_on_time_late_overdue_never(history):
    follow_up = compute_stats(history, TODAY).follow_up
    # on time: Alpha (5 Nov), Gamma (snoozed to 12 Nov, called then), Eta (today)
    assert (follow_up.on_time, follow_up.late) == (3, 1)  # late: Beta, called 9 Nov for 5 Nov
    assert (follow_up.overdue, follow_up.never, follow_up.not_due_yet) == (1, 1, 2)


def test_win_rate_with_and_without_a_call(history):
    stats = compute_stats(history, TODAY)
    assert (stats.followed_up.won, stats.followed_up.closed) == (1, 3)  # Alpha of Alpha, Beta, Eta
    assert stats.followed_up.rate == pytest.approx(1 / 3)
    assert (stats.without_call.won, stats.without_call.closed, stats.without_call.rate) == (0, 1, 0.0)


def test_outcomes_by_attempt_number(history):
    by_attempt = compute_stats(history, TODAY).by_attempt
    assert [(item.attempt, item.outcomes) for item in by_attempt] == [
        (1, {"lost": 2, "follow_up": 1, "no_answer": 1}),
        (2, {"won": 1}),
    ]


def test_loss_reasons_hesitation_and_fears(history):
    stats = compute_stats(history, TODAY)
    assert stats.loss_reasons == [(HOSTILE_REASON, 1), ("price", 1)]
    assert (stats.rated_calls, stats.hesitation_before, stats.hesitation_after) == (5, 3.6, 1.8)
    # needy was only feared on an unanswered call (not asked whether it happened); none is no fear
    assert [(tally.fear, tally.feared, tally.happened) for tally in stats.fears] == [
        ("pushy", 2, 0),
        ("no", 1, 1),
    ]


def test_money_is_grouped_by_currency(history):
    stats = compute_stats(history, TODAY)
    assert [(m.currency, m.cents, m.offers) for m in stats.won] == [("EUR", 100_000, 1)]
    # Gamma 3.000 + Delta 500 + Epsilon (no value); Iota in pounds, never added to euros
    assert [(m.currency, m.cents, m.offers) for m in stats.pipeline] == [
        ("EUR", 350_000, 3),
        ("GBP", 150_000, 1),
    ]
    assert [(m.currency, m.cents, m.offers) for m in stats.due_today] == [("EUR", 50_000, 1)]


def test_since_counts_only_offers_sent_since_and_their_calls(history):
    stats = compute_stats(history, TODAY, since=D(2026, 11, 16))
    assert stats.total_offers == 4  # Delta, Epsilon, Iota, Eta
    assert stats.calls == 1
    assert [(m.currency, m.cents) for m in stats.pipeline] == [("EUR", 50_000), ("GBP", 150_000)]


def test_the_words_in_english(history):
    text = _text(history, "en")
    assert "8 offers (4 open, 1 won, 2 lost, 1 archived) · 5 calls" in text
    assert "First call on time: 3 · late: 1" in text
    assert "Not called yet: 1 overdue, 2 not due yet" in text
    # below five closed offers the counts stay, the percentage gives way to words
    assert "Followed up: 1 of 3 closed won (too few calls to say yet)" in text
    assert "Without a call: 0 of 1 closed won (too few offers to say yet)" in text
    assert "A comparison, not a cause: people follow up more on offers that already look warm." in text
    assert "%" not in text
    assert "Attempt 1: 4 calls – 2 lost, 1 follow-up agreed, 1 no answer" in text
    assert "Attempt 2: 1 call – 1 won" in text
    assert "Hesitation before the call 3.6, after it 1.8 (1–5, rated calls: 5)" in text
    assert "You feared looking pushy 2 times; it never happened." in text
    assert "You feared hearing “no” once; it happened once." in text
    assert "Open pipeline: €3,500 (3 offers) · £1,500 (1 offer)" in text
    assert "Waiting for a follow-up today: €500 (1 offer)" in text
    assert "Mon 9 Nov    3  ███  hesitation 4.0 → 1.7" in text


def test_the_words_in_german(history):
    text = _text(history, "de")
    assert "8 Angebote (4 offen, 1 gewonnen, 2 verloren, 1 archiviert) · 5 Anrufe" in text
    assert "Nachgefasst: 1 von 3 abgeschlossenen gewonnen (zu wenige, um etwas zu sagen)" in text
    assert "Ein Vergleich, keine Ursache: Man fasst eher bei Angeboten nach, die schon gut aussehen." in text
    assert "Hemmung vor dem Anruf 3,6, danach 1,8 (1–5, bewertete Anrufe: 5)" in text
    assert "Du hast 2-mal befürchtet, aufdringlich zu wirken; eingetreten ist es nie." in text
    assert "Du hast einmal ein „Nein“ befürchtet; eingetreten ist es einmal." in text
    assert "Offen: 3.500 € (3 Angebote) · 1.500 £ (1 Angebot)" in text
    assert "1  Preis" in text


def test_a_typed_loss_reason_is_shown_literally_but_cannot_steer_the_terminal(history):
    text = _text(history, "en")
    assert "1  [red]moved abroad[/] \ufffd[2J" in text
    assert "\x1b" not in text


def test_json_holds_the_same_figures(history):
    data = json.loads(json.dumps(compute_stats(history, TODAY).as_json()))
    assert data["offers"] == {"total": 8, "open": 4, "won": 1, "lost": 2, "archived": 1}
    assert data["follow_up"] == {
        "on_time": 3,
        "late": 1,
        "backlog_at_import": 0,
        "overdue": 1,
        "never": 1,
        "not_due_yet": 2,
        "ran_out": 0,
    }
    assert data["win_rate"]["followed_up"] == {"closed": 3, "won": 1, "rate": 0.3333, "too_few": True}
    assert data["min_count"] == 5
    assert data["block_weeks"] == {"weeks": 0, "of": 8}
    assert data["hesitation"] == {"rated_calls": 5, "before": 3.6, "after": 1.8}
    assert data["fears"][1] == {"fear": "no", "feared": 1, "happened": 1}
    assert data["money"]["open_pipeline"][1] == {"currency": "GBP", "value_cents": 150_000, "offers": 1}
    assert data["calls_per_week"][9] == {
        "week_start": "2026-11-09",
        "calls": 3,
        "rated_calls": 3,
        "hesitation_before": 4.0,
        "hesitation_after": 1.67,
    }


def test_an_empty_database_gets_a_friendly_word_and_no_division_by_zero(store):
    stats = compute_stats(store, TODAY)
    assert stats.followed_up.rate is None and stats.hesitation_before is None
    assert all(week.calls == 0 for week in stats.weeks)
    [section] = describe(stats, "en")
    assert section.title == "Your numbers"
    assert section.lines[0] == "No offers yet, so no numbers yet."
    assert json.loads(json.dumps(stats.as_json()))["win_rate"]["without_call"] == {
        "closed": 0,
        "won": 0,
        "rate": None,
        "too_few": True,
    }


def test_offers_without_calls_word_each_empty_section(store):
    store.add_offer(OfferDraft(client="A", title="T", sent_on=D(2026, 11, 2)))
    text = _text(store, "en")
    assert "Followed up: none closed yet" in text
    assert "No calls recorded yet." in text
    assert "No offer lost yet." in text
    assert "No hesitation rated yet." in text
    assert "Won: nothing" in text


def _text(store, lang: str) -> str:
    return "\n".join(
        line
        for section in describe(compute_stats(store, TODAY), lang)
        for line in [section.title, *section.lines]
    )


# ------------------------------------------------------------- the command


def _cli(db_path, *args: str, lang: str = "en"):
    return CliRunner().invoke(
        cli, ["stats", *args, "--db", str(db_path), "--lang", lang, "--today", TODAY.isoformat()]
    )


def test_cli_stats_prints_the_sections(history, db_path):
    result = _cli(db_path)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:2] == ["Your numbers", "  8 offers (4 open, 1 won, 2 lost, 1 archived) · 5 calls"]
    assert "  You feared looking pushy 2 times; it never happened." in lines
    assert "Money" in lines


def test_cli_stats_json_since(history, db_path):
    result = _cli(db_path, "--json", "--since", "16.11.2026")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["since"], data["offers"]["total"], data["calls"]) == ("2026-11-16", 4, 1)


def test_cli_stats_on_an_empty_database_in_german(store, db_path):
    # `store` makes the empty database: with no file at all, stats refuses the path
    result = _cli(db_path, lang="de")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1] == "  Noch keine Angebote, also noch keine Zahlen."


@pytest.mark.parametrize(
    ("since", "day"),
    [
        ("1.11.", "2026-11-01"),
        ("vor 10 Tagen", "2026-11-16"),
        ("last monday", "2026-11-23"),
        ("-3", "2026-11-23"),
        ("Anfang November", "2026-11-01"),
        ("KW 47", "2026-11-16"),
        ("Nov 16", "2026-11-16"),
    ],
)
def test_cli_stats_since_takes_the_dates_the_form_takes(history, db_path, since, day):
    result = _cli(db_path, "--json", "--since", since)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["since"] == day


def test_cli_stats_refuses_a_bad_since_in_one_line(db_path):
    result = _cli(db_path, "--since", "soon")
    assert (result.exit_code, result.stderr) == (
        1,
        "--since: 'soon' is not a date; try e.g. 3.11., 2026-11-03, today, yesterday, -3, monday\n",
    )


def test_real_stats_in_a_subprocess(history, db_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "nachhaken_tui",
            "stats",
            "--db",
            str(db_path),
            "--today",
            TODAY.isoformat(),
            "--lang",
            "de",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert "  Du hast einmal ein „Nein“ befürchtet; eingetreten ist es einmal." in result.stdout.splitlines()


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            ["Your own numbers", "calendar file (ICS)", "Back up the database", "Erase a client's offers"],
        ),
        ("de", ["Deine eigenen Zahlen", "Kalenderdatei (ICS)", "Die Datenbank sichern", "endgültig löschen"]),
    ],
)
def test_the_new_commands_have_help_in_both_languages(lang, expected):
    code = (
        "import sys\n"
        f"sys.argv = ['nachhaken', '--lang', {lang!r}]\n"
        "from click.testing import CliRunner\n"
        "from nachhaken_tui.cli import cli\n"
        "for name in ('stats', 'calendar', 'backup', 'forget'):\n"
        "    result = CliRunner().invoke(cli, [name, '--help'])\n"
        "    print(f'## {name} {result.exit_code}')\n"
        "    print(result.output)\n"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    for name in ("stats", "calendar", "backup", "forget"):
        assert f"## {name} 0" in output
    for text in expected:
        assert text in " ".join(output.split())


# ------------------------------------------- honest rates, calibration, consistency


def _guessed(store, offer_id, day, came_true, guess, **extra):
    _call(
        store,
        offer_id,
        day,
        Outcome.FOLLOW_UP,
        fear="no",
        before=3,
        after=2,
        came_true=came_true,
        fear_likelihood=guess,
        next_due=D(2026, 12, 10),
        **extra,
    )


def test_from_five_closed_offers_a_rate_is_a_percentage_with_its_count(store):
    for index in range(5):
        offer = _offer(store, f"Won {index}", D(2026, 11, 2))
        _call(store, offer, D(2026, 11, 5), Outcome.WON if index < 2 else Outcome.LOST)
    text = _text(store, "en")
    assert "Followed up: 2 of 5 closed won (40%)" in text
    assert "A comparison, not a cause" not in text  # nothing to compare with: no offer closed without a call


def test_calibration_holds_the_guesses_against_what_happened_per_fear(store):
    offer = _offer(store, "Calibrated", D(2026, 11, 2))
    for day, came_true, guess in [
        (9, True, 70),
        (10, False, 70),
        (11, False, 50),
        (12, False, 90),
        (13, False, 70),
    ]:
        _guessed(store, offer, D(2026, 11, day), came_true, guess)
    _call(
        store, offer, D(2026, 11, 16), Outcome.FOLLOW_UP, fear="no", came_true=False, next_due=D(2026, 12, 10)
    )
    stats = compute_stats(store, TODAY)
    [item] = stats.calibration  # the call without a guess is not part of it
    assert (item.fear, item.calls, item.average_guess, item.happened) == ("no", 5, 70.0, 1)
    assert "A “no”: you guessed 70% on average; it happened in 20% (1 of 5)." in _text(store, "en")
    assert "Ein „Nein“: geschätzt hast du im Schnitt 70 %; eingetreten ist es in 20 % (1 von 5)." in _text(
        store, "de"
    )
    data = stats.as_json()["calibration"]
    assert data == [
        {"fear": "no", "calls": 5, "average_guess": 70.0, "happened": 1, "rate": 0.2, "too_few": False}
    ]


def test_calibration_below_five_calls_says_it_is_too_early(store):
    offer = _offer(store, "Early", D(2026, 11, 2))
    _guessed(store, offer, D(2026, 11, 9), False, 90)
    _guessed(store, offer, D(2026, 11, 10), True, 50)
    text = _text(store, "en")
    assert "A “no”: you guessed 70% on average; it happened 1 of 2 (too few calls to say yet)." in text
    assert "it happened in" not in text


def test_weeks_with_a_call_block_count_the_last_eight_weeks_without_a_streak(store):
    from nachhaken_tui.core.calls.blocks import BlockPlan, start_block

    offer = _offer(store, "Blocks", D(2026, 9, 1))
    block = start_block(store, BlockPlan(calls=3))
    # this week, last week twice, four weeks ago; nine weeks ago is outside the eight
    for day in (D(2026, 11, 24), D(2026, 11, 17), D(2026, 11, 18), D(2026, 10, 29), D(2026, 9, 24)):
        _call(store, offer, day, Outcome.NO_ANSWER, block_id=block)
    _call(store, offer, D(2026, 11, 3), Outcome.NO_ANSWER)  # not in a block
    stats = compute_stats(store, TODAY)
    assert stats.block_weeks == 3
    assert "Weeks with at least one call block: 3 of the last 8." in _text(store, "en")
    assert "Wochen mit mindestens einem Anrufblock: 3 von den letzten 8." in _text(store, "de")
    assert "streak" not in _text(store, "en").lower()


def test_which_calls_had_the_full_coaching_is_counted(store):
    offer = _offer(store, "Coached", D(2026, 11, 2))
    for day, coaching in [(5, "full"), (6, "full"), (9, "faded"), (10, None)]:
        _call(store, offer, D(2026, 11, day), Outcome.NO_ANSWER, coaching=coaching)
    stats = compute_stats(store, TODAY)
    assert stats.coaching == {"full": 2, "faded": 1}
    assert stats.as_json()["coaching"] == {"full": 2, "faded": 1}
    assert "Full coaching on 2 of 3 calls through the script, the short one on 1." in _text(store, "en")


@pytest.mark.parametrize("since", [None, D(2026, 11, 1)])
def test_the_calls_are_read_in_table_order_never_through_their_offer_index(history, since):
    """Walking `calls_offer` jumps into the table for every call: on a large file it cost three
    times a plain read and a sort of the few columns needed (issue 14)."""
    statements: list[str] = []
    history.conn.set_trace_callback(statements.append)
    try:
        compute_stats(history, TODAY, since)
    finally:
        history.conn.set_trace_callback(None)
    plans = [
        " | ".join(row[3] for row in history.conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
        for sql in statements
        if "FROM calls" in sql
    ]
    assert plans
    assert not any("calls_offer" in plan for plan in plans), plans


def test_calls_are_numbered_in_the_order_they_ended_not_the_order_they_were_saved(store):
    offer = _offer(store, "Late entry", D(2026, 11, 2))
    _call(store, offer, D(2026, 11, 20), Outcome.NO_ANSWER)
    _call(store, offer, D(2026, 11, 12), Outcome.SNOOZED, next_due=D(2026, 11, 16))
    _call(store, offer, D(2026, 11, 13), Outcome.VOICEMAIL)  # saved after, ended before
    stats = compute_stats(store, TODAY)
    assert [(item.attempt, item.outcomes) for item in stats.by_attempt] == [
        (1, {"voicemail": 1}),
        (2, {"no_answer": 1}),
    ]
    assert stats.follow_up.on_time == 1  # the first call (13th) before the snooze's date (16th)
