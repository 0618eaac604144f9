"""The user's numbers in words, in German or English, for the command and the screen.

`describe(stats, lang)` turns a `Stats` into titled sections of plain lines.
`nachhaken stats` prints them; the TUI's stats screen shows the same lines
(plus a sparkline of the weekly series), so the two always say the same.
Words typed by users (their own loss reasons, a custom script's fear keys)
pass through `terminal_safe`; callers show the lines as plain text, never
as markup.
"""

from __future__ import annotations

from dataclasses import dataclass

from nachhaken_tui.core.stats.figures import BLOCK_WEEKS, Money, Stats, Week, WinRate
from nachhaken_tui.core.text.i18n import Catalog, format_date, format_date_long, format_decimal, format_money
from nachhaken_tui.core.text.terminal import terminal_safe
from nachhaken_tui.core.text.wording import loss_reason_label, outcome_label

__all__ = ["Section", "describe"]

BAR_WIDTH = 20
"""The widest text bar in the weekly list, in characters."""

WORDS = Catalog(
    {
        "title": {"de": "Deine Zahlen", "en": "Your numbers"},
        "title_since": {"de": "Deine Zahlen seit {date}", "en": "Your numbers since {date}"},
        "empty": {
            "de": "Noch keine Angebote, also noch keine Zahlen.\nLeg ein Angebot an und fass nach: "
            "Hier siehst du dann deine eigenen Zahlen, nie allgemeine Vertriebsstatistiken.",
            "en": "No offers yet, so no numbers yet.\nAdd an offer and follow it up: this is where your "
            "own numbers appear, never general sales statistics.",
        },
        "empty_since": {
            "de": "Seit {date} wurde kein Angebot gesendet.",
            "en": "No offer was sent since {date}.",
        },
        "overview": {
            "de": "{offers} ({open} offen, {won} gewonnen, {lost} verloren, {archived} archiviert) · {calls}",
            "en": "{offers} ({open} open, {won} won, {lost} lost, {archived} archived) · {calls}",
        },
        "overview_since": {
            "de": "Gezählt werden nur Angebote, die ab {date} gesendet wurden, und die Anrufe dazu.",
            "en": "Only offers sent on or after {date} are counted, and the calls about them.",
        },
        "weeks": {"de": "Anrufe pro Woche (letzte 12 Wochen)", "en": "Calls per week (last 12 weeks)"},
        "week_hesitation": {"de": "Hemmung {before} → {after}", "en": "hesitation {before} → {after}"},
        "weeks_total": {"de": "{calls} in 12 Wochen.", "en": "{calls} in 12 weeks."},
        "follow_up": {"de": "Nachfassen", "en": "Following up"},
        "follow_up_line": {
            "de": "Erster Anruf pünktlich: {on_time} · verspätet: {late}",
            "en": "First call on time: {on_time} · late: {late}",
        },
        "follow_up_backlog": {
            "de": "Rückstand beim Import (schon überfällig erfasst): {backlog}",
            "en": "Backlog at import (already overdue when entered): {backlog}",
        },
        "follow_up_waiting": {
            "de": "Noch nicht angerufen: {overdue} überfällig, {not_due_yet} noch nicht fällig",
            "en": "Not called yet: {overdue} overdue, {not_due_yet} not due yet",
        },
        "follow_up_never": {
            "de": "Ohne Anruf abgeschlossen: {never}",
            "en": "Closed without a call: {never}",
        },
        "follow_up_ran_out": {
            "de": "Angebote, die ohne Antwort abgelaufen sind: {n}",
            "en": "Offers that ran out without an answer: {n}",
        },
        "outcomes": {"de": "Was das Nachfassen brachte", "en": "What following up brought"},
        "rate_followed_up": {
            "de": "Nachgefasst: {won} von {closed} abgeschlossenen gewonnen ({rate})",
            "en": "Followed up: {won} of {closed} closed won ({rate})",
        },
        "rate_without_call": {
            "de": "Ohne Anruf: {won} von {closed} abgeschlossenen gewonnen ({rate})",
            "en": "Without a call: {won} of {closed} closed won ({rate})",
        },
        "rate_few_followed_up": {
            "de": "Nachgefasst: {won} von {closed} abgeschlossenen gewonnen (zu wenige, um etwas zu sagen)",
            "en": "Followed up: {won} of {closed} closed won (too few calls to say yet)",
        },
        "rate_few_without_call": {
            "de": "Ohne Anruf: {won} von {closed} abgeschlossenen gewonnen (zu wenige, um etwas zu sagen)",
            "en": "Without a call: {won} of {closed} closed won (too few offers to say yet)",
        },
        "comparison": {
            "de": "Ein Vergleich, keine Ursache: Man fasst eher bei Angeboten nach, die schon gut aussehen.",
            "en": "A comparison, not a cause: people follow up more on offers that already look warm.",
        },
        "block_weeks": {
            "de": "Wochen mit mindestens einem Anrufblock: {weeks} von den letzten {of}.",
            "en": "Weeks with at least one call block: {weeks} of the last {of}.",
        },
        "coaching": {
            "de": "Ganzes Coaching bei {full} von {calls} Anrufen mit dem Leitfaden, kurzes bei {faded}.",
            "en": "Full coaching on {full} of {calls} calls through the script, the short one on {faded}.",
        },
        "calibration": {
            "de": "{fear}: geschätzt hast du im Schnitt {guess}; eingetreten ist es in {rate} ({happened} von {calls}).",
            "en": "{fear}: you guessed {guess} on average; it happened in {rate} ({happened} of {calls}).",
        },
        "calibration_few": {
            "de": "{fear}: geschätzt hast du im Schnitt {guess}; eingetreten ist es {happened} von {calls} "
            "(zu wenige Anrufe, um etwas zu sagen).",
            "en": "{fear}: you guessed {guess} on average; it happened {happened} of {calls} "
            "(too few calls to say yet).",
        },
        "calibration_title": {
            "de": "Deine Schätzung gegen das, was geschah:",
            "en": "Your guess against what happened:",
        },
        "fear_name_needy": {"de": "Bedürftig wirken", "en": "Looking needy"},
        "fear_name_pushy": {"de": "Aufdringlich wirken", "en": "Looking pushy"},
        "fear_name_no": {"de": "Ein „Nein“", "en": "A “no”"},
        "rate_none_followed_up": {
            "de": "Nachgefasst: noch keines abgeschlossen",
            "en": "Followed up: none closed yet",
        },
        "rate_none_without_call": {
            "de": "Ohne Anruf: keines abgeschlossen",
            "en": "Without a call: none closed",
        },
        "attempt": {"de": "{n}. Versuch: {calls} – {outcomes}", "en": "Attempt {n}: {calls} – {outcomes}"},
        "attempt_later": {
            "de": "{n}. Versuch und später: {calls} – {outcomes}",
            "en": "Attempt {n} and later: {calls} – {outcomes}",
        },
        "calls_1": {"de": "1 Anruf", "en": "1 call"},
        "calls_n": {"de": "{n} Anrufe", "en": "{n} calls"},
        "no_calls": {"de": "Noch keine Anrufe erfasst.", "en": "No calls recorded yet."},
        "losses": {"de": "Warum Angebote verloren gingen", "en": "Why offers were lost"},
        "no_losses": {"de": "Noch kein Angebot verloren.", "en": "No offer lost yet."},
        "loss_unrecorded": {"de": "kein Grund erfasst", "en": "no reason recorded"},
        "hesitation": {"de": "Hemmung und Befürchtungen", "en": "Hesitation and fears"},
        "hesitation_line": {
            "de": "Hemmung vor dem Anruf {before}, danach {after} (1–5, bewertete Anrufe: {n})",
            "en": "Hesitation before the call {before}, after it {after} (1–5, rated calls: {n})",
        },
        "no_hesitation": {"de": "Noch keine Hemmung bewertet.", "en": "No hesitation rated yet."},
        "fear_needy": {
            "de": "Du hast {times} befürchtet, bedürftig zu wirken; {happened}.",
            "en": "You feared looking needy {times}; {happened}.",
        },
        "fear_pushy": {
            "de": "Du hast {times} befürchtet, aufdringlich zu wirken; {happened}.",
            "en": "You feared looking pushy {times}; {happened}.",
        },
        "fear_no": {
            "de": "Du hast {times} ein „Nein“ befürchtet; {happened}.",
            "en": "You feared hearing “no” {times}; {happened}.",
        },
        "fear_other": {
            "de": "Du hast {times} „{fear}“ befürchtet; {happened}.",
            "en": "You feared “{fear}” {times}; {happened}.",
        },
        "times_1": {"de": "einmal", "en": "once"},
        "times_n": {"de": "{n}-mal", "en": "{n} times"},
        "happened_0": {"de": "eingetreten ist es nie", "en": "it never happened"},
        "happened_1": {"de": "eingetreten ist es einmal", "en": "it happened once"},
        "happened_n": {"de": "eingetreten ist es {n}-mal", "en": "it happened {n} times"},
        "no_fears": {
            "de": "Noch keine Befürchtung mit Ausgang erfasst.",
            "en": "No fear recorded with how it turned out yet.",
        },
        "money": {"de": "Geld", "en": "Money"},
        "money_won": {"de": "Gewonnen: {amounts}", "en": "Won: {amounts}"},
        "money_pipeline": {"de": "Offen: {amounts}", "en": "Open pipeline: {amounts}"},
        "money_due": {
            "de": "Heute nachzufassen: {amounts}",
            "en": "Waiting for a follow-up today: {amounts}",
        },
        "money_item": {"de": "{amount} ({offers})", "en": "{amount} ({offers})"},
        "offers_1": {"de": "1 Angebot", "en": "1 offer"},
        "offers_n": {"de": "{n} Angebote", "en": "{n} offers"},
        "nothing": {"de": "nichts", "en": "nothing"},
    }
)


@dataclass(frozen=True, slots=True)
class Section:
    """A titled block of lines; `key` names it for the screen's layout."""

    key: str
    title: str
    lines: list[str]


def describe(stats: Stats, lang: str) -> list[Section]:
    """The figures of `stats` as sections of plain lines in `lang`.

    With no offers at all there is one friendly section instead, so a new
    user sees what will appear here rather than a page of zeros.
    """
    t = WORDS.text
    since = format_date_long(stats.since, lang) if stats.since else None
    title = t(lang, "title_since", date=since) if since else t(lang, "title")
    if not stats.total_offers:
        message = t(lang, "empty_since", date=since) if since else t(lang, "empty")
        return [Section("empty", title, message.splitlines())]
    overview = [
        t(
            lang,
            "overview",
            offers=_count(stats.total_offers, "offers", lang),
            calls=_count(stats.calls, "calls", lang),
            **stats.offers,
        )
    ]
    if since:
        overview.append(t(lang, "overview_since", date=since))
    return [
        Section("overview", title, overview),
        Section(
            "weeks",
            t(lang, "weeks"),
            [*_weeks(stats.weeks, lang), t(lang, "block_weeks", weeks=stats.block_weeks, of=BLOCK_WEEKS)],
        ),
        Section("follow_up", t(lang, "follow_up"), _follow_up(stats, lang)),
        Section("outcomes", t(lang, "outcomes"), _outcomes(stats, lang)),
        Section("losses", t(lang, "losses"), _losses(stats, lang)),
        Section("hesitation", t(lang, "hesitation"), _hesitation(stats, lang)),
        Section("money", t(lang, "money"), _money(stats, lang)),
    ]


def _bar(value: int, highest: int, width: int = BAR_WIDTH) -> str:
    """A text bar for `value` out of `highest`; one block per call while they fit."""
    if value <= 0 or highest <= 0:
        return ""
    if highest <= width:
        return "█" * value
    return "█" * max(1, round(value * width / highest))


def _weeks(weeks: list[Week], lang: str) -> list[str]:
    labels = [format_date(week.start, lang) for week in weeks]
    label_width = max(map(len, labels))
    highest = max(week.calls for week in weeks)
    bar_width = min(highest, BAR_WIDTH)
    lines = []
    for label, week in zip(labels, weeks, strict=True):
        line = f"{label:<{label_width}} {week.calls:>3}  {_bar(week.calls, highest):<{bar_width}}"
        if week.rated:
            before = format_decimal(week.hesitation_before, lang)
            after = format_decimal(week.hesitation_after, lang)
            line += "  " + WORDS.text(lang, "week_hesitation", before=before, after=after)
        lines.append(line.rstrip())
    lines.append(
        WORDS.text(lang, "weeks_total", calls=_count(sum(week.calls for week in weeks), "calls", lang))
    )
    return lines


def _follow_up(stats: Stats, lang: str) -> list[str]:
    follow_up = stats.follow_up
    return [
        WORDS.text(lang, "follow_up_line", on_time=follow_up.on_time, late=follow_up.late),
        *([WORDS.text(lang, "follow_up_backlog", backlog=follow_up.backlog)] if follow_up.backlog else []),
        WORDS.text(lang, "follow_up_waiting", overdue=follow_up.overdue, not_due_yet=follow_up.not_due_yet),
        WORDS.text(lang, "follow_up_never", never=follow_up.never),
        WORDS.text(lang, "follow_up_ran_out", n=stats.ran_out),
    ]


def _outcomes(stats: Stats, lang: str) -> list[str]:
    lines = [_rate(stats.followed_up, "followed_up", lang), _rate(stats.without_call, "without_call", lang)]
    if stats.followed_up.closed and stats.without_call.closed:
        lines.append(WORDS.text(lang, "comparison"))
    if not stats.by_attempt:
        return [*lines, WORDS.text(lang, "no_calls")]
    for item in stats.by_attempt:
        outcomes = ", ".join(
            f"{count} {outcome_label(outcome, lang)}" for outcome, count in item.outcomes.items()
        )
        key = "attempt_later" if item.and_later else "attempt"
        lines.append(
            WORDS.text(lang, key, n=item.attempt, calls=_count(item.calls, "calls", lang), outcomes=outcomes)
        )
    return lines


def _rate(rate: WinRate, group: str, lang: str) -> str:
    if rate.rate is None:
        return WORDS.text(lang, f"rate_none_{group}")
    if not rate.enough:
        return WORDS.text(lang, f"rate_few_{group}", won=rate.won, closed=rate.closed)
    return WORDS.text(lang, f"rate_{group}", won=rate.won, closed=rate.closed, rate=_percent(rate.rate, lang))


def _losses(stats: Stats, lang: str) -> list[str]:
    if not stats.loss_reasons:
        return [WORDS.text(lang, "no_losses")]
    width = max(count for _, count in stats.loss_reasons)
    return [
        f"{count:>{len(str(width))}}  "
        + (terminal_safe(loss_reason_label(reason, lang)) if reason else WORDS.text(lang, "loss_unrecorded"))
        for reason, count in stats.loss_reasons
    ]


def _hesitation(stats: Stats, lang: str) -> list[str]:
    if stats.rated_calls:
        lines = [
            WORDS.text(
                lang,
                "hesitation_line",
                before=format_decimal(stats.hesitation_before, lang),
                after=format_decimal(stats.hesitation_after, lang),
                n=stats.rated_calls,
            )
        ]
    else:
        lines = [WORDS.text(lang, "no_hesitation")]
    for tally in stats.fears:
        times = _count(tally.feared, "times", lang)
        happened = (
            WORDS.text(lang, "happened_0") if not tally.happened else _count(tally.happened, "happened", lang)
        )
        key = f"fear_{tally.fear}" if tally.fear in ("needy", "pushy", "no") else "fear_other"
        lines.append(WORDS.text(lang, key, times=times, happened=happened, fear=terminal_safe(tally.fear)))
    if not stats.fears:
        lines.append(WORDS.text(lang, "no_fears"))
    if stats.calibration:
        lines.append(WORDS.text(lang, "calibration_title"))
    for item in stats.calibration:
        fear = (
            WORDS.text(lang, f"fear_name_{item.fear}")
            if item.fear in ("needy", "pushy", "no")
            else f"„{terminal_safe(item.fear)}“"
            if lang == "de"
            else f"“{terminal_safe(item.fear)}”"
        )
        key = "calibration" if item.enough else "calibration_few"
        lines.append(
            "  "
            + WORDS.text(
                lang,
                key,
                fear=fear,
                guess=_percent(item.average_guess / 100, lang),
                rate=_percent(item.rate, lang),
                happened=item.happened,
                calls=item.calls,
            )
        )
    scripted = stats.coaching["full"] + stats.coaching["faded"]
    if scripted:
        lines.append(
            WORDS.text(
                lang, "coaching", full=stats.coaching["full"], faded=stats.coaching["faded"], calls=scripted
            )
        )
    return lines


def _money(stats: Stats, lang: str) -> list[str]:
    return [
        WORDS.text(lang, "money_won", amounts=_amounts(stats.won, lang)),
        WORDS.text(lang, "money_pipeline", amounts=_amounts(stats.pipeline, lang)),
        WORDS.text(lang, "money_due", amounts=_amounts(stats.due_today, lang)),
    ]


def _amounts(items: list[Money], lang: str) -> str:
    if not items:
        return WORDS.text(lang, "nothing")
    return " · ".join(
        WORDS.text(
            lang,
            "money_item",
            amount=format_money(item.cents, item.currency, lang),
            offers=_count(item.offers, "offers", lang),
        )
        for item in items
    )


def _count(n: int, noun: str, lang: str) -> str:
    return WORDS.text(lang, f"{noun}_1") if n == 1 else WORDS.text(lang, f"{noun}_n", n=n)


def _percent(rate: float, lang: str) -> str:
    number = f"{rate * 100:.0f}"
    return f"{number} %" if lang == "de" else f"{number}%"
