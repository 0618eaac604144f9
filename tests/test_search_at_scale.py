"""Search and views on a generated 100,000-offer database give the right offers (issue 4).

Correctness only: the speed of the same queries is the benchmark's business
(`python -m tests.benchmarks.run`), never a timed assertion here. Every
expected result is computed in Python from the rows themselves, with the
meaning the user sees: the text anywhere in client, contact, title or notes,
any case.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from ui_helpers import make_app, screen_text

from nachhaken_tui.core.db.inbox import UPCOMING_DAYS, InboxQuery, Sort, View
from nachhaken_tui.core.db.store import Store
from nachhaken_tui.core.schedule.cadence import Cadence
from tests.benchmarks import datagen

TODAY = dt.date(2026, 11, 26)
SIZE = 100_000


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """The benchmark's generator: 100,000 offers of eight years, in a private folder."""
    folder = tmp_path_factory.mktemp("big")
    saved, datagen.CACHE_DIR = datagen.CACHE_DIR, folder
    try:
        dataset = datagen.build_database(SIZE, 0, TODAY)
    finally:
        datagen.CACHE_DIR = saved
    conn = sqlite3.connect(dataset.path)
    conn.row_factory = sqlite3.Row
    rows = [dict(row) for row in conn.execute("SELECT * FROM offers")]
    conn.close()
    assert len(rows) == SIZE
    store = Store.open(dataset.path, Cadence())
    yield store, rows
    store.close()


def _in_view(row: dict, view: View) -> bool:
    today, horizon = TODAY.isoformat(), (TODAY + dt.timedelta(days=UPCOMING_DAYS)).isoformat()
    if view is View.CLOSED:
        return row["status"] != "open"
    if row["status"] != "open":
        return False
    if view is View.DUE:
        return row["next_due"] <= today
    if view is View.UPCOMING:
        return today < row["next_due"] <= horizon
    return True


def _matches(row: dict, text: str) -> bool:
    needle = text.strip().lower()
    return any(needle in (row[column] or "").lower() for column in ("client", "contact", "title", "notes"))


SEARCHES = ["schröder", "SCHRÖDER", "website", "gmbh & co", "Jörg", "zz-nothing-zz", ""]


@pytest.mark.parametrize("view", list(View))
@pytest.mark.parametrize("text", SEARCHES)
def test_counts_and_pages_match_the_rows(big, view, text):
    store, rows = big
    expected = {row["id"] for row in rows if _in_view(row, view) and (not text or _matches(row, text))}
    query = InboxQuery(view, text)
    assert store.count(query, TODAY) == len(expected)
    page = store.page(query, TODAY, limit=200)
    assert len(page) == min(200, len(expected))
    assert {due.offer.id for due in page} <= expected
    if len(expected) <= 200:
        assert {due.offer.id for due in page} == expected


@pytest.mark.parametrize("view", [View.OPEN, View.CLOSED])
def test_sorting_by_value_and_sent_date_pages_through_in_order(big, view):
    store, rows = big
    for sort in (Sort.VALUE, Sort.SENT):
        query = InboxQuery(view, "website", sort)
        first = store.page(query, TODAY, limit=300)
        second = store.page(query, TODAY, limit=300, offset=300)
        offers = [due.offer for due in first + second]
        assert len({offer.id for offer in offers}) == len(offers)  # pages neither overlap nor repeat
        if sort is Sort.SENT:
            assert [o.sent_on for o in offers] == sorted((o.sent_on for o in offers), reverse=True)
        else:
            values = [o.value_cents for o in offers if o.value_cents is not None]
            assert values == sorted(values, reverse=True)


async def test_typing_a_search_in_the_app_shows_the_matching_offers(big):
    store, rows = big
    open_matches = sorted(
        (row for row in rows if _in_view(row, View.OPEN) and _matches(row, "schröder")),
        key=lambda row: (
            row["next_due"],
            -(row["value_cents"] or -1),
            row["attempts"],
            row["sent_on"],
            row["id"],
        ),
    )
    app = make_app(store, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("v", "v", "slash", *"schröder")
        await pilot.pause()
        text = screen_text(app)
        assert f"Open {len(open_matches)}" in text
        assert open_matches[0]["client"][:20] in text
