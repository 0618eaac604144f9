"""The public read contract: the v1_ views, their descriptions, and Datasette serving them."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import TODAY

from nachhaken_tui.cli import cli
from nachhaken_tui.core.db.read_contract import DESCRIPTIONS, view_columns
from nachhaken_tui.core.models import CallDraft, OfferDraft, Outcome, Reached

RELEASED = {
    "v1_offers": [
        "id",
        "reference",
        "client",
        "contact",
        "salutation",
        "phone",
        "email",
        "title",
        "value_cents",
        "currency",
        "sent_on",
        "first_talk_on",
        "valid_until",
        "status",
        "next_due",
        "due_kind",
        "attempts",
        "loss_reason",
        "notes",
        "created_at",
        "updated_at",
        "closed_at",
    ],
    "v1_calls": [
        "id",
        "offer_id",
        "block_id",
        "started_at",
        "ended_at",
        "reached",
        "outcome",
        "next_due",
        "loss_reason",
        "fear",
        "fear_likelihood",
        "hesitation_before",
        "hesitation_after",
        "fear_came_true",
        "coaching",
        "notes",
    ],
    "v1_answers": ["id", "call_id", "position", "step", "question", "answer"],
    "v1_blocks": ["id", "started_at", "ended_at", "planned_calls", "planned_minutes", "plan", "plan_kept"],
}
"""The released shape of v1. Never edit this: a new shape is a v2_ view (README, "Schema")."""


@pytest.fixture
def filled(store):
    offer_id = store.add_offer(
        OfferDraft(
            client="Müller Bau GmbH",
            title="Website-Relaunch",
            sent_on=dt.date(2026, 11, 3),
            reference="2026-048",
            value_cents=480_050,
        )
    )
    store.record_call(
        offer_id,
        CallDraft(outcome=Outcome.NO_ANSWER, reached=Reached.NO_ANSWER, hesitation_before=4),
        today=TODAY,
    )
    return store


def test_the_views_have_their_released_columns(filled):
    for view, columns in RELEASED.items():
        assert [row[1] for row in filled.conn.execute(f"PRAGMA table_info({view})")] == columns
        assert view_columns(view) == columns
    [offer] = filled.read("SELECT reference, client, value_cents, attempts FROM v1_offers")
    assert offer == {
        "reference": "2026-048",
        "client": "Müller Bau GmbH",
        "value_cents": 480_050,
        "attempts": 1,
    }
    assert filled.read("SELECT outcome, hesitation_before FROM v1_calls") == [
        {"outcome": "no_answer", "hesitation_before": 4}
    ]


def test_the_views_are_read_only(filled):
    with pytest.raises(sqlite3.OperationalError, match="cannot modify v1_offers because it is a view"):
        filled.conn.execute("UPDATE v1_offers SET client = 'x'")


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_view_and_column_is_described(lang):
    for view, columns in RELEASED.items():
        assert DESCRIPTIONS.text(lang, view)
        for column in columns:
            assert DESCRIPTIONS.text(lang, f"{view}.{column}")


async def test_datasette_serves_the_views_with_their_descriptions(filled, db_path: Path, tmp_path: Path):
    from datasette.app import Datasette

    metadata = tmp_path / "metadata.json"
    result = CliRunner().invoke(
        cli, ["datasette-metadata", "--db", str(db_path), "--lang", "de", "--out", str(metadata)]
    )
    assert result.exit_code == 0, result.output
    assert (
        result.stderr
        == f"Metadaten nach {metadata} geschrieben. Öffnen mit: datasette {db_path} -m {metadata}\n"
    )

    datasette = Datasette([str(db_path)], metadata=json.loads(metadata.read_text(encoding="utf-8")))
    await datasette.invoke_startup()
    index = (await datasette.client.get(f"/{db_path.stem}.json")).json()
    assert sorted(view["name"] for view in index["views"]) == sorted(RELEASED)
    assert [table["name"] for table in index["tables"] if not table["hidden"]] == []
    page = await datasette.client.get(f"/{db_path.stem}/v1_offers")
    assert page.status_code == 200
    assert "Ein Angebot je Zeile." in page.text
    assert (
        "<dt>reference</dt><dd>Angebotsnummer, wie du und die Kundschaft sie nennen (2026-048)</dd>"
        in page.text
    )
    rows = (await datasette.client.get(f"/{db_path.stem}/v1_offers.json?_shape=array")).json()
    assert [(row["reference"], row["client"]) for row in rows] == [("2026-048", "Müller Bau GmbH")]


def test_datasette_metadata_refuses_a_path_without_a_database(tmp_path):
    result = CliRunner().invoke(
        cli, ["datasette-metadata", "--db", str(tmp_path / "nope.db"), "--lang", "en"]
    )
    assert result.exit_code == 1
    assert "Traceback" not in result.output and not (tmp_path / "nope.db").exists()


def test_datasette_metadata_never_lands_on_the_database(filled, db_path):
    before = db_path.read_bytes()
    result = CliRunner().invoke(
        cli, ["datasette-metadata", "--db", str(db_path), "--lang", "en", "--out", str(db_path)]
    )
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert str(db_path) in result.output
    assert db_path.read_bytes() == before
