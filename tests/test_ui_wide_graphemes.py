"""Wide grapheme clusters in names and notes never shift the panes.

"👩‍💻" is one cluster, two cells wide for Rich (and so for the layout); a
terminal that draws code points one by one (tmux, xterm) gives it four. If
the two disagree, every such name pushes the rest of its line, pane border
and all, to the right. So every line of the screen must be exactly as wide
as the terminal in both readings, and the border between inbox and card
must stand in the same column on every line. The file keeps the text as typed.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from rich.cells import cell_len
from ui_helpers import make_app, screen_text, settle

from nachhaken_tui.core.models import OfferDraft

CLUSTERS = {
    "zwj": "👩‍💻",
    "family": "👨‍👩‍👧‍👦",
    "flags": "🇩🇪🇫🇷",
    "skin-tone": "👍🏽👋🏿",
    "emoji-presentation": "❤️☎️",
    "keycap": "1️⃣",
    "subdivision-flag": "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
    "combining": "Cafe\u0301 Z\u0308u\u0308rich a\u0323\u0302",
}
BORDER = "▕"
"""The inbox pane's right edge (app.tcss)."""


def codepoint_width(line: str) -> int:
    """How wide a terminal that draws each code point on its own (tmux, xterm) makes `line`."""
    width = 0
    for char in line:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def border_columns(line: str) -> list[int]:
    """Where the border stands in `line`, counted the code-point way."""
    return [codepoint_width(line[:index]) for index, char in enumerate(line) if char == BORDER]


def _offers(store) -> None:
    for number, (kind, cluster) in enumerate(CLUSTERS.items()):
        store.add_offer(
            OfferDraft(
                client=f"{cluster} {kind} {cluster}{cluster}",
                contact=f"Zoë {cluster}",
                title=f"{cluster * 3} Relaunch {cluster}",
                notes=f"{cluster} notes " * 8,
                phone="+49 30 1234567",
                sent_on=dt.date(2026, 11, 2 + number),
            )
        )


def _assert_aligned(app, width: int, where: str) -> None:
    lines = screen_text(app).split("\n")
    for number, line in enumerate(lines):
        assert cell_len(line) == width, (where, number, line)
        assert codepoint_width(line) == width, (where, number, line)
    columns = {column for line in lines for column in border_columns(line)[:1]}
    assert len(columns) == 1, (where, columns)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
async def test_inbox_card_and_script_keep_their_borders_in_line(store, size):
    _offers(store)
    app = make_app(store)
    async with app.run_test(size=size) as pilot:
        for index in range(len(CLUSTERS)):
            _assert_aligned(app, size[0], f"inbox row {index}")
            await pilot.press("down")
        await pilot.press("home", "enter")  # the script names the contact
        await settle(pilot)
        _assert_aligned(app, size[0], "script")
        await pilot.press("1", "enter")
        _assert_aligned(app, size[0], "reframe")
        await pilot.press("escape", "escape", "escape", "h")  # the history screen
        await settle(pilot)
        for line in screen_text(app).split("\n"):
            assert codepoint_width(line) == cell_len(line) == size[0], line


def test_the_file_keeps_the_text_as_typed(store):
    from nachhaken_tui.core.text.cells import cell_stable

    _offers(store)
    stored = [row["client"] for row in store.read("SELECT client FROM offers ORDER BY id")]
    assert stored[0] == "👩‍💻 zwj 👩‍💻👩‍💻"
    assert cell_stable(stored[0]) == "👩💻 zwj 👩💻👩💻"
    assert cell_stable("🇩🇪🇫🇷 Berlin") == "DEFR Berlin"
    assert cell_stable("Cafe\u0301") == "Café"
    assert cell_stable("plain [/] text") == "plain [/] text"
