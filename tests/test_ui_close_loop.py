"""The close-the-loop dialog: copy, open as mailto:, mark as sent, cancel."""

from __future__ import annotations

import dataclasses
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import TODAY
from ui_helpers import fill, make_app, screen_text

from nachhaken_tui.core.calls.close_loop import close_loop_message
from nachhaken_tui.ui.screens.close_loop import CloseLoopDialog

MUELLER = 1


def with_email(store, email: str | None = "sabine@example.com"):
    offer = store.get_offer(MUELLER)
    return dataclasses.replace(offer, email=email, attempts=3, salutation="Frau Müller")


async def open_dialog(app, pilot, offer) -> list:
    """Push the dialog; the returned list receives its result."""
    results: list = []
    app.push_screen(CloseLoopDialog(offer, app.lang, app.today), results.append)
    await pilot.pause()
    return results


async def test_y_copies_the_text_and_s_the_subject(store):
    fill(store)
    offer = with_email(store)
    subject, body = close_loop_message(offer, "en", TODAY)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dialog(app, pilot, offer)
        text = screen_text(app)
        assert "Close the loop" in text and "3 attempts went unanswered." in text
        assert "To: sabine@example.com" in text
        assert f"Subject: {subject}" in text
        assert "Hello Frau Müller," in text
        await pilot.press("y")
        assert app.clipboard == body
        assert "Text copied. Once it is sent: Enter." in screen_text(app)
        await pilot.press("s")
        assert app.clipboard == subject


async def test_o_opens_the_message_as_a_mailto_link(store, monkeypatch):
    fill(store)
    offer = with_email(store)
    subject, body = close_loop_message(offer, "en", TODAY)
    app = make_app(store)
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **_: opened.append(url))
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_dialog(app, pilot, offer)
        await pilot.press("o")
        assert "Opened in your mail program." in screen_text(app)
        assert results == []  # opening is not sending
    [uri] = opened
    parts = urlsplit(uri)
    assert (parts.scheme, parts.path) == ("mailto", "sabine@example.com")
    assert parse_qs(parts.query) == {"subject": [subject], "body": [body.replace("\n", "\r\n")]}


async def test_without_an_email_address_o_is_disabled_and_says_so(store, monkeypatch):
    fill(store)
    offer = with_email(store, None)
    app = make_app(store)
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **_: opened.append(url))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dialog(app, pilot, offer)
        text = screen_text(app)
        assert "To: no e-mail address on file" in text
        assert "(o: no e-mail address)" in text
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, CloseLoopDialog)
    assert opened == []


async def test_enter_marks_it_as_sent(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_dialog(app, pilot, with_email(store))
        await pilot.press("y", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, CloseLoopDialog)
    assert results == ["sent"]


async def test_escape_cancels(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_dialog(app, pilot, with_email(store))
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CloseLoopDialog)
        assert app.is_running
    assert results == [None]
    assert store.db["calls"].count == 0  # the dialog itself never writes


async def test_the_message_scrolls_to_its_end_at_80x24(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dialog(app, pilot, with_email(store))
        assert "Best regards" not in screen_text(app)
        await pilot.press("end")
        await pilot.pause()
        assert "Best regards" in screen_text(app)


async def test_german_dialog(store):
    fill(store)
    app = make_app(store, lang="de")
    async with app.run_test(size=(100, 40)) as pilot:
        await open_dialog(app, pilot, with_email(store))
        text = screen_text(app)
        assert "Den Kreis schließen" in text
        assert "Betreff: Ihr Angebot „Website-Relaunch“ – kurze Rückfrage" in text
        assert "Guten Tag Frau Müller," in text
        assert "Enter als gesendet vermerken · Esc abbrechen" in text
        await pilot.press("y")
        assert "Text kopiert." in screen_text(app)


@pytest.mark.parametrize("hostile", ["[@click=app.quit]x", "[/]", "[bold]b"])
async def test_hostile_names_are_shown_literally(store, hostile):
    fill(store)
    offer = dataclasses.replace(
        with_email(store, f"{hostile}@example.com"), salutation=hostile, title=hostile
    )
    app = make_app(store)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_dialog(app, pilot, offer)
        text = screen_text(app)
        assert f"Hi {hostile}," in text  # not a title: greeted like a first name
        assert f"To: {hostile}@example.com" in text
        await pilot.click("#close-loop-body")
        await pilot.click("#close-loop-head")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, CloseLoopDialog)
