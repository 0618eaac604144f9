"""The offer number: found by search, shown on the card, said in the opener, written in the e-mail."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import sqlite3

import pytest
from click.testing import CliRunner
from conftest import TODAY
from ui_helpers import make_app, screen_text, settle

from nachhaken_tui.cli import cli
from nachhaken_tui.core.calls.close_loop import close_loop_message
from nachhaken_tui.core.models import OfferDraft
from nachhaken_tui.core.script.loader import load_default_script
from nachhaken_tui.core.script.placeholders import placeholders_for
from nachhaken_tui.core.script.run import ScriptRun

SENT = dt.date(2026, 11, 16)


@pytest.fixture
def numbered(store):
    store.add_offer(OfferDraft(client="Schulz & Söhne", title="Logo", sent_on=SENT, reference="2026-047"))
    offer_id = store.add_offer(
        OfferDraft(
            client="Müller Bau GmbH",
            title="Website-Relaunch",
            sent_on=SENT,
            reference="2026-048",
            contact="Sabine Müller",
        )
    )
    return store.get_offer(offer_id)


async def test_search_finds_the_offer_number_and_the_card_shows_it(store, numbered):
    app = make_app(store, lang="de")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"2026-048", "enter")
        await settle(pilot)
        text = screen_text(app)
        left = "\n".join(line.split("▕")[0] for line in text.splitlines())
        assert "Müller Bau GmbH" in left and "Schulz" not in left
        assert re.search(r"▕ Angebotsnr\. +2026-048", text)


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("de", "ich rufe wegen meines Angebots 2026-048 ‚Website-Relaunch‘ an, das ich Ihnen"),
        ("en", "I'm calling about my offer 2026-048 ‘Website-Relaunch’, which I sent you"),
    ],
)
def test_the_opener_names_the_offer_by_its_number(numbered, lang, said):
    run = ScriptRun(load_default_script(lang), placeholders_for(numbered, lang, TODAY))
    for value in ["needy", 3, "yes"]:
        run.answer(value)
    assert run.current.id == "opening"
    assert said in run.current.say


def test_without_a_number_the_opener_names_the_title(numbered):
    unnumbered = dataclasses.replace(numbered, reference=None)
    run = ScriptRun(load_default_script("en"), placeholders_for(unnumbered, "en", TODAY))
    for value in ["needy", 3, "yes"]:
        run.answer(value)
    assert "I'm calling about my offer ‘Website-Relaunch’, which I sent you" in run.current.say


@pytest.mark.parametrize(
    ("lang", "subject", "sentence"),
    [
        (
            "de",
            "Ihr Angebot 2026-048 „Website-Relaunch“ – kurze Rückfrage",
            "habe ich Ihnen mein Angebot 2026-048 „Website-Relaunch“ geschickt.",
        ),
        (
            "en",
            "My offer 2026-048 “Website-Relaunch” – a quick question",
            "I sent you my offer 2026-048 “Website-Relaunch”.",
        ),
    ],
)
def test_the_close_the_loop_email_names_the_offer_number(numbered, lang, subject, sentence):
    written_subject, body = close_loop_message(numbered, lang, TODAY)
    assert written_subject == subject
    assert sentence in body


def test_add_takes_the_offer_number(db_path):
    result = CliRunner().invoke(
        cli,
        [
            "add",
            "--client",
            "Müller",
            "--title",
            "Web",
            "--reference",
            " 2026-048 ",
            "--sent",
            "2026-11-20",
            "--db",
            str(db_path),
            "--lang",
            "en",
            "--today",
            TODAY.isoformat(),
        ],
    )
    assert result.exit_code == 0, result.output
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT reference FROM v1_offers").fetchall() == [("2026-048",)]
