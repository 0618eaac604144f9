"""`k`: the offer's number as a QR code, so a phone can dial it from the screen.

The code holds the `tel:` URI (see `core.calls.dial.tel_uri`) and is drawn with
half-block characters: each terminal cell shows two modules stacked, the upper
one in the foreground of "▀", the lower one in the foreground of "▄". A cell is
about twice as tall as it is wide, so each module comes out roughly square.
The colours are set explicitly, dark modules on a light ground with a light
quiet zone around them, so phone cameras read the code whatever the theme.

A `tel:` URI of a real number is at most 20 characters, which fits QR version 2
(25×25 modules) at error correction level M: 33 columns and 17 rows with the
standard four-module quiet zone, well inside an 80×24 terminal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import Click
from textual.screen import ModalScreen
from textual.widgets import Static

from nachhaken_tui.core.calls.dial import tel_uri
from nachhaken_tui.core.text.i18n import Catalog
from nachhaken_tui.core.text.terminal import terminal_safe

__all__ = ["QR_STYLE", "QR_TEXT", "QRScreen", "half_block_lines", "qr_matrix"]

QR_TEXT = Catalog(
    {
        "title": {"de": "Zum Anrufen scannen", "en": "Scan to call"},
        "hint": {
            "de": "Mit der Handy-Kamera scannen · Esc schließt",
            "en": "Scan with your phone's camera · Esc closes",
        },
        "no_number": {
            "de": "Dieses Angebot hat keine wählbare Telefonnummer.",
            "en": "This offer has no number that can be dialled.",
        },
        "no_number_shown": {
            "de": "Eingetragen ist: {phone}",
            "en": "What is stored: {phone}",
        },
        "no_number_hint": {
            "de": "Mit einer Nummer im Angebot erscheint hier der Code. Esc schließt.",
            "en": "Once the offer has a number, its code shows here. Esc closes.",
        },
    }
)

QR_STYLE = Style(color="#000000", bgcolor="#ffffff")
"""Dark modules on a light ground, fixed: themes must not invert or tint the code."""

QUIET_ZONE = 4
"""Light modules around the code, as the QR standard asks; shrunk only when the terminal is too low."""

MIN_QUIET_ZONE = 2
"""Phone cameras still read a code with this much margin."""

_CHROME_ROWS = 5
"""Rows of the dialog besides the code: border (2), title, number, hint."""

_BLOCKS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


def qr_matrix(uri: str) -> list[list[bool]]:
    """The QR code's modules for `uri`, without quiet zone; True = dark.

    segno chooses the smallest version for level M (and raises the level
    when the same version has room for more error correction).
    """
    import segno

    code = segno.make_qr(uri, error="m")
    return [[bool(module) for module in row] for row in code.matrix]


def half_block_lines(matrix: Sequence[Sequence[bool]], quiet_zone: int = QUIET_ZONE) -> list[str]:
    """Draw `matrix` two module rows per text line, with `quiet_zone` light modules around it.

    An odd number of rows gets one light row below, which only widens the
    bottom quiet zone by half a cell.
    """
    width = len(matrix[0]) + 2 * quiet_zone
    light = [False] * width
    rows = [light] * quiet_zone
    rows += [[False] * quiet_zone + list(row) + [False] * quiet_zone for row in matrix]
    rows += [light] * quiet_zone
    if len(rows) % 2:
        rows.append(light)
    return [
        "".join(_BLOCKS[top, bottom] for top, bottom in zip(rows[y], rows[y + 1], strict=True))
        for y in range(0, len(rows), 2)
    ]


class TelLink(Static):
    """The number as a `tel:` link: terminals that support links open it, and so does a click."""

    def __init__(self, phone: str, uri: str, **kwargs: Any) -> None:
        text = Text(terminal_safe(phone), style=Style(bold=True, link=uri))
        super().__init__(text, **kwargs)
        self.uri = uri

    def on_click(self, event: Click) -> None:
        event.stop()
        self.app.open_url(self.uri)


class QRScreen(ModalScreen[None]):
    """A QR code of the `tel:` URI of `phone`, with the number below it; Esc closes.

    Args:
        phone: the number as stored (any format; see `core.calls.dial.tel_uri`).
        lang: "de" or "en".
    """

    BINDINGS = [Binding("escape,q,k", "close", "Close", show=False)]

    def __init__(self, phone: str | None, lang: str) -> None:
        super().__init__()
        self.phone = phone
        self.lang = lang
        self.uri = tel_uri(phone)
        """The URI the code holds; None when there is nothing to dial."""

    def t(self, key: str, **fields: object) -> str:
        return QR_TEXT.text(self.lang, key, **fields)

    def compose(self) -> ComposeResult:
        if self.uri is None:
            with Vertical(classes="dialog qr-missing-dialog"):
                yield Static(Text(self.t("title"), style="bold"), id="qr-title", classes="dialog-title")
                yield Static(Text(self.t("no_number")), id="qr-missing")
                if self.phone and self.phone.strip():
                    yield Static(Text(self.t("no_number_shown", phone=terminal_safe(self.phone))))
                yield Static(self.t("no_number_hint"), classes="dialog-hint")
            return
        with Vertical(classes="dialog qr-dialog"):
            yield Static(Text(self.t("title"), style="bold"), id="qr-title")
            yield Static(self._code(), id="qr")
            yield TelLink(self.phone or "", self.uri, id="qr-number")
            yield Static(self.t("hint"), id="qr-hint", classes="dialog-hint")

    def _code(self) -> Text:
        assert self.uri is not None  # compose shows the code only for a number that has one
        matrix = qr_matrix(self.uri)
        room = self.app.size.height - _CHROME_ROWS
        quiet_zone = QUIET_ZONE
        while quiet_zone > MIN_QUIET_ZONE and (len(matrix) + 2 * quiet_zone + 1) // 2 > room:
            quiet_zone -= 1
        return Text("\n".join(half_block_lines(matrix, quiet_zone)), style=QR_STYLE, no_wrap=True)

    def action_close(self) -> None:
        self.dismiss(None)
