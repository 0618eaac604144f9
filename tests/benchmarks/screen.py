"""What a terminal shows where: the few escape sequences Textual writes, applied to a grid.

A search in the text an app wrote (`pty_session.strip_escapes`) says that
something was written, not where, nor whether it is still visible: a
notice drawn over the card hides the card's lines beneath it, and
Textual does not write what is hidden. `Screen` keeps the characters at
their places: cursor positioning (CSI H), carriage return and line feed,
and erasing the screen (CSI 2J) move or clear; colours, modes and links
are skipped. Enough for Textual's output (which positions every run of
text it writes), not a terminal emulator.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

__all__ = ["Screen"]

_SEQUENCE = re.compile(
    r"\x1b\[([0-?]*)[ -/]*([@-~])"  # CSI: the parameters and the final byte
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC: titles, hyperlinks
    r"|\x1bP[^\x1b]*\x1b\\"  # DCS
    r"|\x1b[()][0-9A-Za-z]"  # charset selection
    r"|\x1b[@-Z\\-_]"  # other two-byte sequences
)


class Screen:
    """A grid of `columns` × `rows` characters, fed the bytes an app writes."""

    def __init__(self, columns: int, rows: int):
        self.columns, self.rows = columns, rows
        self.cells = [[" "] * columns for _ in range(rows)]
        self.row = self.column = 0
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""
        """The start of an escape sequence whose end has not come yet."""

    def feed(self, data: bytes) -> None:
        text = self._pending + self._decoder.decode(data)
        self._pending = ""
        position = 0
        while (escape := text.find("\x1b", position)) >= 0:
            self._write(text[position:escape])
            match = _SEQUENCE.match(text, escape)
            if match is None:  # cut off by the end of this read (or garbage: skip the ESC)
                if len(text) - escape < 64:
                    self._pending = text[escape:]
                    return
                position = escape + 1
                continue
            if match.group(2) in ("H", "f"):
                row, _, column = match.group(1).partition(";")
                self.row = min(int(row or 1), self.rows) - 1
                self.column = min(int(column or 1), self.columns) - 1
            elif match.group(2) == "J" and match.group(1) == "2":
                self.cells = [[" "] * self.columns for _ in range(self.rows)]
            position = match.end()
        self._write(text[position:])

    def _write(self, text: str) -> None:
        for char in text:
            if char == "\r":
                self.column = 0
            elif char == "\n":
                self.row = min(self.row + 1, self.rows - 1)
            elif char >= " " and self.column < self.columns:
                self.cells[self.row][self.column] = char
                self.column += 1
                if unicodedata.east_asian_width(char) in "WF" and self.column < self.columns:
                    self.cells[self.row][self.column] = ""  # the wide character's second cell
                    self.column += 1

    def line(self, row: int) -> str:
        """The text of one row (0 is the top)."""
        return "".join(self.cells[row])

    def find(self, text: str) -> list[tuple[int, int]]:
        """Every (row, column) where `text` starts on the screen (on one row)."""
        return [
            (row, match.start())
            for row in range(self.rows)
            for match in re.finditer(re.escape(text), self.line(row))
        ]
