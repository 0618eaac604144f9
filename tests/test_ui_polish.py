"""What a week of use found (issue 18): dialogs and keys, date previews, words and layout."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import TODAY
from ui_helpers import dialog_text, fill, make_app, notifications, screen_text, settle

from nachhaken_tui.core.models import CallDraft, Outcome, Reached, Status
from nachhaken_tui.core.script.loader import load_default_script
from nachhaken_tui.core.text.wording import LOSS_REASONS, loss_reason_choice

MUELLER = 1


async def test_confirm_dialogs_answer_by_letter_in_the_users_language(store):
    fill(store)
    app = make_app(store, lang="de")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("d")
        assert "Abbrechen (n)" in screen_text(app) and "Archivieren (j)" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        assert store.get_offer(MUELLER).status is Status.OPEN
        await pilot.press("d", "y")  # y is not German for yes: nothing happens
        await settle(pilot)
        assert store.get_offer(MUELLER).status is Status.OPEN
        await pilot.press("j")
        await settle(pilot)
    assert store.get_offer(MUELLER).status is Status.ARCHIVED


async def test_english_confirm_takes_y_and_ignores_a_vi_users_j(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("d", "j")
        await settle(pilot)
        assert "Archive?" in screen_text(app)
        assert store.get_offer(MUELLER).status is Status.OPEN
        await pilot.press("y")
        await settle(pilot)
    assert store.get_offer(MUELLER).status is Status.ARCHIVED


async def test_arrows_move_between_the_buttons_and_the_safe_one_is_the_default(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("d", "enter")  # Enter at once: the safe choice
        await settle(pilot)
        assert store.get_offer(MUELLER).status is Status.OPEN
        await pilot.press("d", "right")
        assert app.focused.id == "yes"
        await pilot.press("left")
        assert app.focused.id == "no"
        await pilot.press("right", "enter")
        await settle(pilot)
    assert store.get_offer(MUELLER).status is Status.ARCHIVED


async def test_snooze_names_the_offer_and_offers_a_business_day_for_a_weekend(store):
    fill(store)
    app = make_app(store, lang="de")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        assert "Müller Bau GmbH · Website-Relaunch" in screen_text(app)
        await pilot.press(*"Samstag")
        await pilot.pause()
        text = screen_text(app)
        assert "→ Sa 28. Nov 2026" in text
        assert "ein Samstag; Enter behält ihn, ↓ nimmt Mo 30. Nov" in text
        await pilot.press("down")
        await pilot.pause()
        assert "→ Mo 30. Nov 2026" in screen_text(app) and "Samstag;" not in screen_text(app)
        await pilot.press("enter", "enter")
        await settle(pilot)
    assert store.get_offer(MUELLER).next_due == dt.date(2026, 11, 30)


async def test_a_public_holiday_is_named_and_enter_keeps_it(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s", *"25.12.")
        await pilot.pause()
        assert "a public holiday; Enter keeps it, ↓ picks Mon 28 Dec" in screen_text(app)
        await pilot.press("enter", "enter")
        await settle(pilot)
    assert store.get_offer(MUELLER).next_due == dt.date(2026, 12, 25)


async def test_the_preview_says_which_reading_of_next_thursday_was_taken(store):
    fill(store)
    app = make_app(store, lang="de", today=dt.date(2026, 11, 30))  # a Monday
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s", *"nächsten", "space", *"Donnerstag")
        await pilot.pause()
        text = screen_text(app)
        assert "→ Do 10. Dez 2026 (Donnerstag nächster Woche; für diese" in text
        assert "Woche tippe „Donnerstag“)" in text


async def test_lost_names_the_offer_and_speaks_the_scripts_words(store):
    fill(store)
    app = make_app(store, lang="de")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("l")
        text = screen_text(app)
        assert "Müller Bau GmbH · Website-Relaunch" in text
        assert "3  Jemand anderes wurde gewählt" in text and "Mitbewerber" not in text


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_script_and_the_lost_dialog_share_one_vocabulary_of_loss_reasons(lang):
    script = load_default_script(lang)
    labels = {
        option.sets["loss_reason"]: option.label
        for step in script.steps.values()
        for option in step.options
        if "loss_reason" in option.sets
    }
    assert labels == {reason: loss_reason_choice(reason, lang) for reason in (*LOSS_REASONS, "other")}


# ------------------------------------------------------------------ layout


def footer(app) -> str:
    return screen_text(app).splitlines()[-1]


async def footer_shown(pilot) -> str:
    """The footer once drawn (Textual rebuilds it, empty for a frame, when the keys change)."""
    for _ in range(50):
        await pilot.pause(0.05)
        if footer(pilot.app).strip():
            break
    return footer(pilot.app)


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_the_footer_always_ends_with_help(store, lang, size):
    fill(store)
    app = make_app(store, lang=lang)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        shown = await footer_shown(pilot)
        assert ("? Hilfe" if lang == "de" else "? Help") in shown
        assert ("⏎ Anrufen" if lang == "de" else "⏎ Call") in shown
        await pilot.press("question_mark")
        assert (
            "Alle Tasten; die Fußzeile zeigt nur, was passt."
            if lang == "de"
            else "Every key; the footer shows only what fits."
        ) in screen_text(app)


async def test_at_120x40_a_due_close_the_loop_email_keeps_its_key_in_the_footer(store):
    fill(store)
    northwind = 2
    for _ in range(3):  # three unanswered attempts: the close-the-loop e-mail is suggested
        store.record_call(
            northwind, CallDraft(outcome=Outcome.NO_ANSWER, reached=Reached.NO_ANSWER), today=TODAY
        )
    store.db.execute("UPDATE offers SET next_due = ? WHERE id = ?", [TODAY.isoformat(), northwind])
    app = make_app(store, lang="de")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.screen.inbox.current.offer_id == MUELLER
        assert "m Abschluss-Mail" not in await footer_shown(pilot)
        await pilot.press("down")  # onto the offer whose e-mail is due: `m` joins the footer
        await settle(pilot)
        assert app.screen.inbox.current.offer_id == northwind
        shown = await footer_shown(pilot)
        assert "m Abschluss-Mail" in shown and "? Hilfe" in shown


async def test_at_120x40_each_rows_reason_is_whole(store):
    fill(store)
    app = make_app(store, lang="de")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        left = "\n".join(line.split("▕")[0] for line in screen_text(app).splitlines())
        assert " 5 Werktage überfällig · erstes Nachfassen \n" in left + "\n" or (
            "5 Werktage überfällig · erstes Nachfassen" in left and "Nachfassen…" not in left
        )
        assert "gesendet vor 10 Tagen" in left


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_big_dial_number_shows_all_three_rows_and_reads_nationally(store, size):
    fill(store)
    store.db.execute("UPDATE offers SET phone = '+49621445566' WHERE id = ?", [MUELLER])
    app = make_app(store, lang="de")
    async with app.run_test(size=size) as pilot:
        await pilot.press("enter", "1", "3", "3")  # fear, guess, hesitation: the dial step
        await settle(pilot)
        digits = app.screen.query_one("#phone")
        assert not digits.has_class("hidden") and digits.region.height == 3
        assert app.screen.script_panel.region.contains_region(digits.region)
        text = screen_text(app)
        assert "☎ 0621 445566" in text and "+49621445566" not in text
        assert "· Anrufen" in text and "Schritt 4/" in text


async def test_a_number_abroad_is_shown_internationally_on_the_card(store):
    fill(store)
    store.db.execute("UPDATE offers SET phone = '+442079460958' WHERE id = ?", [MUELLER])
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "+44 20 7946 0958" in screen_text(app)


async def test_the_stats_screen_end_key_reaches_the_money_at_120x40(store):
    from nachhaken_tui.core.demo import build_demo

    build_demo(store, TODAY)
    app = make_app(store, lang="de")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("t")
        await settle(pilot)
        assert "Heute nachzufassen" not in screen_text(app)
        await pilot.press("end")
        await pilot.pause()
        assert "Geld" in screen_text(app) and "Heute nachzufassen" in screen_text(app)


async def test_notices_stay_clear_of_the_scripts_answers_and_date_preview(store):
    fill(store)
    app = make_app(store, lang="de")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("n")  # Müller: not reached; a notice says so while Northwind's call starts
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        [toast] = app.screen.query("Toast")
        assert "Gespeichert: Müller Bau GmbH" in str(toast.render())
        for part in ("#options", "#entry", "#hint", "#say-box"):
            assert not toast.region.overlaps(app.screen.query_one(part).region), part


# ------------------------------------------------------------------ palette


async def test_the_palette_speaks_german_and_shows_each_commands_key(store):
    fill(store)
    app = make_app(store, lang="de")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"archiv")
        await pilot.pause(0.3)
        assert "Archivieren  d" in screen_text(app)
        await pilot.press(*"xyzq")
        await pilot.pause(0.8)  # Textual waits half a second before saying nothing matched
        text = screen_text(app)
        assert "Keine Treffer" in text and "No matches found" not in text


# ------------------------------------------------------------------ words


async def test_the_summary_labels_answers_by_step_and_shows_dates_as_the_screen_does(store):
    fill(store)
    app = make_app(store, lang="de")
    async with app.run_test(size=(120, 40)) as pilot:
        panel = app.screen.script_panel
        await pilot.press("enter")
        await settle(pilot)
        run = panel.run
        for value in ["none", 3, "yes", "no_questions", "fits", "not_yet"]:
            panel._answer(value)
        await pilot.pause()
        assert run.current.id == "follow_up_date"
        await pilot.press(*"3.12.", "enter")
        await pilot.pause()
        while not run.finished:
            step = run.current
            panel._answer(3 if step.kind.value == "scale" else ("no" if step.id == "fear_check" else ""))
        panel.show_step()
        await pilot.pause()
        text = screen_text(app)
        assert "Entscheidung" in text and "Nächster Anruf" in text and "Do 3. Dez 2026" in text
        assert "2026-12-03" not in text and "Was ist die Antwort?" not in text


async def test_the_history_shows_days_as_the_screen_does_and_names_the_close_the_loop_email(store):
    from nachhaken_tui.core.calls.close_loop import close_loop_call
    from nachhaken_tui.core.models import Answer
    from nachhaken_tui.ui.screens.history import HistoryScreen

    fill(store)
    store.record_call(
        MUELLER,
        CallDraft(
            outcome=Outcome.FOLLOW_UP,
            reached=Reached.YES,
            next_due=dt.date(2026, 12, 3),
            answers=[
                Answer("decision", "Was ist die Antwort?", "Noch nicht"),
                Answer("follow_up_date", "Welchen Tag habt ihr vereinbart?", "2026-12-03"),
            ],
        ),
        today=TODAY,
        ended_at="2026-11-26T10:00:00+01:00",
    )
    offer = store.get_offer(MUELLER)
    store.record_call(
        MUELLER,
        close_loop_call(offer, "de", TODAY, store.cadence.calendar),
        today=TODAY,
        ended_at="2026-11-26T11:00:00+01:00",
    )
    app = make_app(store, lang="de")
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.press("v", "v")  # Open: the snoozed offer is there
        while app.screen.inbox.current.offer_id != MUELLER:
            await pilot.press("down")
        await settle(pilot)
        assert "Letzter Anruf  Do 26. Nov, heute: Abschluss-Mail geschickt" in screen_text(app)
        app.push_screen(HistoryScreen(app.store, MUELLER, app.lang, app.today))
        await pilot.pause()
        text = screen_text(app)
        assert "Entscheidung → Noch nicht" in text and "Nächster Anruf → Do 3. Dez 2026" in text
        assert "2026-12-03" not in text
        assert "Ergebnis        Abschluss-Mail geschickt" in text and "verschoben" not in text


async def test_a_win_is_congratulated(store):
    fill(store)
    app = make_app(store, lang="de")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("w")
        await settle(pilot)
        assert (
            "Glückwunsch zum Auftrag! Gespeichert: Müller Bau GmbH – gewonnen · u macht es rückgängig"
            in notifications(app)
        )
        await pilot.press("n")  # not reached: no congratulation
        await settle(pilot)
        assert notifications(app)[-1].startswith("Gespeichert: Northwind Studio")


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_script_congratulates_after_a_win_and_comforts_otherwise(lang):
    from nachhaken_tui.core.script.run import ScriptRun

    script = load_default_script(lang)
    won = ScriptRun(script, {})
    for value in ["none", 3, "yes", "no_questions", "fits", "yes"]:
        won.answer(value)
    assert won.current.id == "after_won"
    assert ("Glückwunsch" if lang == "de" else "Congratulations") in won.current.say
    lost = ScriptRun(script, {})
    for value in ["none", 3, "yes", "no_questions", "fits", "no", "price"]:
        lost.answer(value)
    assert lost.current.id == "after_hesitation"
    assert ("schwerste Teil" if lang == "de" else "hard part") in lost.current.say


async def test_discarding_a_begun_script_asks_in_plain_german(store):
    fill(store)
    app = make_app(store, lang="de")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", "1", "enter")  # one answer given
        await pilot.pause()
        app.screen.action_next_view()  # leaving the call asks first
        await pilot.pause()
        text = dialog_text(app)
        assert (
            "Du hast den Leitfaden für Müller Bau GmbH angefangen (Antworten bisher: 1). Verwerfen?" in text
        )
        assert "Weiter im Leitfaden (n)" in text and "Verwerfen (j)" in text


async def test_the_block_summary_writes_decimals_with_a_comma_in_german(store):
    from nachhaken_tui.core.calls.blocks import BlockPlan, BlockSummary
    from nachhaken_tui.ui.screens.block import BlockSummaryScreen

    summary = BlockSummary(
        block_id=1,
        plan=BlockPlan(calls=3),
        started_at="2026-11-26T09:00:00+01:00",
        ended_at="2026-11-26T09:21:00+01:00",
        calls=3,
        reached=2,
        won=1,
        dates_agreed=1,
        hesitation_before=2.7,
        hesitation_after=1.8,
        plan_kept=None,
    )
    app = make_app(store, lang="de")
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(BlockSummaryScreen("de", summary))
        await pilot.pause()
        assert "2,7 → 1,8" in screen_text(app) and "2.7" not in screen_text(app)
