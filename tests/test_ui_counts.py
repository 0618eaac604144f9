"""The view counts (tabs, header, empty state) come from one count in a worker, after the list and card.

Issue 14: a search keystroke used to count every view with a scan of its
own on the UI thread. These pin the behaviour around the background count:
a burst of keys counts once, a late count never overwrites a newer one,
saves and view switches show the right figures, and the list reaches all
its rows even before a search's count is in.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading

import pytest
from conftest import TODAY
from ui_helpers import fill, make_app, screen_text, settle

from nachhaken_tui.core.db.inbox import InboxQuery, View
from nachhaken_tui.core.db.inbox_counts import InboxCounter, counts_query
from nachhaken_tui.core.db.store import now_iso
from nachhaken_tui.core.models import OfferDraft, Status
from nachhaken_tui.ui.screens import main as main_screen
from nachhaken_tui.ui.widgets.inbox_list import PAGE_SIZE

MUELLER = 1


def left_pane(app) -> str:
    """The inbox side of the screen, as one line of words."""
    return " ".join(" ".join(line.split("▕")[0] for line in screen_text(app).splitlines()).split())


def spy_on_counts(app, gate: dict[str, threading.Event] | None = None) -> list[str]:
    """Record each search the screen's counter counts; a search in `gate` waits for its event first,
    and sets `returned` once its count is done (the worker then decides what becomes of it)."""
    counter = app.screen.counter
    real = counter.count
    searched: list[str] = []

    def count(search: str, today: dt.date):
        searched.append(search)
        if gate and search in gate:
            gate[search].wait(10)
            try:
                return real(search, today)
            finally:
                returned.set()
        return real(search, today)

    counter.count = count
    return searched


returned = threading.Event()


async def worker_done(pilot) -> None:
    """Wait until the gated count has returned and whatever its worker posted is handled."""
    await asyncio.get_running_loop().run_in_executor(None, returned.wait, 10)
    for _ in range(3):  # its worker posts (or not) right after the count returns
        await settle(pilot)


def test_one_statement_counts_every_view_as_the_view_queries_do(store):
    fill(store)
    store.add_offer(OfferDraft(client="Müller Druck", title="Flyer", sent_on=dt.date(2026, 10, 1)))
    store.change_offer(4, {"status": Status.WON.value, "next_due": None, "updated_at": now_iso()})
    today = TODAY
    for search in ("", "müller", "MÜLLER", "bau", "zzz", "100%"):
        counts = InboxCounter(store).count(search, today)
        assert counts.views == {view: store.count(InboxQuery(view, search), today) for view in View}
        assert counts.due == store.count_due(today)
        sql, params = counts_query(search, today)
        plan = [row["detail"] for row in store.read("EXPLAIN QUERY PLAN " + sql, params)]
        scans = [step for step in plan if step.startswith("SCAN offers") and "offers_search" not in step]
        assert len(scans) <= 1, plan  # one pass at most (the header's figure is an index search)


async def test_counts_show_after_the_first_frame_and_in_the_header(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        text = left_pane(app)
        assert "Due 2" in text and "Upcoming 1" in text and "Open 3" in text and "Closed 0" in text
        assert "2 due today" in app.screen.sub_title


async def test_a_burst_of_search_keys_counts_once_and_right(store, monkeypatch):
    monkeypatch.setattr(main_screen, "COUNT_PAUSE", 0.5)  # a burst, even on a starved machine
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash")
        searched = spy_on_counts(app)
        field = app.screen.query_one("#search")
        for text in ("m", "mü", "mül", "müll"):  # typed faster than the pause
            field.value = text
        await settle(pilot)
        assert searched == ["müll"]
        text = left_pane(app)
        assert "Due 1" in text and "Upcoming 0" in text and "Open 1" in text and "Closed 0" in text
        assert "2 due today" in app.screen.sub_title  # the header's figure ignores the search


async def test_a_late_count_never_overwrites_a_newer_one(store, monkeypatch):
    monkeypatch.setattr(main_screen, "COUNT_PAUSE", 0.0)
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        release = threading.Event()
        searched = spy_on_counts(app, gate={"b": release})
        field = app.screen.query_one("#search")
        field.value = "b"  # its count hangs ...
        await pilot.pause()
        field.value = "bäckerei"  # ... while the newer one lands
        await pilot.pause()
        assert "Upcoming 1" in left_pane(app) and "Due 0" in left_pane(app)
        returned.clear()
        release.set()  # now the count for "b" comes back, late
        await worker_done(pilot)
        assert searched == ["b", "bäckerei"]
        text = left_pane(app)
        assert "Due 0" in text and "Upcoming 1" in text and "Open 1" in text
        assert "In other views: Upcoming 1, Open 1." in text


async def test_no_answer_saves_and_the_counts_follow(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert [call["outcome"] for call in store.read("SELECT outcome FROM calls")] == ["no_answer"]
        today = app.today
        due = store.count_due(today)
        assert due == 1
        upcoming = store.count(InboxQuery(View.UPCOMING), today)
        text = left_pane(app)
        assert f"Due {due}" in text and f"Upcoming {upcoming}" in text and "Open 3" in text
        assert "1 due today" in app.screen.sub_title
        assert "Northwind Studio" in text and "Müller Bau GmbH" not in text


async def test_a_view_switch_shows_that_view_and_counts_nothing_again(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        searched = spy_on_counts(app)
        await pilot.press("v")
        text = left_pane(app)
        assert "Bäckerei Schröder" in text and "Müller Bau GmbH" not in text
        assert "Due 2" in text and "Upcoming 1" in text
        await pilot.press("v")
        text = left_pane(app)
        assert all(client in text for client in ("Müller Bau GmbH", "Northwind Studio", "Bäckerei Schröder"))
        await pilot.press("v")
        assert "This view is empty." in left_pane(app)
        await pilot.press("v")
        text = left_pane(app)
        assert "Müller Bau GmbH" in text and "Bäckerei Schröder" not in text
        assert searched == []  # same search, same data: the counts were known


@pytest.mark.parametrize("extra", [PAGE_SIZE - 1, PAGE_SIZE + 10])
async def test_a_search_reaches_its_last_row_before_its_count_is_in(store, monkeypatch, extra):
    monkeypatch.setattr(main_screen, "COUNT_PAUSE", 0.0)
    fill(store)
    for n in range(extra):
        store.add_offer(OfferDraft(client=f"Kunde {n:03d}", title="Zubehör", sent_on=dt.date(2026, 11, 16)))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        release = threading.Event()
        spy_on_counts(app, gate={"zubehör": release})
        app.screen.query_one("#search").value = "zubehör"
        await pilot.pause()
        await pilot.press("enter", "end")  # the count still hangs
        inbox = app.screen.inbox
        assert inbox.total == extra and inbox.cursor == extra - 1
        assert inbox.current is not None and inbox.current.client == f"Kunde {extra - 1:03d}"
        release.set()
        await settle(pilot)
        assert f"Due {extra}" in left_pane(app) and inbox.total == extra
