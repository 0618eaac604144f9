"""The inbox's view of the store: pages of rows, already worded for display.

A façade between SQL and widgets (the pattern elia uses): the list widget asks
for "rows 40 to 60 of the Due view" and gets small dataclasses of plain
strings; it never sees a query, and the store never sees a widget. It has no
Textual import, so it is tested like the core.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from nachhaken_tui.core.db.inbox import InboxQuery
from nachhaken_tui.core.db.store import Store
from nachhaken_tui.core.models import DueCause, DueOffer, Status
from nachhaken_tui.core.text.i18n import format_date, format_money, humanize_date
from nachhaken_tui.core.text.wording import due_cause_text, due_reason, status_label
from nachhaken_tui.ui.text import UI, screen_safe

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
    """Business days overdue (drives the reason's colour); 0 when not due."""


class InboxSource:
    """Rows of the inbox's current query, fetched page by page from the store.

    Args:
        store: the open database.
        today: the day the inbox is for.
        lang: the language rows are worded in.
    """

    def __init__(self, store: Store, today: dt.date, lang: str):
        self.store = store
        self.today = today
        self.lang = lang
        self.query = InboxQuery()
        """View, search text and order; the screen replaces it as the user switches."""

    def count(self) -> int:
        """How many rows the current query selects."""
        return self.store.count(self.query, self.today)

    def page(self, offset: int, limit: int) -> list[InboxRow]:
        """Rows `offset` .. `offset + limit` of the current query, in its order."""
        return [self._row(due) for due in self.store.page(self.query, self.today, limit=limit, offset=offset)]

    def _row(self, due: DueOffer) -> InboxRow:
        offer = due.offer
        if offer.status is Status.OPEN and offer.next_due is not None and offer.next_due <= self.today:
            reason = due_reason(due, self.today, self.lang)
        elif offer.next_due is not None:
            reason = UI.text(self.lang, "due_on", date=format_date(offer.next_due, self.lang))
            if (cause := due_cause_text(due, self.today, self.lang)) is not None:
                # "client back on Tue 5 Jan" names the date itself
                reason = cause if offer.due_cause is DueCause.CLIENT_AWAY else f"{reason} · {cause}"
        else:
            closed = dt.date.fromisoformat(offer.closed_at[:10]) if offer.closed_at else offer.sent_on
            reason = UI.text(
                self.lang,
                "closed_on",
                status=status_label(offer.status.value, self.lang),
                when=humanize_date(closed, self.today, self.lang),
            )
        return InboxRow(
            offer_id=offer.id,
            client=screen_safe(offer.client),
            contact=screen_safe(offer.contact),
            title=screen_safe(offer.title),
            value=format_money(offer.value_cents, offer.currency, self.lang),
            reason=reason,
            age=UI.text(self.lang, "sent_ago", when=humanize_date(offer.sent_on, self.today, self.lang)),
            overdue_days=due.overdue_days,
        )
