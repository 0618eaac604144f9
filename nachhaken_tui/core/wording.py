"""How nachhaken words its data for people: reasons, outcomes, statuses.

One place for these words, so `nachhaken due`, the inbox, the offer card and
the history say the same thing in the same language.
"""

from __future__ import annotations

import datetime as dt

from nachhaken_tui.core.i18n import Catalog, format_date
from nachhaken_tui.core.models import DueKind, DueOffer

__all__ = ["LOSS_REASONS", "WORDS", "due_reason", "loss_reason_label", "outcome_label", "status_label"]

WORDS = Catalog(
    {
        "reason_first": {"de": "erstes Nachfassen", "en": "first follow-up"},
        "reason_retry": {"de": "neuer Versuch nach {attempts}× nicht erreicht",
                         "en": "try again after {attempts} unanswered"},
        "reason_agreed_today": {"de": "Rückruf für heute vereinbart", "en": "call-back agreed for today"},
        "reason_agreed_overdue": {"de": "Rückruf war für {date} vereinbart",
                                  "en": "call-back was agreed for {date}"},
        "reason_reopened": {"de": "wieder geöffnet", "en": "reopened"},
        "reason_wrong_number": {"de": "falsche Nummer: richtige finden oder mailen",
                                "en": "wrong number: find the right one or write"},
        "reason_revised_sent": {"de": "Anruf zum überarbeiteten Angebot vom {date}",
                                "en": "call about the revised offer of {date}"},
        "reason_revise": {"de": "überarbeitetes Angebot bis {date} schicken",
                          "en": "send the revised offer by {date}"},
        "overdue_1": {"de": "1 Werktag überfällig", "en": "overdue 1 business day"},
        "overdue_n": {"de": "{n} Werktage überfällig", "en": "overdue {n} business days"},
        "outcome_won": {"de": "gewonnen", "en": "won"},
        "outcome_lost": {"de": "verloren", "en": "lost"},
        "outcome_follow_up": {"de": "Rückruf vereinbart", "en": "follow-up agreed"},
        "outcome_revise": {"de": "Angebot wird überarbeitet", "en": "offer to be revised"},
        "outcome_voicemail": {"de": "Mailbox", "en": "voicemail"},
        "outcome_no_answer": {"de": "nicht erreicht", "en": "no answer"},
        "outcome_snoozed": {"de": "verschoben", "en": "snoozed"},
        "status_open": {"de": "offen", "en": "open"},
        "status_won": {"de": "gewonnen", "en": "won"},
        "status_lost": {"de": "verloren", "en": "lost"},
        "status_archived": {"de": "archiviert", "en": "archived"},
        "loss_price": {"de": "Preis", "en": "price"},
        "loss_timing": {"de": "Zeitpunkt", "en": "timing"},
        "loss_competitor": {"de": "Mitbewerber", "en": "competitor"},
        "loss_scope": {"de": "Umfang", "en": "scope"},
        "loss_no_budget": {"de": "kein Budget", "en": "no budget"},
        "loss_no_need": {"de": "kein Bedarf", "en": "no need"},
        "loss_none_given": {"de": "kein Grund genannt", "en": "no reason given"},
    }
)

LOSS_REASONS = ("price", "timing", "competitor", "scope", "no_budget", "no_need", "none_given")
"""The loss reasons offered everywhere; anything else is the user's own words."""


def due_reason(due: DueOffer, today: dt.date, lang: str) -> str:
    """Why an offer is in today's inbox, e.g. "overdue 3 business days · first follow-up"."""
    offer = due.offer
    if offer.revise_by is not None:
        kind = WORDS.text(lang, "reason_revise", date=format_date(offer.revise_by, lang))
    elif offer.phone_wrong:
        kind = WORDS.text(lang, "reason_wrong_number")
    elif offer.reopened_at is not None:
        kind = WORDS.text(lang, "reason_reopened")
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
    """"gewonnen" / "won" for a stored outcome value."""
    return WORDS.text(lang, f"outcome_{outcome}")


def status_label(status: str, lang: str) -> str:
    """"offen" / "open" for a stored status value."""
    return WORDS.text(lang, f"status_{status}")


def loss_reason_label(reason: str | None, lang: str) -> str:
    """A known reason in words; the user's own text as typed; "" for none."""
    if not reason:
        return ""
    if reason in LOSS_REASONS:
        return WORDS.text(lang, f"loss_{reason}")
    return reason
