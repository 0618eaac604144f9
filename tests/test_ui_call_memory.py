"""The second, third and tenth call through the real app: memory, corrections, your details.

Each test prepares an offer's past with the store, then walks the app by
keyboard and checks the rows it saved and the text on the screen.
"""

from __future__ import annotations

import datetime as dt

from click.testing import CliRunner
from conftest import TODAY
from ui_helpers import fill, make_app, notifications, screen_text, settle

from nachhaken_tui.cli import cli
from nachhaken_tui.core.config import load_config
from nachhaken_tui.core.models import Answer, CallDraft, OfferDraft, Outcome, Reached
from nachhaken_tui.core.script.loader import load_default_script
from nachhaken_tui.core.stats.figures import compute_stats
from nachhaken_tui.ui.app import NachhakenApp

MUELLER = 1
NONE_1 = ("4", "1")
"""Before the call: no worry, hesitation 1 (a digit picks and goes on); the next step is dialling."""


def right(app) -> str:
    """The card and script side of the screen as one line of words (wrapped lines joined)."""
    lines = [line.split("▕", 1)[1] if "▕" in line else line for line in screen_text(app).splitlines()]
    return " ".join(" ".join(lines).split())


def row(store, offer_id: int) -> dict:
    return next(iter(store.db.query("SELECT * FROM offers WHERE id = ?", [offer_id])))


async def test_the_card_shows_the_last_call_at_a_glance(store):
    fill(store)
    draft = CallDraft(
        outcome=Outcome.FOLLOW_UP,
        reached=Reached.YES,
        next_due=TODAY,
        answers=[
            Answer("questions", "Their questions and your answers", "Is hosting included?"),
            Answer("wrap_up", "Notes", "Boss decides after talking to the tax adviser"),
        ],
    )
    store.record_call(MUELLER, draft, today=dt.date(2026, 11, 23), ended_at="2026-11-23T10:00:00+01:00")
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        text = right(app)
    assert "Mon 23 Nov" in text and "follow-up agreed" in text and "follow-up agreed · for Thu 26 Nov" in text
    assert "Is hosting included?" in text
    assert "Boss decides after talking to the tax" in text


async def test_an_agreed_call_back_opens_with_the_agreement(store):
    fill(store)
    store.record_call(
        MUELLER,
        CallDraft(outcome=Outcome.FOLLOW_UP, reached=Reached.YES, next_due=TODAY),
        today=dt.date(2026, 11, 23),
    )
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", *NONE_1, "1")  # reached
        text = right(app)
        assert "“Hello, we agreed that I would call you today about my offer ‘Website-Relaunch’." in text
        assert "Has it reached you" not in text


async def test_after_unanswered_tries_the_opener_names_the_last_try(store):
    fill(store)
    store.record_call(
        MUELLER,
        CallDraft(outcome=Outcome.NO_ANSWER, reached=Reached.NO_ANSWER),
        today=dt.date(2026, 11, 24),
        ended_at="2026-11-24T10:00:00+01:00",
    )
    app = make_app(store, lang="de")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", *NONE_1, "1")
        text = right(app)
        assert "„Guten Tag, schön, dass ich Sie erreiche: Ich hatte es schon am Di 24. Nov versucht." in text
        assert "Es geht um mein Angebot ‚Website-Relaunch‘" in text


async def test_a_revised_offer_is_a_to_do_until_sent_then_its_call_comes_two_days_later(store, tmp_path):
    fill(store)
    store.record_call(
        MUELLER,
        CallDraft(outcome=Outcome.REVISE, reached=Reached.YES, next_due=dt.date(2026, 11, 30)),
        today=TODAY,
    )
    assert row(store, MUELLER)["revise_by"] == "2026-11-30"
    result = CliRunner().invoke(cli, ["due", "--db", str(store.path), "--today", "2026-11-30"])
    assert "send the revised offer by Mon 30 Nov" in result.output
    app = make_app(store, today=dt.date(2026, 11, 30))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *"Relaunch", "enter")  # Northwind, overdue longer, is on top
        assert "To do: send the revised offer by Mon 30 Nov" in right(app)
        await pilot.press("S")
        await settle(pilot)
        offer = row(store, MUELLER)
        assert (offer["revised_sent_on"], offer["revise_by"]) == ("2026-11-30", None)
        assert offer["next_due"] == "2026-12-02"
        assert "To do" not in screen_text(app)
    app = make_app(store, today=dt.date(2026, 12, 2))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *"Relaunch", "enter")
        await pilot.press("enter", *NONE_1, "1")
        assert "“Hello, I sent you the revised offer ‘Website-Relaunch’ on Mon 30 Nov." in right(app)


async def test_a_new_number_after_wrong_number_is_saved_and_the_old_one_kept_in_the_answers(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", *NONE_1, "4")  # wrong number
        await pilot.press(*"0301234999", "enter", "1", "enter")  # the number, hesitation after 1, save
        await settle(pilot)
    offer = row(store, MUELLER)
    assert (offer["phone"], offer["phone_wrong"]) == ("+49301234999", 0)
    [answer] = store.db.query("SELECT * FROM answers WHERE step = 'wrong_number'")
    assert "+49 171 2345678" in answer["question"] and answer["answer"] == "0301234999"


async def test_a_known_wrong_number_gets_no_retry_and_the_block_leaves_it_out(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", *NONE_1, "4")  # wrong number
        await pilot.press(*"website", "enter", "1", "enter")  # no number found yet; hesitation 1, save
        await settle(pilot)
        offer = row(store, MUELLER)
        assert (offer["phone_wrong"], offer["next_due"]) == (1, TODAY.isoformat())  # a to-do today, no retry
        assert "wrong number: find the right one" in screen_text(app)
        await pilot.press("b", "enter", "enter", "enter")
        await pilot.pause()
        assert "No (working) number, follow up by e-mail: Müller Bau GmbH" in notifications(app)
        assert "Did you reach Emma Clarke?" in screen_text(app) or "calling Emma Clarke" in screen_text(app)


async def test_e_during_the_call_edits_the_offer_and_returns_to_the_same_step(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", *NONE_1)  # on the dial step, two answers given
        await pilot.press("e")
        assert "Phone" in screen_text(app)
        app.screen.query_one("#field-phone").value = "+49 30 7654321"
        await pilot.press("ctrl+s")
        await settle(pilot)
        panel = app.screen.script_panel
        assert panel.run.current.id == "dial" and len(panel.run.history) == 2
        text = right(app)  # the new number, shown as people write it, on the card and the dial step
        assert "Sabine Müller · 030 7654321" in text and "☎ 030 7654321" in text
        assert "171 2345678" not in text
    assert row(store, MUELLER)["phone"] == "+49307654321"


async def test_escape_back_to_a_text_step_shows_what_was_typed(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", *NONE_1, "1", "1")  # reached, questions
        await pilot.press(*"Hosting?", "enter")
        await pilot.press("escape")
        assert app.screen.query_one("#entry").value == "Hosting?"


async def test_a_block_never_opens_an_offer_without_a_phone(store):
    fill(store)
    store.add_offer(OfferDraft(client="Ohne Telefon AG", title="Flyer", sent_on=dt.date(2026, 11, 16)))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("b", "backspace", "3", "enter", "enter", "enter")
        await pilot.pause()
        assert "No (working) number, follow up by e-mail: Ohne Telefon AG" in notifications(app)
        for _ in range(2):
            await pilot.press("escape", "n")
            await settle(pilot)
        text = screen_text(app)
        assert "Block summary" in text and "Follow up by e-mail" in text and "Ohne Telefon AG" in text
    called = {r["offer_id"] for r in store.db.query("SELECT offer_id FROM calls")}
    assert called == {1, 2}


async def test_first_run_asks_for_your_details_once_and_they_fill_the_voicemail(store, tmp_path):
    fill(store)
    config = tmp_path / "config.toml"
    app = NachhakenApp(store, load_default_script("en"), lang="en", today=TODAY, config_path=config)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "Your details" in screen_text(app)
        await pilot.press(*"Anna", "space", *"Weber", "enter", *"0171", "space", *"555", "enter")
        await pilot.press(*"Weber", "space", *"Design", "enter")
        await pilot.pause()
        await pilot.press("enter", *NONE_1, "2")  # voicemail
        text = right(app)
        assert "this is Anna Weber" in text and "call me back at 0171 555" in text
        assert "on Mon 30 Nov" not in text and "on Monday, 30 Nov" in text  # a named day, no <day>
    assert load_config(config).me.name == "Anna Weber"
    again = NachhakenApp(store, load_default_script("en"), lang="en", today=TODAY, config_path=config)
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "Your details" not in screen_text(again)


async def test_skipping_the_first_run_question_is_remembered(store, tmp_path):
    config = tmp_path / "config.toml"
    app = NachhakenApp(store, load_default_script("de"), lang="de", today=TODAY, config_path=config)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Deine Angaben" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
    assert config.read_text(encoding="utf-8").strip() == "[me]"
    assert load_config(config).me.name == ""


async def test_the_salutation_from_the_form_greets_in_the_opener(store):
    fill(store)
    app = make_app(store, lang="de")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e")
        app.screen.query_one("#field-salutation").value = "Frau Müller"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("enter", *NONE_1, "1")
        assert "„Guten Tag Frau Müller, ich rufe wegen meines Angebots ‚Website-Relaunch‘ an" in right(app)
    assert row(store, MUELLER)["salutation"] == "Frau Müller"


def test_no_shipped_script_text_shows_an_unfillable_placeholder():
    for lang in ("de", "en"):
        script = load_default_script(lang)
        for step in script.steps.values():
            for text in (step.say, step.question, *(o.label for o in step.options)):
                assert "<" not in text, (lang, step.id)


def test_offers_overdue_when_imported_count_as_backlog_not_late(store, tmp_path):
    csv = tmp_path / "old.csv"
    csv.write_text("client,title,sent_on,phone\nAlt GmbH,Logo,2026-10-01,+4930123456\n", encoding="utf-8")
    pinned = ["--db", str(store.path), "--today", TODAY.isoformat()]
    result = CliRunner().invoke(cli, ["import", str(csv), *pinned])
    assert result.exit_code == 0, result.output
    [offer] = store.db.query("SELECT id FROM offers")
    store.record_call(offer["id"], CallDraft(outcome=Outcome.NO_ANSWER), today=TODAY)
    follow_up = compute_stats(store, TODAY).follow_up
    assert (follow_up.backlog, follow_up.late) == (1, 0)
    result = CliRunner().invoke(cli, ["stats", *pinned])
    assert "Backlog at import (already overdue when entered): 1" in result.output


def test_import_reads_the_salutation_from_an_anrede_column(store, tmp_path):
    csv = tmp_path / "kunden.csv"
    csv.write_text(
        "Kunde;Anrede;Titel;Gesendet am\nBrenner Design;Frau Brenner;Website;20.11.2026\n", encoding="utf-8"
    )
    result = CliRunner().invoke(
        cli, ["import", str(csv), "--db", str(store.path), "--today", TODAY.isoformat()]
    )
    assert result.exit_code == 0, result.output
    [offer] = store.db.query("SELECT client, salutation FROM offers")
    assert offer == {"client": "Brenner Design", "salutation": "Frau Brenner"}


def test_saving_your_details_keeps_the_rest_of_the_config(tmp_path):
    from nachhaken_tui.core.config import Profile, save_profile

    config = tmp_path / "config.toml"
    config.write_text('# mine\ncountry = "AT"\n\n[me]\nname = "Old"\n', encoding="utf-8")
    save_profile(config, Profile(name='Anna "Ann" Weber', phone="0171 5550000"))
    assert config.read_text(encoding="utf-8").startswith('# mine\ncountry = "AT"\n')
    loaded = load_config(config)
    assert (loaded.country, loaded.me.name, loaded.me.phone, loaded.me.signature) == (
        "AT",
        'Anna "Ann" Weber',
        "0171 5550000",
        "",
    )


async def test_a_call_back_agreed_for_a_day_gone_by_names_that_day(store):
    fill(store)
    store.record_call(
        MUELLER,
        CallDraft(outcome=Outcome.FOLLOW_UP, reached=Reached.YES, next_due=dt.date(2026, 11, 24)),
        today=dt.date(2026, 11, 23),
    )
    app = make_app(store, lang="de")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", *NONE_1, "1")
        assert (
            "„Guten Tag, wir hatten ja vereinbart, dass ich Sie am Di 24. Nov wegen meines Angebots"
            in right(app)
        )
