"""User text made to take the same room on every terminal, for the TUI's panes.

The TUI lays out its panes by the width Rich measures for each grapheme
cluster ("👩‍💻" is one cluster, two cells). Terminals disagree: many (tmux,
xterm, older VTE) draw each code point of the cluster on its own, "👩‍💻" as
👩 and 💻, four cells. Every such name then pushes the rest of its line, the
pane border included, two cells to the right. `cell_stable` takes the joins
out of emoji sequences, so each cluster that is left is one code point wide
in both readings: zero-width joiners, skin-tone modifiers, variation
selectors, keycap marks and tag characters go; a flag's regional indicators
become its two letters ("🇩🇪" → "DE"); accents are composed (NFC).

Only for the screen: the file keeps every byte as typed, and exports,
e-mails and calendars are not passed through here.
"""

from __future__ import annotations

import unicodedata

__all__ = ["cell_stable"]

_JOINS = dict.fromkeys(
    [
        0x200D,  # zero-width joiner
        0xFE0E,  # text presentation selector
        0xFE0F,  # emoji presentation selector
        0x20E3,  # combining enclosing keycap
        *range(0x1F3FB, 0x1F400),  # skin-tone modifiers
        *range(0xE0020, 0xE0080),  # tag characters (subdivision flags)
    ]
)
_FLAG_LETTERS = {0x1F1E6 + index: chr(ord("A") + index) for index in range(26)}
_TABLE = {**_JOINS, **_FLAG_LETTERS}


def cell_stable(text: str) -> str:
    """`text` with its emoji sequences taken apart, so it is as wide on any terminal as Rich measures it."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", text).translate(_TABLE)
