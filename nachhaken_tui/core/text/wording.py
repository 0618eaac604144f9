"""How nachhaken words its data for people: reasons, outcomes, statuses.

One place for these words, so `nachhaken due`, the inbox, the offer card and
the history say the same thing in the same language.
"""

from __future__ import annotations

import datetime as dt
import re

from nachhaken_tui.core.models import DueCause, DueKind, DueOffer
from nachhaken_tui.core.text.i18n import Catalog, format_date, format_date_long

__all__ = [
    "EXPIRED",
    "LOSS_REASONS",
    "WORDS",
    "answer_text",
    "due_cause_text",
    "due_reason",
    "loss_reason_choice",
    "loss_reason_label",
    "offer_name",
    "outcome_label",
    "status_label",
    "validity_text",
]

WORDS = Catalog(
    {
        "reason_first": {"de": "erstes Nachfassen", "en": "first follow-up"},
        "reason_retry": {
            "de": "neuer Versuch, {attempts}× nicht erreicht",
            "en": "try again after {attempts} unanswered",
        },
        "reason_agreed_today": {"de": "Rückruf für heute vereinbart", "en": "call-back agreed for today"},
        "reason_agreed_overdue": {"de": "Rückruf vereinbart: {date}", "en": "call-back agreed: {date}"},
        "reason_expiring": {"de": "Angebot läuft {date} ab", "en": "offer runs out {date}"},
        "reason_expired": {"de": "abgelaufen am {date}", "en": "expired {date}"},
        "reason_away": {
            "de": "verschoben: du warst bis {date} weg",
            "en": "moved: you were away until {date}",
        },
        "reason_away_plain": {"de": "verschoben: du warst weg", "en": "moved: you were away"},
        "reason_client_back": {"de": "Kunde ab {date} zurück", "en": "client back on {date}"},
        "reason_reopened": {"de": "wieder geöffnet", "en": "reopened"},
        "reason_wrong_number": {
            "de": "falsche Nummer: richtige finden oder mailen",
            "en": "wrong number: find the right one or write",
        },
        "reason_revised_sent": {
            "de": "Anruf zum überarbeiteten Angebot vom {date}",
            "en": "call about the revised offer of {date}",
        },
        "reason_revise": {
            "de": "überarbeitetes Angebot bis {date} schicken",
            "en": "send the revised offer by {date}",
        },
        "overdue_1": {"de": "1 Werktag überfällig", "en": "overdue 1 business day"},
        "overdue_n": {"de": "{n} Werktage überfällig", "en": "overdue {n} business days"},
        "outcome_won": {"de": "gewonnen", "en": "won"},
        "outcome_lost": {"de": "verloren", "en": "lost"},
        "outcome_follow_up": {"de": "Rückruf vereinbart", "en": "follow-up agreed"},
        "outcome_revise": {"de": "Angebot wird überarbeitet", "en": "offer to be revised"},
        "outcome_voicemail": {"de": "Mailbox", "en": "voicemail"},
        "outcome_no_answer": {"de": "nicht erreicht", "en": "no answer"},
        "outcome_snoozed": {"de": "verschoben", "en": "snoozed"},
        "outcome_close_loop": {"de": "Abschluss-Mail geschickt", "en": "close-the-loop e-mail sent"},
        "status_open": {"de": "offen", "en": "open"},
        "status_won": {"de": "gewonnen", "en": "won"},
        "status_lost": {"de": "verloren", "en": "lost"},
        "status_archived": {"de": "archiviert", "en": "archived"},
        "loss_price": {"de": "Preis", "en": "price"},
        "loss_timing": {"de": "Zeitpunkt", "en": "timing"},
        "loss_competitor": {"de": "jemand anderes wurde gewählt", "en": "they chose someone else"},
        "loss_scope": {"de": "der Umfang passte nicht", "en": "the scope didn't match"},
        "loss_no_budget": {"de": "kein Budget", "en": "no budget"},
        "loss_no_need": {"de": "kein Bedarf (mehr)", "en": "no need (any more)"},
        "loss_other": {"de": "anderer Grund", "en": "other reason"},
        "loss_none_given": {"de": "kein Grund genannt", "en": "no reason given"},
        "loss_expired": {"de": "abgelaufen", "en": "expired"},
        "valid_until": {"de": "gültig bis {date}", "en": "valid until {date}"},
    }
)

LOSS_REASONS = ("price", "timing", "competitor", "scope", "no_budget", "no_need", "none_given")
"""The loss reasons offered everywhere; anything else is the user's own words.

The call scripts (assets/scripts) offer the same reasons in the same words,
capitalised as list entries (`loss_reason_choice`); a test holds them to it."""

EXPIRED = "expired"
"""The loss reason of an offer closed because its validity ran out (not offered in the lost dialog)."""


def due_cause_text(due: DueOffer, today: dt.date, lang: str) -> str | None:
    """What besides the cadence timed an offer: "expired Fri 11 Dec", "offer runs out Fri 11 Dec",
    "moved: you were away until Tue 5 Jan", "client back on Tue 5 Jan"; None when nothing did.

    An expired validity comes first: it needs a decision whatever moved the date.
    Then what moved it, then a validity that ends soon.
    """
    offer = due.offer
    if offer.expired(today) and offer.valid_until is not None:
        return WORDS.text(lang, "reason_expired", date=format_date(offer.valid_until, lang))
    if offer.due_cause is DueCause.EXPIRING and offer.valid_until is not None:
        return WORDS.text(lang, "reason_expiring", date=format_date(offer.valid_until, lang))
    if offer.due_cause is DueCause.AWAY:
        if due.away_until is None:
            return WORDS.text(lang, "reason_away_plain")
        return WORDS.text(lang, "reason_away", date=format_date(due.away_until, lang))
    if offer.due_cause is DueCause.CLIENT_AWAY and offer.next_due is not None:
        return WORDS.text(lang, "reason_client_back", date=format_date(offer.next_due, lang))
    if due.runs_out_soon and offer.valid_until is not None:
        return WORDS.text(lang, "reason_expiring", date=format_date(offer.valid_until, lang))
    return None


def validity_text(valid_until: dt.date, lang: str) -> str:
    """ "gültig bis Fr 11. Dez" / "valid until Fri 11 Dec"."""
    return WORDS.text(lang, "valid_until", date=format_date(valid_until, lang))


def due_reason(due: DueOffer, today: dt.date, lang: str) -> str:
    """Why an offer is in today's inbox, e.g. "overdue 3 business days · first follow-up".

    What moved the date (`due_cause_text`) replaces the kind: "offer runs
    out Fri 11 Dec" says more than "first follow-up".
    """
    offer = due.offer
    if offer.revise_by is not None:
        kind = WORDS.text(lang, "reason_revise", date=format_date(offer.revise_by, lang))
    elif offer.phone_wrong:
        kind = WORDS.text(lang, "reason_wrong_number")
    elif offer.reopened_at is not None:
        kind = WORDS.text(lang, "reason_reopened")
    elif (cause := due_cause_text(due, today, lang)) is not None:
        kind = cause
    elif offer.revised_sent_on is not None:
        kind = WORDS.text(lang, "reason_revised_sent", date=format_date(offer.revised_sent_on, lang))
    elif due.kind is DueKind.AGREED:
        if due.overdue_days == 0:
            return WORDS.text(lang, "reason_agreed_today")
        kind = WORDS.text(lang, "reason_agreed_overdue", date=format_date(offer.next_due or today, lang))
    elif due.kind is DueKind.RETRY:
        kind = WORDS.text(lang, "reason_retry", attempts=offer.attempts)
    else:
        kind = WORDS.text(lang, "reason_first")
    if due.overdue_days == 0:
        return kind
    key = "overdue_1" if due.overdue_days == 1 else "overdue_n"
    return f"{WORDS.text(lang, key, n=due.overdue_days)} · {kind}"


def outcome_label(outcome: str, lang: str) -> str:
    """ "gewonnen" / "won" for a stored outcome value."""
    return WORDS.text(lang, f"outcome_{outcome}")


def status_label(status: str, lang: str) -> str:
    """ "offen" / "open" for a stored status value."""
    return WORDS.text(lang, f"status_{status}")


def loss_reason_choice(reason: str, lang: str) -> str:
    """A loss reason as an entry of a list to pick from: "Kein Budget" / "No budget"."""
    label = WORDS.text(lang, f"loss_{reason}")
    return label[:1].upper() + label[1:]


def loss_reason_label(reason: str | None, lang: str) -> str:
    """A known reason in words; the user's own text as typed; "" for none."""
    if not reason:
        return ""
    if reason in LOSS_REASONS or reason in (
        "other",
        EXPIRED,
    ):  # "other": the script's choice, left without words
        return WORDS.text(lang, f"loss_{reason}")
    return reason


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def answer_text(answer: str, lang: str) -> str:
    """A stored answer for reading: a date step's ISO day ("2026-12-03") as the rest
    of the screen shows days ("Do 3. Dez 2026"); any other answer as given."""
    if _ISO_DAY.fullmatch(answer):
        try:
            return format_date_long(dt.date.fromisoformat(answer), lang)
        except ValueError:
            return answer
    return answer


_QUOTES = {"de": (("„", "“"), ("‚", "‘")), "en": (("“", "”"), ("‘", "’"))}
"""Quotation marks per language: (outer, nested inside a quoted sentence)."""


def offer_name(title: str, reference: str | None, lang: str, *, nested: bool = False) -> str:
    """An offer as the client knows it: its number, if any, and its quoted title.

    "2026-048 „Website-Relaunch“", or "„Website-Relaunch“" without a number;
    `nested` uses the inner marks, for a sentence that is itself in quotes
    (the call script's suggestions).
    """
    opening, closing = _QUOTES.get(lang, _QUOTES["en"])[nested]
    quoted = f"{opening}{title}{closing}"
    return f"{reference} {quoted}" if reference else quoted
