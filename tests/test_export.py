"""Export: complete, exact, safe to open in a spreadsheet, private on disk."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import sqlite3
import tracemalloc
from pathlib import Path

import pytest
from conftest import TODAY

from nachhaken_tui.core.db.store import Store
from nachhaken_tui.core.exchange.csv_import import import_csv
from nachhaken_tui.core.exchange.export import export_csv, export_json, neutralise
from nachhaken_tui.core.models import Answer, CallDraft, OfferDraft, Outcome, Reached
from nachhaken_tui.core.safe_files import FileRefused, open_output
from nachhaken_tui.core.schedule.cadence import Cadence


def _fill(store: Store) -> tuple[int, int]:
    first = store.add_offer(
        OfferDraft(
            client="Müller Bau",
            title="Website",
            sent_on=dt.date(2026, 11, 3),
            phone="+49 171 1234567",
            value_cents=480_050,
            notes="Chef fragen\nRückruf Di",
        )
    )
    second = store.add_offer(
        OfferDraft(
            client='=HYPERLINK("http://x")',
            title="@SUM(A1)",
            sent_on=dt.date(2026, 11, 4),
            contact="-2+3",
            notes="- Budget klären",
            email="a@b.de",
        )
    )
    store.record_call(
        first,
        CallDraft(
            outcome=Outcome.FOLLOW_UP,
            reached=Reached.YES,
            next_due=dt.date(2026, 12, 1),
            answers=[
                Answer("opening", "Ist das Angebot angekommen?", "ja"),
                Answer("fit", "Passt es?", "=1+1"),
            ],
        ),
        today=TODAY,
    )
    store.record_call(second, CallDraft(outcome=Outcome.NO_ANSWER, reached=Reached.NO_ANSWER), today=TODAY)
    return first, second


def _csv(store: Store, table: str) -> list[dict]:
    out = io.StringIO(newline="")
    export_csv(store, out, table)
    return list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))


def test_json_holds_every_offer_and_every_call_with_its_answers(store):
    first, second = _fill(store)
    out = io.StringIO()
    assert export_json(store, out) == (2, 2)
    data = json.loads(out.getvalue())
    assert set(data) == {"offers", "calls"}
    assert [o["id"] for o in data["offers"]] == [first, second]
    assert data["offers"][0]["value_cents"] == 480_050
    assert data["offers"][0]["notes"] == "Chef fragen\nRückruf Di"
    call = data["calls"][0]
    assert (call["offer_id"], call["outcome"], call["next_due"]) == (first, "follow_up", "2026-12-01")
    assert [(a["step"], a["answer"]) for a in call["answers"]] == [("opening", "ja"), ("fit", "=1+1")]
    assert data["calls"][1]["answers"] == []


def _raw_calls(path: Path, offer: int, calls: int, answers: list[tuple[int, int, str]]) -> None:
    """Calls 1..`calls` of `offer` and `answers` (call, position, text), written in the order given."""
    with sqlite3.connect(path) as conn:
        conn.executemany(
            "INSERT INTO calls (id, offer_id, ended_at, outcome) VALUES (?, ?, '2026-11-20T10:00:00+01:00', 'no_answer')",
            [(call, offer) for call in range(1, calls + 1)],
        )
        conn.executemany(
            "INSERT INTO answers (call_id, position, step, question, answer) VALUES (?, ?, 'step', 'Frage?', ?)",
            answers,
        )
    conn.close()


def test_json_nests_answers_saved_out_of_order_under_their_calls_in_script_order(store, db_path):
    offer = store.add_offer(OfferDraft(client="A", title="T", sent_on=dt.date(2026, 11, 3)))
    _raw_calls(
        db_path, offer, 4, [(3, 2, "c3p2"), (1, 2, "c1p2"), (3, 1, "c3p1"), (1, 1, "c1p1"), (1, 1, "tie")]
    )
    out = io.StringIO()
    assert export_json(store, out) == (1, 4)
    calls = json.loads(out.getvalue())["calls"]
    assert [[a["answer"] for a in call["answers"]] for call in calls] == [
        ["c1p1", "tie", "c1p2"],
        [],
        ["c3p1", "c3p2"],
        [],
    ]


class _Sink(io.StringIO):
    def write(self, text: str) -> int:
        return len(text)


def test_json_streams_answers_instead_of_holding_them(tmp_path):
    """Ten times the answers must not take ten times the memory: they are merged as read, not gathered first."""

    def peak(calls: int) -> int:
        path = tmp_path / f"{calls}.db"
        opened = Store.open(path, Cadence())
        try:
            offer = opened.add_offer(OfferDraft(client="A", title="T", sent_on=dt.date(2026, 11, 3)))
            _raw_calls(
                path, offer, calls, [(c, p, "x" * 200) for c in range(1, calls + 1) for p in (1, 2, 3)]
            )
            tracemalloc.start()
            export_json(opened, _Sink())
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
            opened.close()

    small, large = peak(300), peak(3000)
    assert large < 2 * small


def test_json_of_an_empty_database_is_still_valid(store):
    out = io.StringIO()
    export_json(store, out)
    assert json.loads(out.getvalue()) == {"offers": [], "calls": []}


def test_json_escapes_terminal_control_characters_but_keeps_the_data(store):
    store.add_offer(OfferDraft(client="CSI\x9b31m Ärger\x1b", title="T", sent_on=dt.date(2026, 11, 3)))
    out = io.StringIO()
    export_json(store, out)
    text = out.getvalue()
    assert "\x9b" not in text and "\x1b" not in text and "Ärger" in text
    assert json.loads(text)["offers"][0]["client"] == "CSI\x9b31m Ärger\x1b"


def test_csv_cells_that_look_like_formulas_are_neutralised(store):
    _fill(store)
    offers = _csv(store, "offers")
    assert offers[0]["phone"] == "'+49 171 1234567"
    assert offers[1]["client"] == '\'=HYPERLINK("http://x")'
    assert offers[1]["title"] == "'@SUM(A1)"
    assert offers[1]["contact"] == "'-2+3"
    assert offers[1]["notes"] == "'- Budget klären"
    assert offers[1]["email"] == "a@b.de"
    assert [a["answer"] for a in _csv(store, "answers")] == ["ja", "'=1+1"]
    assert [neutralise(v) for v in (-5, None, "\rx", "\tx", "ok")] == [-5, None, "'\rx", "'\tx", "ok"]


def test_csv_has_every_column_and_a_readable_value(store):
    _fill(store)
    offers = _csv(store, "offers")
    assert list(offers[0])[:8] == [
        "id",
        "client",
        "contact",
        "phone",
        "email",
        "title",
        "value_cents",
        "value",
    ]
    assert (offers[0]["value_cents"], offers[0]["value"], offers[1]["value"]) == ("480050", "4800.50", "")
    calls = _csv(store, "calls")
    assert [c["outcome"] for c in calls] == ["follow_up", "no_answer"]
    assert _csv(store, "answers")[0]["question"] == "Ist das Angebot angekommen?"


def test_csv_value_is_in_the_currencys_main_unit(store):
    for cents, currency in [(5_000, "JPY"), (125, "KWD"), (120_000, "CHF")]:
        store.add_offer(
            OfferDraft(client=currency, title="T", sent_on=TODAY, value_cents=cents, currency=currency)
        )
    assert [(o["currency"], o["value_cents"], o["value"]) for o in _csv(store, "offers")] == [
        ("JPY", "5000", "5000"),  # whole yen
        ("KWD", "125", "0.125"),  # fils
        ("CHF", "120000", "1200.00"),
    ]


def test_csv_of_an_empty_table_still_has_its_header(store):
    assert _csv(store, "calls") == []
    out = io.StringIO()
    export_csv(store, out, "calls")
    assert out.getvalue().startswith("id,offer_id,started_at,ended_at,reached,outcome")


def test_offers_csv_imports_back_into_a_new_database(store, tmp_path):
    _fill(store)
    path = tmp_path / "offers.csv"
    with open_output(path, None) as out:
        export_csv(store, out, "offers")
    fresh = Store.open(tmp_path / "fresh.db", Cadence())
    try:
        report = import_csv(fresh, path)
        assert report.imported == 2
        assert set(report.ignored_columns) >= {"id", "value_cents", "status", "next_due"}
        fields = (
            "client",
            "contact",
            "phone",
            "email",
            "title",
            "value_cents",
            "currency",
            "sent_on",
            "notes",
        )
        original = [{f: row[f] for f in fields} for row in store.iter_rows("offers")]
        copied = [{f: row[f] for f in fields} for row in fresh.iter_rows("offers")]
        assert copied == original
    finally:
        fresh.close()


def test_export_files_are_private_and_replace_the_old_one_only_on_success(store, tmp_path):
    _fill(store)
    path = tmp_path / "export.json"
    path.write_text("old backup")
    os.chmod(path, 0o644)
    with pytest.raises(RuntimeError), open_output(path, None) as out:
        out.write("half")
        raise RuntimeError("interrupted")
    assert path.read_text() == "old backup"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".export")] == []
    with open_output(path, None) as out:
        export_json(store, out)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert len(json.loads(path.read_text())["offers"]) == 2


def test_an_unwritable_target_is_reported(tmp_path):
    with (
        pytest.raises(FileRefused, match="cannot be written"),
        open_output(tmp_path / "missing" / "x.json", None),
    ):
        pass
    folder = tmp_path / "folder.json"
    folder.mkdir()
    with pytest.raises(FileRefused, match="is a folder"), open_output(folder, None) as out:
        out.write("{}")


def test_only_known_tables(store):
    with pytest.raises(ValueError):
        export_csv(store, io.StringIO(), "sqlite_master")


def test_a_bare_file_name_is_written_into_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with open_output(Path("offers.csv"), None) as out:
        out.write("x")
    assert (tmp_path / "offers.csv").read_text() == "x"
