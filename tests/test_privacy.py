"""Backup and forget: a consistent copy while someone writes; no byte left of a forgotten client."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import TODAY

from nachhaken_tui.cli import cli
from nachhaken_tui.core.db.privacy import (
    ForgetError,
    backup_database,
    default_backup_path,
    forget_offers,
    offers_of_client,
)
from nachhaken_tui.core.db.store import Store
from nachhaken_tui.core.models import Answer, CallDraft, OfferDraft, Outcome, Reached
from nachhaken_tui.core.safe_files import FileRefused

D = dt.date
CLIENT = "Müller Bau GmbH"
PHONE = "+49 30 23125 014"
EMAIL = "s.mueller@mueller-bau.example"


def _run(db_path: Path, *args: str, lang: str = "en"):
    return CliRunner().invoke(
        cli, [*args, "--db", str(db_path), "--lang", lang, "--today", TODAY.isoformat()]
    )


def _file_bytes(db_path: Path) -> bytes:
    """The database file and its log, as they lie on disk."""
    wal = db_path.with_name(db_path.name + "-wal")
    return db_path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


@pytest.fixture
def clients(store):
    """Müller Bau with two offers (calls and script answers naming her), and a client to keep."""
    for title in ("Website-Relaunch", "Logo"):
        offer_id = store.add_offer(
            OfferDraft(
                client=CLIENT,
                title=title,
                sent_on=D(2026, 11, 16),
                contact="Sabine Müller",
                phone=PHONE,
                email=EMAIL,
                notes="Sabine wants it before spring",
            )
        )
        draft = CallDraft(
            outcome=Outcome.FOLLOW_UP,
            reached=Reached.YES,
            next_due=D(2026, 12, 1),
            notes="Sabine Müller asked for references",
        )
        draft.answers.append(Answer("opening", "Did Sabine Müller get the offer?", f"yes, call {PHONE}"))
        store.record_call(offer_id, draft, today=TODAY)
    store.add_offer(
        OfferDraft(
            client="Northwind Studio", title="Workshop", sent_on=D(2026, 11, 20), phone="+44 20 7946 0958"
        )
    )
    return store


# ------------------------------------------------------------------ forget


def test_forget_leaves_no_byte_of_the_client_in_the_file_or_its_log(clients, db_path):
    # Debian's SQLite zeroes deleted content by default; others (macOS, most
    # builds) do not, and then only the rebuild removes it. Test the latter.
    clients.db.conn.execute("PRAGMA secure_delete = OFF")
    before = _file_bytes(db_path)
    assert CLIENT.encode() in before and PHONE.encode() in before
    report = forget_offers(clients, [offer.id for offer in offers_of_client(clients, CLIENT)])
    assert report.compacted
    assert (len(report.offers), report.calls, report.answers) == (2, 2, 2)
    after = _file_bytes(db_path)
    for trace in (CLIENT, PHONE, EMAIL, "Sabine", "references"):
        assert trace.encode() not in after, trace
    assert b"Northwind Studio" in after
    assert [row["client"] for row in clients.iter_rows("offers")] == ["Northwind Studio"]
    assert clients.db.execute("SELECT count(*) FROM calls").fetchone()[0] == 0
    assert clients.db.execute("SELECT count(*) FROM answers").fetchone()[0] == 0
    assert clients.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_forget_names_other_offers_that_still_mention_the_person(clients):
    kept = clients.add_offer(
        OfferDraft(client="Bau AG", title="Intro", sent_on=TODAY, notes=f"Recommended by {CLIENT}")
    )
    report = forget_offers(clients, [1, 2])
    assert report.still_mentioned == [kept]


def test_forget_names_earlier_backups_beside_the_database(clients, db_path):
    earlier = backup_database(clients).path
    report = forget_offers(clients, [1])
    assert report.backups == [earlier]


def test_forget_says_when_a_reader_keeps_the_log_from_being_emptied(clients, db_path):
    reader = sqlite3.connect(db_path)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM offers").fetchone()
    clients.db.conn.execute("PRAGMA busy_timeout = 50")
    try:
        report = forget_offers(clients, [1, 2])
    finally:
        reader.rollback()
        reader.close()
    assert not report.compacted
    assert forget_offers(clients, []).compacted  # once the reader is gone, trying again finishes it
    assert CLIENT.encode() not in _file_bytes(db_path)


def test_a_client_name_matches_only_exactly_but_case_and_spacing_do_not_count(clients):
    assert [offer.id for offer in offers_of_client(clients, "  müller bau   gmbh ")] == [1, 2]
    with pytest.raises(ForgetError) as raised:
        offers_of_client(clients, "Müller")
    assert raised.value.message("en") == (
        "No offer has exactly the client 'Müller'; did you mean 'Müller Bau GmbH'? Nothing was deleted."
    )


def test_cli_forget_dry_run_lists_and_changes_nothing(clients, db_path):
    result = _run(db_path, "forget", "--client", CLIENT, "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Would erase 2 offers, with 2 calls and 2 answers:\n"
        "  #1 Müller Bau GmbH · Website-Relaunch · sent Mon 16 Nov 2026 · open · 1 call\n"
        "  #2 Müller Bau GmbH · Logo · sent Mon 16 Nov 2026 · open · 1 call\n"
        "Nothing was erased (--dry-run).\n"
    )
    assert clients.count_offers() == 3


def test_cli_forget_erases_and_says_what(clients, db_path):
    result = _run(db_path, "forget", "--offer", "2", lang="de")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Gelöscht: 1 Angebot, mit 1 Anruf und 1 Antwort:",
        "  #2 Müller Bau GmbH · Logo · gesendet Mo 16. Nov 2026 · offen · 1 Anruf",
        "Die Datei wurde neu aufgebaut: Kein Byte davon ist mehr in ihr oder ihrem Protokoll.",
        "Diese Angebote nennen noch denselben Namen, dieselbe Nummer oder E-Mail: #1",
    ]
    assert [offer["id"] for offer in clients.iter_rows("offers")] == [1, 3]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "Please give exactly one of --client NAME, --offer ID or --finish.\n"),
        (
            ["--client", "X", "--offer", "1"],
            "Please give exactly one of --client NAME, --offer ID or --finish.\n",
        ),
        (["--offer", "1", "--finish"], "Please give exactly one of --client NAME, --offer ID or --finish.\n"),
        (["--offer", "9"], "There is no offer with id 9; nothing was deleted.\n"),
        (["--client", "Nobody"], "No offer has the client 'Nobody'; nothing was deleted.\n"),
    ],
)
def test_cli_forget_refuses_unclear_requests_in_one_line(clients, db_path, args, message):
    result = _run(db_path, "forget", *args)
    assert (result.exit_code, result.stderr) == (1, message)
    assert clients.count_offers() == 3


# ------------------------------------------------------------------ backup


def _writer(db_path: Path, stop: threading.Event, written: list[int]) -> None:
    """Another process, as far as SQLite can tell: its own connection, an offer and its call per transaction."""
    conn = sqlite3.connect(db_path, timeout=10, isolation_level=None)
    try:
        while not stop.is_set():
            conn.execute("BEGIN IMMEDIATE")
            offer_id = conn.execute(
                "INSERT INTO offers (client, title, sent_on, created_at, updated_at, notes) "
                "VALUES ('Writer', 'T', '2026-11-26', 'x', 'x', ?)",
                ["n" * 500],
            ).lastrowid
            conn.execute(
                "INSERT INTO calls (offer_id, ended_at, outcome) VALUES (?, 'x', 'no_answer')", [offer_id]
            )
            conn.execute("COMMIT")
            written.append(offer_id)
    finally:
        conn.close()


def test_backup_while_another_connection_writes_is_consistent_and_restores(store, db_path, tmp_path):
    store.add_offers(
        OfferDraft(client=f"Client {n}", title="T", sent_on=TODAY, notes="x" * 400) for n in range(3000)
    )
    stop, written = threading.Event(), []
    thread = threading.Thread(target=_writer, args=(db_path, stop, written))
    thread.start()
    try:
        while len(written) < 20:
            time.sleep(0.005)
        report = backup_database(store, tmp_path / "copy.db")
        after_backup = len(written)
        while len(written) < after_backup + 20:
            time.sleep(0.005)
    finally:
        stop.set()
        thread.join()
    assert 3020 <= report.offers < 3000 + len(written)  # taken while the writer was going on
    restored = Store.open(report.path)
    try:
        assert restored.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        last = restored.db.execute("SELECT max(id) FROM offers").fetchone()[0]
        # one consistent moment: every offer the writer had committed by then, each with its call
        assert list(restored.iter_rows("offers")) == [
            row for row in store.iter_rows("offers") if row["id"] <= last
        ]
        assert restored.db.execute("SELECT count(*) FROM calls").fetchone()[0] == last - 3000
    finally:
        restored.close()
    assert stat.S_IMODE(report.path.stat().st_mode) == 0o600
    assert not Path(f"{report.path}-wal").exists()
    assert not list(tmp_path.glob(".copy.db.*"))  # no temporary file left behind


def test_default_backup_goes_beside_the_database_with_a_timestamp(db_path):
    moment = dt.datetime(2026, 11, 26, 14, 3, 9)
    assert default_backup_path(db_path, moment) == db_path.with_name("nachhaken-backup-20261126-140309.db")


def test_backup_refuses_to_overwrite_the_database_itself(store, db_path):
    with pytest.raises(FileRefused, match="is the database"):
        backup_database(store, db_path)
    assert store.count_offers() == 0


def test_cli_backup_says_where_it_went(clients, db_path):
    result = _run(db_path, "backup")
    assert result.exit_code == 0, result.output
    [target] = db_path.parent.glob("nachhaken-backup-*.db")
    assert result.stdout == f"Backed up to {target} (offers: 3, calls: 2)\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_cli_backup_to_an_unwritable_place_is_one_line(store, db_path, tmp_path):
    result = _run(db_path, "backup", "--out", str(tmp_path / "missing" / "b.db"))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{tmp_path / 'missing' / 'b.db'} cannot be written:")
    assert result.stderr.count("\n") == 1


def _forget_on_a_terminal(db_path: Path, answer: str, *args: str, lang: str = "en") -> str:
    """`nachhaken forget` run by a person at a real terminal (a pty), who types `answer`."""
    from tests.benchmarks.pty_session import PtySession

    argv = [
        sys.executable,
        "-m",
        "nachhaken_tui",
        "forget",
        *args,
        "--db",
        str(db_path),
        "--lang",
        lang,
        "--today",
        TODAY.isoformat(),
    ]
    session = PtySession(argv, {**os.environ, "NO_COLOR": "1"}, size=(120, 30))
    try:
        session.wait_for("[y/N]" if lang == "en" else "[j/N]", timeout=30)
        session.send(answer + "\r")
        try:
            session.settle(quiet=10, timeout=30)  # until the command ends and closes the terminal
        except EOFError:
            pass
    finally:
        session.close(quit_keys="")
    return session.text()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a pty")
def test_forget_on_a_terminal_asks_first_and_no_is_the_default(clients, db_path):
    screen = _forget_on_a_terminal(db_path, "", "--client", CLIENT)
    assert "Would erase 2 offers, with 2 calls and 2 answers:" in screen
    assert "Really erase everything about Müller Bau GmbH? [y/N]" in screen
    assert "Nothing was erased." in screen
    assert clients.count_offers() == 3


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a pty")
def test_forget_on_a_terminal_erases_after_a_german_ja(clients, db_path):
    screen = _forget_on_a_terminal(db_path, "j", "--offer", "2", lang="de")
    assert "Wirklich alles über Müller Bau GmbH löschen? [j/N]" in screen
    assert "Gelöscht: 1 Angebot, mit 1 Anruf und 1 Antwort:" in screen
    assert [offer["id"] for offer in clients.iter_rows("offers")] == [1, 3]


def test_forget_yes_skips_the_question_for_scripts(clients, db_path, monkeypatch):
    from nachhaken_tui.commands import forget as forget_command

    monkeypatch.setattr(forget_command, "_interactive", lambda: True)  # as if at a terminal
    result = _run(db_path, "forget", "--offer", "2", "--yes")
    assert result.exit_code == 0, result.output
    assert "Really" not in result.stdout and result.stdout.startswith("Erased 1 offer")
    assert [offer["id"] for offer in clients.iter_rows("offers")] == [1, 3]


def test_backup_counts_calls_as_stats_does_and_names_snoozes_apart(clients, db_path):
    clients.record_call(
        3, CallDraft(outcome=Outcome.SNOOZED, next_due=TODAY + dt.timedelta(days=7)), today=TODAY
    )
    backup = _run(db_path, "backup", lang="de")
    stats = _run(db_path, "stats", "--json")
    assert backup.exit_code == 0, backup.output
    calls = __import__("json").loads(stats.stdout)["calls"]
    assert calls == 2
    assert backup.stdout.endswith("(Angebote: 3, Anrufe: 2, dazu Verschiebungen: 1)\n")


# ------------------------------------------------------------------ forget at scale (issue 14)


def test_forget_leaves_no_word_of_the_client_in_a_full_text_search_index(clients, db_path):
    # An FTS5 index keeps a deleted row's words in older segments until they are merged.
    clients.db.conn.execute("PRAGMA secure_delete = OFF")
    clients.db.executescript(
        """
        CREATE VIRTUAL TABLE offers_words USING fts5(client, notes, content='offers', content_rowid='id');
        INSERT INTO offers_words (offers_words) VALUES ('rebuild');
        CREATE TRIGGER offers_words_gone AFTER DELETE ON offers BEGIN
            INSERT INTO offers_words (offers_words, rowid, client, notes)
            VALUES ('delete', old.id, old.client, old.notes);
        END;
        """
    )
    clients.db.conn.commit()
    assert b"spring" in _file_bytes(db_path)  # the index has the notes' words, lower case
    forget_offers(clients, [offer.id for offer in offers_of_client(clients, CLIENT)])
    after = _file_bytes(db_path)
    for word in (b"spring", b"sabine", b"wants"):
        assert word not in after, word
    found = clients.db.execute(
        "SELECT rowid FROM offers_words WHERE offers_words MATCH 'northwind'"
    ).fetchall()
    assert found == [(3,)]


def _many_offers(store, count: int) -> list[int]:
    """`count` offers of one client, each with a phone, an e-mail, a call and answers of its own."""
    ids = []
    for n in range(count):
        offer_id = store.add_offer(
            OfferDraft(
                client="Hundert Kunde GmbH",
                title=f"Angebot {n}",
                sent_on=D(2026, 11, 2),
                contact=f"Kontakt Nummer{n:03d}",
                phone=f"+49 30 555 {n:04d}",
                email=f"k{n}@hundert.example",
            )
        )
        draft = CallDraft(
            outcome=Outcome.NO_ANSWER, reached=Reached.NO_ANSWER, notes=f"Nummer{n:03d} ruft zurück"
        )
        draft.answers.append(Answer("opening", f"Erreicht: k{n}@hundert.example?", "nein"))
        store.record_call(offer_id, draft, today=TODAY)
        ids.append(offer_id)
    return ids


def test_forget_of_a_client_with_many_offers_erases_all_and_names_every_other_mention(clients, db_path):
    clients.db.conn.execute("PRAGMA secure_delete = OFF")
    ids = _many_offers(clients, 60)
    kept = clients.add_offer(
        OfferDraft(
            client="Nachbar AG", title="Intro", sent_on=TODAY, notes="Empfohlen von K7@HUNDERT.example"
        )
    )
    mentioned_in_call = clients.add_offer(OfferDraft(client="Dritte KG", title="X", sent_on=TODAY))
    clients.record_call(
        mentioned_in_call,
        CallDraft(
            outcome=Outcome.NO_ANSWER, reached=Reached.NO_ANSWER, notes="erreichbar unter +49 30 555 0042"
        ),
        today=TODAY,
    )
    report = forget_offers(clients, [offer.id for offer in offers_of_client(clients, "hundert kunde gmbh")])
    assert [offer.id for offer in report.offers] == ids
    assert (report.calls, report.answers) == (60, 60)
    assert report.still_mentioned == [kept, mentioned_in_call]  # e-mail in other case; phone in a call
    after = _file_bytes(db_path)
    for trace in (b"Hundert Kunde", b"Nummer0", b"555 0001", b"555 0059", b"@hundert.example"):
        assert trace not in after, trace
    assert clients.db.execute("SELECT count(*) FROM offers").fetchone()[0] == 5


def test_forget_reads_each_table_once_for_all_traces(clients):
    _many_offers(clients, 30)
    statements: list[str] = []
    clients.db.conn.set_trace_callback(statements.append)
    try:
        forget_offers(clients, [offer.id for offer in offers_of_client(clients, "Hundert Kunde GmbH")])
    finally:
        clients.db.conn.set_trace_callback(None)
    scans = [sql for sql in statements if "char(0)" in sql]  # the search for traces left
    assert len(scans) == 3  # offers, calls, answers: once each, not once per name, phone and e-mail
    assert not [sql for sql in statements if "ESCAPE" in sql]  # no LIKE search per trace


def test_forget_finds_mentions_in_a_table_added_later(clients):
    # A table the forget code has never heard of, leading to offers by a foreign key, is searched too.
    clients.db.executescript(
        """
        CREATE TABLE reminders (id INTEGER PRIMARY KEY, call_id INTEGER REFERENCES calls(id), note TEXT) STRICT;
        """
    )
    other = clients.add_offer(OfferDraft(client="Andere GmbH", title="Y", sent_on=TODAY))
    call_id = clients.record_call(
        other, CallDraft(outcome=Outcome.NO_ANSWER, reached=Reached.NO_ANSWER), today=TODAY
    )
    clients.db.execute("INSERT INTO reminders (call_id, note) VALUES (?, ?)", [call_id, f"wie bei {PHONE}"])
    clients.db.conn.commit()
    report = forget_offers(clients, [1, 2])
    assert report.still_mentioned == [other]


def test_a_backup_copy_missing_pages_is_found_unsound(store, tmp_path):
    from nachhaken_tui.core.db.privacy import _unsound

    copy_path = tmp_path / "copy.db"
    report = backup_database(store, copy_path)
    copy = sqlite3.connect(copy_path)
    try:
        assert _unsound(copy, copy_path) is None
        assert copy.execute("SELECT count(*) FROM offers").fetchone() == (report.offers,)
        page_size = copy.execute("PRAGMA page_size").fetchone()[0]
        with open(copy_path, "r+b") as handle:  # a copy cut short: its last page lost
            handle.truncate(copy_path.stat().st_size - page_size)
        try:
            reason = _unsound(copy, copy_path)
        except sqlite3.DatabaseError as exc:  # backup_database reports this as damaged too
            reason = f"{exc} ({exc.sqlite_errorcode})"
        assert reason in ("database disk image is malformed (11)",) or "bytes, not" in reason, reason
    finally:
        copy.close()


def test_backup_of_many_offers_has_the_same_rows(clients, tmp_path):
    _many_offers(clients, 40)
    target = tmp_path / "copy.db"
    report = backup_database(clients, target)
    copy = sqlite3.connect(target)
    try:
        for table in ("offers", "calls", "answers", "contacts"):
            query = f"SELECT * FROM {table} ORDER BY id"
            assert copy.execute(query).fetchall() == clients.db.execute(query).fetchall(), table
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    finally:
        copy.close()
    assert (report.offers, report.calls) == (43, 42)
