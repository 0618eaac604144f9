"""What a week of use found (issue 18): dialogs and keys, date previews, words and layout."""

from __future__ import annotations

import datetime as dt

import pytest
from ui_helpers import fill, make_app, screen_text, settle

from nachhaken_tui.core.models import Status
from nachhaken_tui.core.script import load_default_script
from nachhaken_tui.core.wording import LOSS_REASONS, loss_reason_choice

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
        text = screen_text(app)
        assert "→ Sa 28. Nov 2026" in text
        assert "ein Samstag; Enter behält ihn, ↓ nimmt Mo 30. Nov" in text
        await pilot.press("down")
        assert "→ Mo 30. Nov 2026" in screen_text(app) and "Samstag;" not in screen_text(app)
        await pilot.press("enter", "enter")
        await settle(pilot)
    assert store.get_offer(MUELLER).next_due == dt.date(2026, 11, 30)


async def test_a_public_holiday_is_named_and_enter_keeps_it(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s", *"25.12.")
        assert "a public holiday; Enter keeps it, ↓ picks Mon 28 Dec" in screen_text(app)
        await pilot.press("enter", "enter")
        await settle(pilot)
    assert store.get_offer(MUELLER).next_due == dt.date(2026, 12, 25)


async def test_the_preview_says_which_reading_of_next_thursday_was_taken(store):
    fill(store)
    app = make_app(store, lang="de", today=dt.date(2026, 11, 30))  # a Monday
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s", *"nächsten", "space", *"Donnerstag")
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
