"""The inbox's view of the store: pages of rows, already worded for display.

A façade between SQL and widgets (the pattern elia uses): the list widget asks
for "rows 40 to 60 of the Due view" and gets small dataclasses of plain
strings; it never sees a query, and the store never sees a widget. It has no
Textual import, so it is tested like the core.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from nachhaken_tui.core.display import terminal_safe
from nachhaken_tui.core.i18n import format_date, format_money, humanize_date
from nachhaken_tui.core.models import DueOffer, Offer
from nachhaken_tui.core.store import Store, View
from nachhaken_tui.core.wording import due_reason, status_label
from nachhaken_tui.ui.text import UI

__all__ = ["InboxRow", "InboxSource"]


@dataclass(frozen=True, slots=True)
class InboxRow:
    """One offer as the inbox shows it; every field is plain, terminal-safe, one-line text."""

    offer_id: int
    client: str
    contact: str
    title: str
    value: str
    reason: str
    age: str
    overdue_days: int
    """Business days overdue (drives the reason's colour); 0 outside the Due view."""


class InboxSource:
    """Rows of one inbox view, fetched page by page from the store.

    Args:
        store: the open database.
        today: the day the inbox is for.
        lang: the language rows are worded in.
    """

    def __init__(self, store: Store, today: dt.date, lang: str):
        self.store = store
        self.today = today
        self.lang = lang
        self.view = View.DUE

    def count(self) -> int:
        """How many rows the current view holds."""
        return self.store.count_view(self.view, self.today)

    def page(self, offset: int, limit: int) -> list[InboxRow]:
        """Rows `offset` .. `offset + limit` of the current view, in its order."""
        if self.view == View.DUE:
            return [self._due_row(due) for due in self.store.due_page(self.today, limit=limit, offset=offset)]
        return [self._offer_row(offer) for offer in self.store.offers_page(self.view, limit=limit, offset=offset)]

    def _due_row(self, due: DueOffer) -> InboxRow:
        return self._row(due.offer, due_reason(due, self.today, self.lang), due.overdue_days)

    def _offer_row(self, offer: Offer) -> InboxRow:
        if offer.next_due is not None:
            reason = UI.text(self.lang, "due_on", date=format_date(offer.next_due, self.lang))
        else:
            closed = dt.date.fromisoformat(offer.closed_at[:10]) if offer.closed_at else offer.sent_on
            reason = UI.text(
                self.lang,
                "closed_on",
                status=status_label(offer.status.value, self.lang),
                when=humanize_date(closed, self.today, self.lang),
            )
        return self._row(offer, reason, 0)

    def _row(self, offer: Offer, reason: str, overdue_days: int) -> InboxRow:
        return InboxRow(
            offer_id=offer.id,
            client=terminal_safe(offer.client),
            contact=terminal_safe(offer.contact),
            title=terminal_safe(offer.title),
            value=format_money(offer.value_cents, offer.currency, self.lang),
            reason=reason,
            age=UI.text(self.lang, "sent_ago", when=humanize_date(offer.sent_on, self.today, self.lang)),
            overdue_days=overdue_days,
        )
