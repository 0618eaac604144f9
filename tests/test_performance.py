"""What keeps nachhaken instant with 100,000 offers (issue 6), checked without timing anything.

The benchmark (`python -m tests.benchmarks.run`) measures; these tests pin the
reasons its numbers are what they are: which index each inbox query uses,
what the first frame and `nachhaken due` import, and that the shortcuts
(searched counts, cached holidays, pendulum's month count done by hand) give
exactly the answers of the long way.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import click
import pytest
from conftest import TODAY

from nachhaken_tui.commands import COMMAND_MODULES, COMMANDS, load_command
from nachhaken_tui.core.db.inbox import _DUE_WHERE, DUE_ORDER, InboxQuery, Sort, View
from nachhaken_tui.core.db.schema import SCHEMA
from nachhaken_tui.core.db.store import Store
from nachhaken_tui.core.models import CallDraft, OfferDraft, Outcome
from nachhaken_tui.core.schedule import cadence as cadence_module
from nachhaken_tui.core.text.i18n import _whole_months, humanize_date


def _offers(store: Store, count: int = 30) -> None:
    rng = random.Random(6)
    for n in range(count):
        store.add_offer(
            OfferDraft(
                client=rng.choice(["Müller Bau GmbH", "Becker Design", "Schulz & Partner"]) + f" {n}",
                title=rng.choice(["Website-Relaunch", "Workshop"]),
                sent_on=TODAY - dt.timedelta(days=rng.randint(0, 60)),
                value_cents=rng.choice([None, 120_000, 480_000]),
                notes=rng.choice([None, "Budget unklar"]),
            )
        )
    for offer_id in range(1, count // 3):  # some closed
        store.archive(offer_id)


def _plan(store: Store, sql: str, params: dict) -> str:
    return " | ".join(row[3] for row in store.conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))


@pytest.mark.parametrize("view", list(View))
@pytest.mark.parametrize("sort", list(Sort))
def test_an_inbox_page_sorts_index_entries_never_whole_rows(store, view, sort):
    """Every view and order finds a page's ids in a covering index (see `InboxReads._ordered_rows`)."""
    _offers(store)
    query = InboxQuery(view, sort=sort)
    where, params = store._where(query, TODAY)
    plan = _plan(
        store, f"SELECT id FROM offers WHERE {where} ORDER BY {store._order(query, TODAY)} LIMIT 60", params
    )
    # Upcoming and Open are in next_due order (offers_inbox); either index covers their other orders
    indexes = {View.CLOSED: ["offers_closed"], View.DUE: ["offers_due"]}.get(
        view, ["offers_inbox", "offers_due"]
    )
    assert any(f"COVERING INDEX {index}" in plan for index in indexes), plan
    if sort is Sort.URGENCY:
        assert "TEMP B-TREE" not in plan  # in index order: the first page is read, not sorted


@pytest.mark.parametrize("view", [View.DUE, View.UPCOMING, View.OPEN])
def test_counting_a_view_reads_only_the_index(store, view):
    _offers(store)
    where, params = store._where(InboxQuery(view), TODAY)
    indexes = ["offers_due"] if view is View.DUE else ["offers_inbox", "offers_due"]
    plan = _plan(store, f"SELECT count(*) FROM offers WHERE {where}", params)
    assert any(f"COVERING INDEX {index}" in plan for index in indexes), plan


def test_the_due_list_is_read_in_order_off_its_index_whatever_the_dates(store):
    """Saturdays and holidays used to need a CASE in the ORDER BY, which sorted every due row."""
    _offers(store)
    for offer_id, day in (
        (20, dt.date(2026, 11, 28)),
        (21, dt.date(2026, 12, 25)),
        (22, dt.date(2026, 12, 26)),
    ):
        store.record_call(offer_id, CallDraft(outcome=Outcome.FOLLOW_UP, next_due=day), today=TODAY)
    plan = _plan(
        store, f"SELECT * FROM offers WHERE {_DUE_WHERE} ORDER BY {DUE_ORDER}", {"today": "2027-01-01"}
    )
    assert "INDEX offers_due" in plan and "TEMP B-TREE" not in plan


@pytest.mark.parametrize("view", list(View))
def test_a_search_of_three_characters_looks_its_rows_up_in_the_trigram_index(store, view):
    _offers(store)
    for search, indexed in (("bec", True), ("Müller", True), ("be", False), ("ü", False)):
        where, params = store._where(InboxQuery(view, search), TODAY)
        plan = _plan(
            store,
            f"SELECT id FROM offers WHERE {where} ORDER BY {store._order(InboxQuery(view), TODAY)}",
            params,
        )
        assert ("offers_search VIRTUAL TABLE" in plan) is indexed, (search, plan)


def test_searching_the_closed_view_reads_the_table_in_order_not_through_its_index(store):
    """Through offers_closed SQLite would fetch every closed row at random places (5× slower)."""
    _offers(store)
    where, params = store._where(InboxQuery(View.CLOSED, "becker"), TODAY)
    plan = _plan(store, f"SELECT id FROM offers WHERE {where} ORDER BY closed_at DESC, id DESC", params)
    assert "offers_closed" not in plan


def test_searched_counts_are_right_and_follow_every_change(store, db_path):
    _offers(store)
    for search in ("", "becker", "BECKER", "zz", "50%", "a_b"):
        for view in View:
            where, params = store._where(InboxQuery(view, search), TODAY)
            expected = store.conn.execute(f"SELECT count(*) FROM offers WHERE {where}", params).fetchone()[0]
            assert store.count(InboxQuery(view, search), TODAY) == expected, (search, view)
    query = InboxQuery(View.OPEN, "becker")
    before = store.count(query, TODAY)
    store.add_offer(OfferDraft(client="Becker Neu", title="X", sent_on=TODAY))
    assert store.count(query, TODAY) == before + 1  # our own write
    other = Store.open(db_path)
    other.add_offer(OfferDraft(client="Becker Anders", title="Y", sent_on=TODAY))
    other.close()
    assert store.count(query, TODAY) == before + 2  # another process's write


def test_the_schema_list_names_every_migration():
    """A file whose record says exactly SCHEMA opens without sqlite-utils (`Store.open`)."""
    from sqlite_utils import Database

    from nachhaken_tui.core.db.migrations import migrations

    assert SCHEMA == tuple(m.name for m in migrations.pending(Database(memory=True)))


def _modules_after(code: str, *, cwd: Path) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
        cwd=cwd,
    )
    return set(result.stdout.split())


def test_reading_the_inbox_of_a_current_database_needs_no_sqlite_utils(store, db_path, tmp_path):
    _offers(store)
    store.close()
    loaded = _modules_after(
        "import datetime as dt\n"
        "from nachhaken_tui.core.db.inbox import InboxQuery\n"
        "from nachhaken_tui.core.db.store import Store\n"
        f"store = Store.open({str(db_path)!r})\n"
        f"today = dt.date.fromisoformat({TODAY.isoformat()!r})\n"
        "store.page(InboxQuery(), today); store.count(InboxQuery(), today); store.count_due(today)\n"
        "store.get_offer(1); store.calls_for(1); store.due_page(today); store.data_version()",
        cwd=tmp_path,
    )
    assert "sqlite_utils" not in loaded


def test_the_first_frame_imports_no_screen_it_does_not_show(tmp_path):
    loaded = _modules_after("import nachhaken_tui.ui.app", cwd=tmp_path)
    assert "textual" in loaded
    for name in (
        "sqlite_utils",
        "pendulum",
        "holidays",
        "nachhaken_tui.ui.screens.stats",
        "nachhaken_tui.ui.screens.offer_form",
        "nachhaken_tui.ui.screens.history",
        "nachhaken_tui.ui.screens.qr",
        "nachhaken_tui.core.db.privacy",
        "nachhaken_tui.commands.import_",
    ):
        assert name not in loaded, name


def test_nachhaken_due_imports_only_its_own_command(store, db_path, tmp_path):
    """No Textual, no sqlite-utils, no other command; and holidays only the first time."""
    _offers(store)
    store.close()
    code = (
        "import sys\n"
        "from nachhaken_tui.cli import main\n"
        f"sys.argv = ['nachhaken', 'due', '--db', {str(db_path)!r}, '--lang', 'en', '--today', '2026-11-26']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass"
    )
    first = _modules_after(code, cwd=tmp_path)
    again = _modules_after(code, cwd=tmp_path)
    assert "nachhaken_tui.commands.due" in again
    for name in ("textual", "sqlite_utils", "nachhaken_tui.commands.add", "nachhaken_tui.commands.import_"):
        assert name not in again, name
    assert "holidays" in first  # computed once …
    assert "holidays" not in again  # … then read from the cache


def test_cached_holidays_are_the_holidays_packages_and_a_foreign_cache_is_ignored():
    import holidays

    cadence_module._public_holidays.cache_clear()
    fresh = cadence_module._public_holidays("DE", "BY", 2027)
    assert fresh == frozenset(holidays.country_holidays("DE", subdiv="BY", years=2027))
    cache = cadence_module._holiday_cache_file("DE", "BY", 2027)
    assert cache.is_relative_to(Path.home()) and cache.exists()
    cadence_module._public_holidays.cache_clear()
    assert cadence_module._public_holidays("DE", "BY", 2027) == fresh  # from the file
    cache.write_text("another holidays version\n2027-02-30\n", encoding="utf-8")
    cadence_module._public_holidays.cache_clear()
    assert cadence_module._public_holidays("DE", "BY", 2027) == fresh  # recomputed


def test_months_are_counted_exactly_as_pendulum_counts_them():
    import pendulum

    start = dt.date(2023, 1, 1)
    for first in range(0, 800, 3):
        for span in range(0, 800, 5):
            a, b = start + dt.timedelta(days=first), start + dt.timedelta(days=first + span)
            expected = (
                pendulum.date(b.year, b.month, b.day) - pendulum.date(a.year, a.month, a.day)
            ).in_months()
            assert _whole_months(a, b) == expected, (a, b)
    assert humanize_date(dt.date(2026, 2, 28), dt.date(2026, 11, 26), "en") == "8 months ago"
    assert humanize_date(dt.date(2026, 10, 1), dt.date(2026, 11, 26), "de") == "vor 8 Wochen"


def test_every_command_is_loaded_by_its_name():
    for name in COMMAND_MODULES:
        command = load_command(name)
        assert isinstance(command, click.Command) and command.name == name
    assert sorted(command.name for command in COMMANDS) == sorted(COMMAND_MODULES)


def test_a_page_fetch_reads_only_its_own_rows(store):
    """The deferred join returns the same rows, in the same order, as the plain query."""
    _offers(store, 90)
    for view in View:
        for sort in Sort:
            query = InboxQuery(view, sort=sort)
            where, params = store._where(query, TODAY)
            order = store._order(query, TODAY)
            plain = [
                row[0]
                for row in store.conn.execute(
                    f"SELECT id FROM offers WHERE {where} ORDER BY {order} LIMIT 20 OFFSET 5", params
                )
            ]
            assert [due.offer.id for due in store.page(query, TODAY, limit=20, offset=5)] == plain


def test_a_database_that_is_not_current_still_gets_the_full_checks(db_path):
    Store.open(db_path).close()
    with sqlite3.connect(db_path) as conn:  # as if written by the version before the last migration
        conn.execute("DROP INDEX offers_closed")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm003_closed_index'")
    store = Store.open(db_path)
    try:
        assert {row[0] for row in store.conn.execute("SELECT name FROM _sqlite_migrations")} == set(SCHEMA)
        assert store.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'offers_closed'").fetchone()
        assert db_path.with_name(f"{db_path.name}.before-migration-m003_closed_index").exists()
    finally:
        store.close()
