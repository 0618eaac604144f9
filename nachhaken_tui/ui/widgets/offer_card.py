"""The offer card: who, what, how much, since when, and what happened so far.

Every value that came from a user is put in as plain `Text`, so a client
called `[bold red]x` or `[@click=app.quit]` shows exactly that.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from rich.console import Group
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from nachhaken_tui.core.calls.dial import tel_uri
from nachhaken_tui.core.calls.memory import LastCall
from nachhaken_tui.core.input.phone import display_phone
from nachhaken_tui.core.models import CallRecord, DueKind, DueOffer, Offer, Status
from nachhaken_tui.core.text.i18n import format_date, format_date_long, format_money, humanize_date
from nachhaken_tui.core.text.wording import due_cause_text, loss_reason_label, outcome_label, status_label
from nachhaken_tui.ui.text import UI, plain

if TYPE_CHECKING:
    from textual import getters

    from nachhaken_tui.ui.app import NachhakenApp

__all__ = ["OfferCard", "phone_link"]


class OfferCard(Static):
    """Shows one offer; `show(offer, last_call)` replaces what it shows."""

    if TYPE_CHECKING:  # at run time Textual's own `app`; this only tells mypy its class
        app = getters.app(NachhakenApp)

    DEFAULT_CSS = """
    OfferCard { padding: 0 1; height: auto; }
    """

    def __init__(self, lang: str, today: dt.date, **kwargs: Any) -> None:
        super().__init__(Text(UI.text(lang, "no_selection"), style="dim"), **kwargs)
        self.lang = lang
        self.today = today

    def show(
        self,
        offer: Offer | None,
        last_call: CallRecord | None = None,
        *,
        compact: bool = False,
        hint: bool = True,
        close_loop: bool = False,
        away_until: dt.date | None = None,
        glance: LastCall | None = None,
    ) -> None:
        """Display `offer`; without one, the hint to pick one (if `hint`).

        Args:
            compact: only who and what, so that on a small terminal the call
                script below stays in view during a call.
            close_loop: suggest the close-the-loop e-mail (enough unanswered attempts).
            away_until: for an offer moved by the user's time away, that period's last day.
            glance: the last call with the answers that matter for the next one.
        """
        if offer is None:
            self.update(Text(UI.text(self.lang, "no_selection") if hint else "", style="dim"))
            return
        card = render_offer(
            offer,
            last_call,
            self.lang,
            self.today,
            compact=compact,
            country=self.app.config.country,
            away_until=away_until,
            glance=glance,
        )
        if close_loop:
            hint_line = Text(UI.text(self.lang, "close_loop_hint", n=offer.attempts), style="bold yellow")
            card = Group(hint_line, card)  # on top: on a small terminal the card's end is out of view
        self.update(card)


def render_offer(
    offer: Offer,
    last_call: CallRecord | None,
    lang: str,
    today: dt.date,
    *,
    compact: bool = False,
    country: str | None = None,
    away_until: dt.date | None = None,
    glance: LastCall | None = None,
) -> Group:
    """The card as a Rich renderable: a to-do first if there is one, the last call at a glance;
    `country` (the user's) decides which numbers are shown nationally."""

    def t(key: str, **fields: object) -> str:
        return UI.text(lang, key, **fields)

    def when(day: dt.date | None) -> Text:
        if day is None:
            return Text(t("card_none"), style="dim")
        return Text(f"{format_date_long(day, lang)} ({humanize_date(day, today, lang)})")

    title = plain(offer.client, style="bold")
    title.append("\n")
    title.append(plain(offer.title, style="italic"))
    if (todo := _todo(offer, lang)) is not None:
        title.append("\n")
        title.append(Text(f"{t('card_todo')}: {todo}", style="bold yellow"))
    if compact:
        phone = display_phone(offer.phone, country) if offer.phone else None
        facts = [offer.contact, phone, format_money(offer.value_cents, offer.currency, lang)]
        title.append("\n")
        title.append(plain(" · ".join(fact for fact in facts if fact), style="dim"))
        return Group(title)
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    if offer.reference:
        grid.add_row(t("card_reference"), plain(offer.reference))
    grid.add_row(t("card_contact"), plain(offer.contact or t("card_none")))
    if offer.salutation:
        grid.add_row(t("card_salutation"), plain(offer.salutation))
    grid.add_row(t("card_phone"), phone_link(offer.phone, country) if offer.phone else plain(t("card_none")))
    grid.add_row(t("card_email"), plain(offer.email or t("card_none")))
    grid.add_row(
        t("card_value"), Text(format_money(offer.value_cents, offer.currency, lang) or t("card_none"))
    )
    grid.add_row(t("card_sent"), when(offer.sent_on))
    grid.add_row(t("card_first_talk"), when(offer.first_talk_on))
    status = Text(status_label(offer.status.value, lang))
    if offer.loss_reason:
        status.append(plain(f" ({loss_reason_label(offer.loss_reason, lang)})"))
    grid.add_row(t("card_status"), status)
    if offer.valid_until:
        grid.add_row(t("card_valid_until"), _validity(offer, lang, today))
    if offer.next_due:
        grid.add_row(t("card_next"), _next_date(offer, lang, today, away_until))
    attempts = t("card_unanswered", n=offer.attempts) if offer.attempts else "0"
    grid.add_row(t("card_attempts"), Text(attempts))
    grid.add_row(t("card_last_call"), _last_call_text(last_call, lang, today, glance))
    parts: list = [title, grid]
    for answer in glance.answers if glance is not None else ():
        # below the grid: a long question in its first column would squeeze out every value
        parts.append(plain(answer.question, style="dim"))
        parts.append(plain(f"  {answer.answer}"))
    if offer.notes:
        parts.append(Text(t("card_notes"), style="dim"))
        parts.append(plain(offer.notes))
    return Group(*parts)


def phone_link(phone: str, country: str | None) -> Text:
    """The number in bold as people write it (`display_phone`), a clickable `tel:` link
    for softphones where it is dialable."""
    return plain(display_phone(phone, country), style=Style(bold=True, link=tel_uri(phone)))


def _validity(offer: Offer, lang: str, today: dt.date) -> Text:
    """The last valid day; "expired" in red once it has passed with the offer still open."""
    day = offer.valid_until
    assert day is not None  # the card shows this line only for an offer with a validity
    if offer.expired(today):
        return Text(UI.text(lang, "card_expired", date=format_date_long(day, lang)), style="bold red")
    return Text(f"{format_date_long(day, lang)} ({humanize_date(day, today, lang)})")


def _next_date(offer: Offer, lang: str, today: dt.date, away_until: dt.date | None) -> Text:
    """The next date, why it moved (validity, time away, the client's return), and a warning
    when an agreed date lies after the validity ends."""
    assert offer.next_due is not None  # the card shows this line only for an offer with a next date
    text = Text(format_date(offer.next_due, lang))
    cause = due_cause_text(DueOffer(offer, 0, away_until), today, lang) if not offer.expired(today) else None
    if cause:
        text.append(f" · {cause}", style="dim")
    valid_until = offer.valid_until
    late = valid_until is not None and offer.next_due > valid_until and not offer.expired(today)
    if late and valid_until is not None and offer.due_kind is DueKind.AGREED:
        text.append(
            "\n" + UI.text(lang, "card_after_validity", date=format_date(valid_until, lang)),
            style="bold yellow",
        )
    return text


def _todo(offer: Offer, lang: str) -> str | None:
    """What has to happen before the next call, if anything: the revised offer, a number."""
    if offer.status is not Status.OPEN:
        return None
    if offer.revise_by is not None:
        return UI.text(lang, "todo_revise", date=format_date(offer.revise_by, lang))
    if offer.phone_wrong:
        return UI.text(lang, "todo_wrong_number")
    if not offer.phone:
        return UI.text(lang, "todo_no_phone")
    return None


def _last_call_text(
    call: CallRecord | None, lang: str, today: dt.date, glance: LastCall | None = None
) -> Text:
    if call is None:
        return Text(UI.text(lang, "card_no_calls"), style="dim")
    ended = dt.date.fromisoformat(call.ended_at[:10])
    when = f"{format_date(ended, lang)}, {humanize_date(ended, today, lang)}"
    text = Text(f"{when}: {outcome_label(call.outcome, lang)}")
    if call.loss_reason:
        text.append(plain(f" ({loss_reason_label(call.loss_reason, lang)})"))
    if glance is not None and glance.agreed is not None:
        text.append(f" · {UI.text(lang, 'card_agreed', date=format_date(glance.agreed, lang))}")
    return text
