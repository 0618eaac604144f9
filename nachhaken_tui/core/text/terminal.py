"""User text made safe to put on a terminal, and nothing more.

Names, notes and imported cells are shown literally, but a terminal would
obey an ESC sequence, an 8-bit CSI or a bidi override hidden in them (recolour
the screen, move the cursor, reverse text to disguise it). Every place that
shows data (the TUI, `nachhaken due`) passes it through `terminal_safe`:
control characters (C0, DEL, C1) and bidi overrides become "�"; everything
else, markup-like brackets included, stays exactly as typed. Markup is a
separate concern: the TUI puts text into plain `Text`, never markup.
"""

from __future__ import annotations

__all__ = ["terminal_safe"]

_REPLACEMENT = "\ufffd"
_UNSAFE_KEEPING_LINES = {
    **dict.fromkeys(range(0x20), _REPLACEMENT),
    **dict.fromkeys(range(0x7F, 0xA0), _REPLACEMENT),
    **dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)], _REPLACEMENT),
    ord("\t"): "\t",
    ord("\n"): "\n",
    ord("\r"): "\r",
}
_UNSAFE = {**_UNSAFE_KEEPING_LINES, ord("\t"): " ", ord("\n"): " ", ord("\r"): " "}


def terminal_safe(text: str | None, *, keep_lines: bool = False) -> str:
    """`text` with everything that could steer a terminal replaced by "�"; "" for None.

    Args:
        keep_lines: keep tab, CR and LF (notes, multi-line output); otherwise
            they become spaces, so one offer stays one line.
    """
    if not text:
        return ""
    if text.isprintable():
        # Every character replaced is a control or format character, which
        # `isprintable` rejects: a check at C speed instead of a table lookup
        # per character, for the names of 100,000 offers in `nachhaken due`.
        return text
    return text.translate(_UNSAFE_KEEPING_LINES if keep_lines else _UNSAFE)
