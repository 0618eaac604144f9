"""The QR screen: a scannable code of the tel: URI that fits 80×24, and the number as a link."""

from __future__ import annotations

import pytest
import segno
from rich.color import Color
from ui_helpers import fill, make_app, screen_text

from nachhaken_tui.core.calls.dial import tel_uri
from nachhaken_tui.ui.screens.qr import QRScreen

DECODE = {" ": (False, False), "▀": (True, False), "▄": (False, True), "█": (True, True)}
"""Each cell back to its (upper, lower) module; True = dark."""


async def open_qr(app, pilot, phone) -> QRScreen:
    screen = QRScreen(phone, app.lang)
    app.push_screen(screen)
    await pilot.pause()
    return screen


def shown_code(app) -> tuple[list[str], list]:
    """The text lines and the strips of the screen where the code is drawn."""
    region = app.screen.query_one("#qr").region
    strips = app.screen._compositor.render_strips()[region.y : region.bottom]
    cropped = [strip.crop(region.x, region.right) for strip in strips]
    return [strip.text for strip in cropped], cropped


def modules_from(lines: list[str]) -> list[list[bool]]:
    """Re-derive the module matrix (quiet zone included) from half-block lines."""
    rows: list[list[bool]] = []
    for line in lines:
        pairs = [DECODE[char] for char in line]
        rows.append([upper for upper, _ in pairs])
        rows.append([lower for _, lower in pairs])
    return rows


def strip_quiet_zone(rows: list[list[bool]]) -> tuple[list[list[bool]], int]:
    """The dark part of `rows` and the narrowest light margin around it."""
    dark_rows = [y for y, row in enumerate(rows) if any(row)]
    dark_cols = [x for x in range(len(rows[0])) if any(row[x] for row in rows)]
    top, bottom, left, right = dark_rows[0], dark_rows[-1], dark_cols[0], dark_cols[-1]
    margin = min(top, len(rows) - 1 - bottom, left, len(rows[0]) - 1 - right)
    return [row[left : right + 1] for row in rows[top : bottom + 1]], margin


@pytest.mark.parametrize(
    "phone", ["+49 171 2345678", "+49 (0)30 / 123 456-78", "0171 2345678", "+1 555 010 4477 999 12"]
)
async def test_the_drawn_code_decodes_to_the_tel_uri_and_fits_80x24(store, phone):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_qr(app, pilot, phone)
        lines, strips = shown_code(app)
        matrix, quiet_zone = strip_quiet_zone(modules_from(lines))
        expected = segno.make_qr(tel_uri(phone), error="m")
        assert expected.version <= 2
        assert matrix == [[bool(module) for module in row] for row in expected.matrix]
        assert quiet_zone >= 4
        # dark on light whatever the theme: every cell of the code in black on white
        for strip in strips:
            for segment in strip:
                assert segment.style.color.get_truecolor() == Color.parse("#000000").get_truecolor()
                assert segment.style.bgcolor.get_truecolor() == Color.parse("#ffffff").get_truecolor()
        # the whole dialog, number and hint included, is on screen
        dialog = app.screen.query_one(".qr-dialog").region
        assert dialog.y >= 0 and dialog.bottom <= 24 and dialog.x >= 0 and dialog.right <= 80
        text = screen_text(app)
        assert phone in text
        assert "Scan with your phone's camera · Esc closes" in text


async def test_the_number_is_a_clickable_tel_link(store, monkeypatch):
    fill(store)
    app = make_app(store)
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **_: opened.append(url))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_qr(app, pilot, "+49 171 2345678")
        number = app.screen.query_one("#qr-number")
        [strip] = app.screen._compositor.render_strips()[number.region.y : number.region.y + 1]
        links = {segment.style.link for segment in strip if segment.text.strip() and segment.style}
        assert "tel:+491712345678" in links
        await pilot.click("#qr-number")
        await pilot.pause()
    assert opened == ["tel:+491712345678"]


@pytest.mark.parametrize(
    ("lang", "phone", "message"),
    [
        ("en", None, "This offer has no number that can be dialled."),
        ("en", "n/a", "What is stored: n/a"),
        ("de", "", "Dieses Angebot hat keine wählbare Telefonnummer."),
    ],
)
async def test_without_a_dialable_number_it_says_so(store, lang, phone, message):
    fill(store)
    app = make_app(store, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_qr(app, pilot, phone)
        assert message in screen_text(app)
        assert not app.screen.query("#qr")


async def test_hostile_number_is_shown_literally(store):
    fill(store)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_qr(app, pilot, "[@click=app.quit]0171 2345 [/]")
        assert "[@click=app.quit]0171 2345 [/]" in screen_text(app)
        await pilot.click("#qr-title")
        assert app.is_running


async def test_german_and_escape_closes(store):
    fill(store)
    app = make_app(store, lang="de")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_qr(app, pilot, "+49 171 2345678")
        assert "Zum Anrufen scannen" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, QRScreen)
        assert app.is_running
