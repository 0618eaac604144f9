"""m008: the stored due rank (the Due view's order from an index) and the trigram search index.

The rank of an open offer must always be the business day its `next_due`
counts as, whoever wrote the row and whatever changed the calendar since:
these tests change it every way there is and compare each rank, and the
Due view's order, with the calendar's own answer (`urgency_key`). Search
must find exactly what a plain "is it in there, ignoring case" finds, for
any text a user types.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import TODAY

from nachhaken_tui.cli import cli
from nachhaken_tui.core.config import Config
from nachhaken_tui.core.db.absences import add_absence, remove_absence
from nachhaken_tui.core.db.inbox import InboxQuery, View
from nachhaken_tui.core.db.store import Store
from nachhaken_tui.core.db.undo import Change, undo
from nachhaken_tui.core.models import CallDraft, OfferDraft, Outcome, Reached
from nachhaken_tui.core.schedule.cadence import Cadence, urgency_key

D = dt.date
MONDAY = D(2026, 11, 30)


def _offer(store: Store, client: str = "Client", *, value: int | None = None, agreed: D | None = None) -> int:
    offer_id = store.add_offer(
        OfferDraft(client=client, title="Website", sent_on=D(2026, 11, 2), value_cents=value)
    )
    if agreed is not None:
        _agree(store, offer_id, agreed)
    return offer_id


def _agree(store: Store, offer_id: int, day: D) -> int:
    """A call that agreed `day` for the next one (an agreed date is kept exactly, a Saturday too)."""
    return store.record_call(
        offer_id,
        CallDraft(outcome=Outcome.FOLLOW_UP, reached=Reached.YES, next_due=day),
        today=D(2026, 11, 3),
    )


def _rank(store: Store, offer_id: int) -> str:
    return store.read("SELECT due_rank FROM offers WHERE id = ?", [offer_id])[0]["due_rank"]


def _assert_every_rank_right(store: Store) -> None:
    calendar = store.cadence.calendar
    rows = store.read("SELECT id, next_due, due_rank FROM offers WHERE status = 'open'")
    wrong = [
        row
        for row in rows
        if row["due_rank"] != calendar.subtract_business_days(D.fromisoformat(row["next_due"]), 0).isoformat()
    ]
    assert not wrong
    assert (
        store.read("SELECT count(*) AS n FROM offers WHERE status != 'open' AND due_rank IS NOT NULL")[0]["n"]
        == 0
    )


def _assert_due_in_urgency_order(store: Store, today: D) -> None:
    """The Due view, its pages and `nachhaken due`'s rows all in the calendar's own urgency order."""
    page = store.due_page(today, limit=10_000)
    assert [item.offer.id for item in page] == [item.offer.id for item in sorted(page, key=urgency_key)]
    columns = ("id", "client", "title", "sent_on", "status", "attempts")
    streamed = [row[0] for rows in store.due_rows(today, columns, chunk=7) for row in rows]
    assert streamed == [item.offer.id for item in page]
    due = store.read("SELECT id FROM offers WHERE status = 'open' AND next_due <= ?", [today.isoformat()])
    assert set(streamed) == {row["id"] for row in due}
    assert store.count_due(today) == len(streamed)


# ------------------------------------------------------------------ the rank


def test_a_saturday_ranks_as_the_friday_before_and_the_order_follows(store):
    poor = _offer(store, "Poor", value=100, agreed=D(2026, 11, 27))  # Friday
    rich = _offer(store, "Rich", value=900_000, agreed=D(2026, 11, 28))  # Saturday: as urgent as Friday
    monday = _offer(store, "Monday", value=999_999, agreed=MONDAY)
    assert _rank(store, rich) == "2026-11-27"
    assert [item.offer.id for item in store.due_page(MONDAY)] == [rich, poor, monday]
    _assert_every_rank_right(store)
    _assert_due_in_urgency_order(store, MONDAY)


def test_public_holidays_and_the_weekend_after_one_rank_as_the_business_day_before(store):
    christmas = _offer(store, "Christmas", agreed=D(2026, 12, 25))  # a Friday
    boxing_day = _offer(store, "Boxing day", agreed=D(2026, 12, 26))  # a Saturday, and a holiday
    sunday = _offer(store, "Sunday", agreed=D(2026, 12, 27))
    for offer_id in (christmas, boxing_day, sunday):
        assert _rank(store, offer_id) == "2026-12-24"
    _assert_due_in_urgency_order(store, D(2026, 12, 28))


def test_time_away_entered_and_removed_reranks_the_days_next_to_it(store):
    saturday = _offer(store, "Saturday", agreed=D(2026, 12, 12))
    assert _rank(store, saturday) == "2026-12-11"
    change = add_absence(store, D(2026, 12, 7), D(2026, 12, 11), "Urlaub", TODAY)
    assert _rank(store, saturday) == "2026-12-04"  # the Friday before it is away too
    _assert_every_rank_right(store)
    remove_absence(store, change.absence.id, TODAY)
    assert _rank(store, saturday) == "2026-12-11"
    _assert_every_rank_right(store)


def test_a_change_of_region_reranks_when_the_store_opens(db_path):
    store = Store.open(db_path, Cadence())
    epiphany = _offer(store, "Epiphany", agreed=D(2027, 1, 6))  # a Wednesday; a holiday in Bavaria only
    assert _rank(store, epiphany) == "2027-01-06"
    store.close()
    bavaria = Store.open(db_path, Cadence(Config(subdivision="BY")))
    assert _rank(bavaria, epiphany) == "2027-01-05"
    _assert_every_rank_right(bavaria)
    bavaria.close()
    again = Store.open(db_path, Cadence())
    assert _rank(again, epiphany) == "2027-01-06"
    again.close()


def test_a_file_another_program_is_writing_opens_with_its_ranks_as_they_are(db_path):
    store = Store.open(db_path, Cadence())
    epiphany = _offer(store, "Epiphany", agreed=D(2027, 1, 6))
    store.close()
    writer = sqlite3.connect(db_path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # holds the write lock: the opening store does not wait for it
    try:
        bavaria = Store.open(db_path, Cadence(Config(subdivision="BY")), create=False)
        # the rank is a day off until the next write, but the Due view has every due offer
        assert _rank(bavaria, epiphany) == "2027-01-06"
        assert [item.offer.id for item in bavaria.due_page(D(2027, 1, 7))] == [epiphany]
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    bavaria.archive(_offer(bavaria, "Any write"))
    assert _rank(bavaria, epiphany) == "2027-01-05"
    bavaria.close()


def test_undo_restores_the_rank_with_the_date(store):
    offer_id = _offer(store, "Undone")
    first = _rank(store, offer_id)
    call_id = _agree(store, offer_id, D(2026, 12, 5))  # a Saturday
    assert _rank(store, offer_id) == "2026-12-04"
    undo(store, Change(offer_id, "Undone", "follow_up", call_id=call_id))
    assert _rank(store, offer_id) == first == store.get_offer(offer_id).next_due.isoformat()
    _assert_every_rank_right(store)


def test_rows_inserted_by_plain_sql_get_their_rank(store, db_path):
    """What an import's executemany (or the sqlite-utils CLI) writes is ranked by the triggers and the store."""
    columns = "client, title, sent_on, status, next_due, due_kind, attempts, created_at, updated_at"
    rows = [
        ("Saturday", "T", "2026-11-02", "open", "2026-11-28", "agreed", 0, "x", "x"),
        ("Holiday", "T", "2026-11-02", "open", "2026-12-25", "agreed", 0, "x", "x"),
        ("Next year", "T", "2026-11-02", "open", "2028-12-25", "agreed", 0, "x", "x"),
        ("Closed", "T", "2026-11-02", "won", None, None, 0, "x", "x"),
    ]
    with store.transaction() as db:
        db.conn.executemany(f"INSERT INTO offers ({columns}) VALUES ({', '.join('?' * 9)})", rows)
    _assert_every_rank_right(store)
    with sqlite3.connect(db_path) as other:  # another program, without the store
        other.execute(
            f"INSERT INTO offers ({columns}) VALUES ({', '.join('?' * 9)})",
            ("Elsewhere", "T", "2026-11-02", "open", "2026-11-29", "agreed", 0, "x", "x"),
        )
    assert store.read("SELECT due_rank FROM offers WHERE client = 'Elsewhere'")[0]["due_rank"] == "2026-11-27"
    _assert_due_in_urgency_order(store, D(2026, 12, 30))


def test_ranks_stay_right_through_random_changes(store):
    rng = random.Random(14)
    ids = [_offer(store, f"C{n}", value=rng.choice([None, 100, 50_000])) for n in range(30)]
    for _ in range(60):
        offer_id = rng.choice(ids)
        action = rng.random()
        if store.get_offer(offer_id).status.value != "open":
            store.reopen(offer_id, D(2026, 12, 1))
        elif action < 0.6:
            _agree(store, offer_id, D(2026, 11, 20) + dt.timedelta(days=rng.randint(0, 60)))
        elif action < 0.8:
            store.archive(offer_id)
        else:
            store.record_call(
                offer_id,
                CallDraft(outcome=Outcome.NO_ANSWER),
                today=D(2026, 11, 20) + dt.timedelta(days=rng.randint(0, 40)),
            )
    _assert_every_rank_right(store)
    for today in (D(2026, 12, 24), D(2026, 12, 26), D(2027, 1, 4), D(2027, 2, 1)):
        _assert_due_in_urgency_order(store, today)


# ------------------------------------------------------------------ an existing file


def _file_at_m007(path: Path) -> None:
    from sqlite_utils import Database

    from nachhaken_tui.core.db.migrations import migrations

    db = Database(path)
    migrations.apply(db, stop_before=["m008_due_rank_search"])
    columns = "client, contact, title, notes, sent_on, status, next_due, due_kind, attempts, value_cents, created_at, updated_at"
    db.conn.executemany(
        f"INSERT INTO offers ({columns}) VALUES ({', '.join('?' * 12)})",
        [
            (
                "Übersetzungsbüro Kästner",
                None,
                "Katalog",
                None,
                "2026-11-02",
                "open",
                "2026-11-28",
                "agreed",
                0,
                100,
                "x",
                "x",
            ),
            (
                "Müller Bau",
                "Sabine",
                "Website",
                "50% Anzahlung",
                "2026-11-02",
                "open",
                "2026-11-27",
                "first",
                0,
                50,
                "x",
                "x",
            ),
            (
                "Christmas",
                None,
                "Shop",
                None,
                "2026-11-02",
                "open",
                "2026-12-25",
                "agreed",
                0,
                None,
                "x",
                "x",
            ),
            ("Closed", None, "Übersetzung", None, "2026-11-02", "lost", None, None, 2, None, "x", "x"),
        ],
    )
    db.conn.commit()
    db.conn.close()


def test_an_existing_file_is_migrated_with_its_ranks_and_search_index(db_path):
    _file_at_m007(db_path)
    store = Store.open(db_path, Cadence())
    try:
        assert store.read("SELECT client, due_rank FROM offers ORDER BY id") == [
            {"client": "Übersetzungsbüro Kästner", "due_rank": "2026-11-27"},
            {"client": "Müller Bau", "due_rank": "2026-11-27"},
            {"client": "Christmas", "due_rank": "2026-12-24"},
            {"client": "Closed", "due_rank": None},
        ]
        _assert_due_in_urgency_order(store, D(2026, 12, 28))
        assert [item.offer.client for item in store.due_page(MONDAY)] == [
            "Übersetzungsbüro Kästner",
            "Müller Bau",
        ]
        assert _found(store, "übersetz", View.CLOSED) == ["Closed"]
        assert _found(store, "MÜLLER") == ["Müller Bau"]
        assert _found(store, "50%") == ["Müller Bau"]
    finally:
        store.close()


# ------------------------------------------------------------------ search


def _found(store: Store, search: str, view: View = View.OPEN) -> list[str]:
    page = store.page(InboxQuery(view, search), TODAY, limit=1000)
    assert store.count(InboxQuery(view, search), TODAY) == len(page)
    return [item.offer.client for item in page]


TEXTS = [
    ("Übersetzungsbüro Kästner", "Website-Relaunch", None),
    ("MÜLLER GMBH", "Logo", "Herr Müller will 50% vorab"),
    ("Müller & Söhne", "Katalog", None),
    ("Straßenbau Weiß", 'Angebot "Premium" *neu*', "a_b AND c"),
    ("Σίσυφος Α.Ε.", "Ιστοσελίδα", None),
    ("Пётр Иванов", "Сайт", "NEAR(x) -y"),
    ("O'Brien Ltd", "Café-Umbau", "100% sicher"),
    ("Zhang 张伟", "网站", None),
]


@pytest.fixture
def texts(store):
    for client, title, notes in TEXTS:
        store.add_offer(OfferDraft(client=client, title=title, notes=notes, sent_on=D(2026, 11, 2)))
    return store


def _folded(text: str) -> str:
    """Python's lower case, except that a final sigma is a sigma ("ΙΣΤΟΣ" finds "Ιστοσελίδα"), as SQLite folds it."""
    return text.lower().replace("ς", "σ")


def _reference(search: str) -> list[str]:
    needle = _folded(search.strip())
    return [
        client
        for client, title, notes in TEXTS
        if any(needle in _folded(text or "") for text in (client, title, notes))
    ]


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("über", ["Übersetzungsbüro Kästner"]),
        ("MÜLLER", ["MÜLLER GMBH", "Müller & Söhne"]),
        ("müller", ["MÜLLER GMBH", "Müller & Söhne"]),
        ("STRASSE", []),  # as before: ß is not ss
        ("straß", ["Straßenbau Weiß"]),
        ("σίσυφος", ["Σίσυφος Α.Ε."]),
        ("ПЁТР", ["Пётр Иванов"]),
        ("张伟", ["Zhang 张伟"]),
        ("ü", ["Übersetzungsbüro Kästner", "MÜLLER GMBH", "Müller & Söhne"]),
        ("Ü", ["Übersetzungsbüro Kästner", "MÜLLER GMBH", "Müller & Söhne"]),
    ],
)
def test_search_ignores_case_in_every_script(texts, search, expected):
    assert _found(texts, search) == expected == _reference(search)


@pytest.mark.parametrize(
    "search",
    [
        '"Premium"',
        '"',
        "*neu*",
        "*",
        "a_b AND c",
        "AND",
        "_",
        "NEAR(x)",
        "NEAR(",
        "-y",
        "-",
        "50%",
        "%",
        "O'Brien",
        "'",
        "% v",
        "\\",
    ],
)
def test_search_finds_what_the_user_typed_literally(texts, search):
    assert _found(texts, search) == _reference(search)


def test_any_piece_of_any_text_finds_exactly_its_offers(texts):
    rng = random.Random(14)
    pieces = [text for row in TEXTS for text in row if text]
    for _ in range(300):
        text = rng.choice(pieces)
        start = rng.randrange(len(text))
        piece = text[start : start + rng.randint(1, 6)]
        piece = "".join(char.upper() if rng.random() < 0.5 else char.lower() for char in piece)
        if piece.strip():
            assert _found(texts, piece) == _reference(piece), piece


def test_search_follows_edits_and_forgets_erased_text(texts):
    offer_id = texts.read("SELECT id FROM offers WHERE client = 'O''Brien Ltd'")[0]["id"]
    offer = texts.get_offer(offer_id)
    texts.update_offer(
        offer_id,
        OfferDraft(client="Kowalski Bau", title=offer.title, sent_on=offer.sent_on, notes="neu"),
        today=TODAY,
    )
    assert _found(texts, "brien") == []
    assert _found(texts, "kowalski") == ["Kowalski Bau"]


def test_forget_leaves_not_even_trigrams_of_the_erased_text_in_the_file(store, db_path):
    from nachhaken_tui.core.db.privacy import forget_offers

    drafts = [
        OfferDraft(client=f"Other {n} Bau", title="Website", sent_on=D(2026, 11, 2)) for n in range(300)
    ]
    drafts.insert(150, OfferDraft(client="Qxzjv Vlorp", title="Wkqpz", sent_on=D(2026, 11, 2)))
    store.add_offers(drafts)  # one transaction: the erased text sits in one segment with the others
    [row] = store.read("SELECT id FROM offers WHERE client = 'Qxzjv Vlorp'")
    store.db.conn.execute("PRAGMA secure_delete = OFF")
    forget_offers(store, [row["id"]])
    data = db_path.read_bytes() + (
        Path(f"{db_path}-wal").read_bytes() if Path(f"{db_path}-wal").exists() else b""
    )
    for trigram in (b"qxz", b"xzj", b"zjv", b"vlo", b"wkq", b"kqp"):
        assert trigram not in data.lower(), trigram
    assert _found(store, "Other 15") != []


# ------------------------------------------------------------------ nachhaken due


def _run(db_path: Path, *args: str) -> str:
    result = CliRunner().invoke(
        cli, ["due", *args, "--db", str(db_path), "--lang", "en", "--today", "2026-12-28"]
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_due_json_is_the_document_json_dumps_writes(store, db_path):
    _offer(store, 'Quote "me" \\ back', value=12_345, agreed=D(2026, 12, 26))
    _offer(store, "Ünïcödé\x1b[31m", agreed=D(2026, 12, 25))
    store.add_offer(
        OfferDraft(client="Valid", title="T", sent_on=D(2026, 12, 1), valid_until=D(2026, 12, 20))
    )
    store.close()
    text = _run(db_path, "--json")
    data = json.loads(text)
    assert text == json.dumps(data, indent=2) + "\n"
    assert [item["client"] for item in data["due"]] == ["Valid", 'Quote "me" \\ back', "Ünïcödé\x1b[31m"]
    assert list(data["due"][0]) == [
        "id",
        "client",
        "contact",
        "phone",
        "email",
        "title",
        "value_cents",
        "currency",
        "sent_on",
        "next_due",
        "attempts",
        "valid_until",
        "reason",
    ]
    assert data["due"][0]["reason"]["cause"] == "expired"


def test_due_json_with_nothing_due(store, db_path):
    store.close()
    text = _run(db_path, "--json")
    assert text == json.dumps({"today": "2026-12-28", "due": [], "next_upcoming": None}, indent=2) + "\n"


def _peak_kib(db_path: Path, tmp_path: Path) -> int:
    code = (
        "import runpy, sys\n"
        f"sys.argv = ['nachhaken', 'due', '--json', '--db', {str(db_path)!r}, '--today', '2026-12-28']\n"
        "try:\n    runpy.run_module('nachhaken_tui', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "peak = [line for line in open('/proc/self/status') if line.startswith('VmHWM')][0]\n"
        "sys.stderr.write(peak.split()[1])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path, env=os.environ
    )
    return int(result.stderr.strip().splitlines()[-1])


def _many_due(path: Path, count: int) -> None:
    store = Store.open(path, Cadence())
    columns = (
        "client, contact, title, notes, sent_on, status, next_due, due_kind, attempts, created_at, updated_at"
    )
    with store.transaction() as db:
        db.conn.executemany(
            f"INSERT INTO offers ({columns}) VALUES ({', '.join('?' * 11)})",
            (
                (
                    f"Client {n} GmbH",
                    "Sabine Beispiel",
                    "Website-Relaunch",
                    "x" * 200,
                    "2026-11-02",
                    "open",
                    (D(2026, 11, 2) + dt.timedelta(days=n % 50)).isoformat(),
                    "first",
                    n % 3,
                    "x",
                    "x",
                )
                for n in range(count)
            ),
        )
    store.close()


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmHWM from /proc")
def test_due_json_memory_does_not_grow_with_the_offers(tmp_path):
    small, large = tmp_path / "small.db", tmp_path / "large.db"
    _many_due(small, 2_000)
    _many_due(large, 40_000)
    _peak_kib(small, tmp_path)  # the first run computes the public holidays (and imports `holidays`)
    grown = _peak_kib(large, tmp_path) - _peak_kib(small, tmp_path)
    # Holding the list (as before) grew by about 5 KB an offer: 190 MB here; a chunk is a few MB.
    assert grown < 15_000, f"peak grew by {grown} KiB"


def _line_as_before(item, today: D, lang: str) -> str:
    """How `nachhaken due` worded a line before it streamed (click.style per part), as the oracle."""
    import click

    from nachhaken_tui.core.text.terminal import terminal_safe
    from nachhaken_tui.core.text.wording import due_cause_text, due_reason, validity_text

    offer = item.offer
    parts = [click.style(terminal_safe(offer.client), bold=True)]
    parts += [terminal_safe(part) for part in (offer.contact, offer.phone, offer.title) if part]
    words = due_reason(item, today, lang)
    if offer.valid_until is not None and due_cause_text(item, today, lang) is None:
        words += f" · {validity_text(offer.valid_until, lang)}"
    reason = click.style(words, fg="red" if item.overdue_days or offer.expired(today) else "yellow")
    return f"{' · '.join(parts)} — {reason}"


@pytest.mark.parametrize("color", [True, False])
@pytest.mark.parametrize("lang", ["de", "en"])
def test_due_lines_are_what_they_were_styled_or_not(store, db_path, color, lang):
    import click

    today = D(2026, 12, 28)
    _offer(store, "Müller\x1b[2J Bau\u202e", value=500, agreed=D(2026, 12, 26))
    _offer(store, "Heute", agreed=today)
    store.add_offer(
        OfferDraft(
            client="Valid",
            contact="Ana",
            phone="+49 30 1",
            title="T\nx",
            sent_on=D(2026, 12, 1),
            valid_until=D(2027, 1, 20),
        )
    )
    store.add_offer(
        OfferDraft(client="Expired", title="T", sent_on=D(2026, 12, 1), valid_until=D(2026, 12, 20))
    )
    add_absence(store, D(2027, 1, 4), D(2027, 1, 8), None, D(2026, 12, 20))
    _agree(store, _offer(store, "Away"), D(2027, 1, 5))
    items = store.due_page(today, limit=100)
    heading = {"de": "Heute fällig (Mo 28. Dez 2026): 4", "en": "Due today (Mon 28 Dec 2026): 4"}[lang]
    assert len(items) == 4
    expected = "\n".join(
        [click.style(heading, bold=True), *(_line_as_before(item, today, lang) for item in items)]
    )
    result = CliRunner().invoke(
        cli, ["due", "--db", str(db_path), "--lang", lang, "--today", today.isoformat()], color=color
    )
    assert result.exit_code == 0, result.output
    assert result.output == (expected if color else click.unstyle(expected)) + "\n"


def test_a_bulk_insert_is_indexed_and_ranked_as_the_triggers_would(store):
    from nachhaken_tui.core.db.bulk import bulk_insert

    for client, title, notes in TEXTS[:3]:
        store.add_offer(OfferDraft(client=client, title=title, notes=notes, sent_on=D(2026, 11, 2)))
    columns = "client, title, notes, sent_on, status, next_due, due_rank, due_kind, attempts, created_at, updated_at"
    rows = [
        (client, title, notes, "2026-11-02", "open", day, rank, "first", 0, "x", "x")
        for (client, title, notes), (day, rank) in zip(
            TEXTS[3:],
            [
                ("2026-11-28", "2026-11-28"),
                ("2026-12-25", "2026-12-25"),
                ("2026-11-27", None),
                ("2026-11-26", "2026-11-26"),
                ("2026-11-27", "2026-11-20"),
            ],
            strict=True,
        )
    ]
    with store.transaction() as db, bulk_insert(db.conn):
        db.conn.executemany(f"INSERT INTO offers ({columns}) VALUES ({', '.join('?' * 11)})", rows)
    _assert_every_rank_right(
        store
    )  # ranks given wrong (a Saturday, a holiday as itself, none, another day) put right
    for search in ("über", "müller", "σίσυφος", "near(", "张伟", "O'Brien"):
        assert _found(store, search) == _reference(search), search
    store.add_offer(OfferDraft(client="Später GmbH", title="T", sent_on=D(2026, 11, 2)))
    assert _found(store, "später") == ["Später GmbH"]  # the triggers are back
    _assert_every_rank_right(store)
    with store.transaction() as db:
        db.conn.execute("UPDATE offers SET next_due = '2026-12-26' WHERE client = 'Später GmbH'")
    _assert_every_rank_right(store)

    with pytest.raises(ValueError), store.transaction() as db, bulk_insert(db.conn):
        db.conn.executemany(f"INSERT INTO offers ({columns}) VALUES ({', '.join('?' * 11)})", rows)
        raise ValueError("a bad row: all or nothing")
    store.add_offer(OfferDraft(client="Danach AG", title="T", sent_on=D(2026, 11, 2)))
    assert _found(store, "danach") == ["Danach AG"]  # the rollback put the trigger back too
