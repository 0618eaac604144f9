"""Building the real app on a small fixture database for Pilot tests, and driving it."""

from __future__ import annotations

import datetime as dt

from conftest import TODAY

from nachhaken_tui.core.db.store import Store
from nachhaken_tui.core.models import OfferDraft
from nachhaken_tui.core.script.loader import load_default_script
from nachhaken_tui.ui.app import NachhakenApp

D = dt.date

FIXTURE_OFFERS = [
    # sent Mon 16 Nov -> first due Thu 19 Nov -> 5 business days overdue on 26 Nov
    OfferDraft(
        client="Müller Bau GmbH",
        contact="Sabine Müller",
        title="Website-Relaunch",
        sent_on=D(2026, 11, 16),
        first_talk_on=D(2026, 11, 10),
        value_cents=480_000,
        phone="+49 171 2345678",
        notes="Wants the shop online before spring.",
    ),
    # sent Mon 23 Nov -> due today
    OfferDraft(
        client="Northwind Studio",
        contact="Emma Clarke",
        title="Brand workshop",
        sent_on=D(2026, 11, 23),
        value_cents=120_000,
        currency="GBP",
        phone="+44 20 7946 0958",
    ),
    # sent Wed 25 Nov -> due Mon 30 Nov: upcoming
    OfferDraft(client="Bäckerei Schröder", title="Logo", sent_on=D(2026, 11, 25), value_cents=90_000),
]


def make_app(store: Store, lang: str = "en", today: dt.date = TODAY) -> NachhakenApp:
    """The real app on `store`, in `lang`, working for `today`.

    Its notices stay for an hour instead of 5 s: Textual drops a notice after
    that much wall-clock time, and on a busy machine a test can take longer
    between the notice and its check.
    """
    app = NachhakenApp(store, load_default_script(lang), lang=lang, today=today)
    app.NOTIFICATION_TIMEOUT = 3600
    return app


def fill(store: Store) -> Store:
    """Add the three fixture offers (two due, one upcoming) to `store`."""
    for draft in FIXTURE_OFFERS:
        store.add_offer(draft)
    return store


async def settle(pilot) -> None:
    """Wait until saving workers are done and the screen has caught up."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def screen_text(app) -> str:
    """Everything the screen shows right now, as plain text lines."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def notifications(app) -> list[str]:
    """The toasts on screen (Textual draws them on a layer of their own)."""
    return [notification.message for notification in app._notifications]


def right_pane(app) -> str:
    """The offer card and script side of the screen as one line of words (wrapped lines joined)."""
    return " ".join(" ".join(line.split("▕")[-1] for line in screen_text(app).splitlines()).split())


def dialog_text(app) -> str:
    """What a modal dialog box shows, as one line of words (its wrapped lines joined)."""
    inside = [
        line[line.index("█") + 1 : line.rindex("█")]
        for line in screen_text(app).splitlines()
        if line.count("█") >= 2
    ]
    return " ".join(" ".join(inside).split())
