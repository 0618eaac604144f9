"""Amounts as people type or import them, made exact: whole cents, never float.

Its own module so an amount reads the same wherever it is typed or imported;
`offer_check` uses it for an offer's `value`.

Amount rules (`parse_amount`):

- Money is exact: `Decimal`, never float; the result is whole cents.
- A currency may stand before or after the number: `€`, `$`, `£`, an
  ISO 4217 code (any case), or the word Euro (`EUR 300`, `4.800,50 €`). `4.800,-`
  is a whole amount (and makes `,` the decimal mark).
- Negative amounts are refused (an offer has no negative value), as are more
  than two non-zero decimals and amounts over 10 billion.
- With both `.` and `,` in a number, the last one is the decimal mark
  (`4.800,50`, `1,250.00`). Apostrophes and spaces only group thousands
  (`CHF 1'200.00`, `4 800,50`).
- A single `.` or `,` followed by one, two or four and more digits is the
  decimal mark (`4800,5`, `4800.50`). Followed by exactly three digits
  (`1.250`) it is ambiguous: `decimal_comma=True` reads `.` as thousands and
  `,` as decimal (German files), `False` the other way round, and `None`
  (unknown) reads it as thousands, since money rarely has three decimals.
"""

from __future__ import annotations

import re
from decimal import Decimal

from nachhaken_tui.core.input.fields import ParseError, quote
from nachhaken_tui.core.text.currencies import ISO_CURRENCIES

__all__ = [
    "MAX_CENTS",
    "parse_amount",
]

MAX_CENTS = 10**12
"""10 billion in whole units: anything larger is a typo, not an offer."""

_SYMBOLS = {"€": "EUR", "$": "USD", "£": "GBP", "euro": "EUR"}
"""Currency signs and words (casefolded) that stand for a code."""
_CURRENCY = r"[€$£]|[Ee][Uu][Rr][Oo]|[A-Za-z]{3}"
_LEADING_CURRENCY = re.compile(rf"^({_CURRENCY})\s*")
_TRAILING_CURRENCY = re.compile(rf"\s*({_CURRENCY})$")
_WHOLE_MARK = re.compile(r"[.,][-–]{1,2}$")
_NUMBER = re.compile(r"\d(?:[\d.,'’ \u00a0\u202f]*\d)?")
_SEPARATOR = re.compile(r"([.,'’ \u00a0\u202f])")
_MINUS = ("-", "−", "–")
_PLAIN = re.compile(r"([0-9]+)(?:[.,]([0-9]{1,2}))?")
"""The common amount (`4800`, `4800.50`, `4800,5`): a mark before one or two digits is always the decimal one."""


def parse_amount(text: str, decimal_comma: bool | None = None) -> tuple[int, str | None]:
    """An amount as exact cents, and the currency it names (if any).

    Args:
        text: e.g. "4800", "4.800,50 €", "€ 1,250.00", "CHF 1'200.00".
        decimal_comma: whether `,` is the decimal mark where a number alone
            cannot tell (see the module docstring); None = unknown.

    Returns:
        (cents, currency code or None).

    Raises:
        ParseError: not an amount, negative, more than two decimals, too large.
    """
    value, currency = _parse_money(text, decimal_comma)
    return _minor_units(value, 2, text), currency


def _minor_units(value: Decimal, digits: int, text: str, currency: str | None = None) -> int:
    """`value` counted in units of 10**-digits (cents for 2); refused if finer."""
    units = value * 10**digits
    if units != units.to_integral_value():
        if digits == 2:
            raise ParseError("amount_decimals", text=quote(text))
        raise ParseError("amount_decimals_currency", text=quote(text), currency=currency, n=digits)
    return int(units)


def _parse_money(text: str, decimal_comma: bool | None) -> tuple[Decimal, str | None]:
    """An amount in the currency's main unit, exact, and the currency it names; see `parse_amount`."""
    if len(text) <= 64 and (plain := _PLAIN.fullmatch(text)) is not None:
        # digits, perhaps a mark and one or two decimals: read as the rules below would, without their cost
        whole, fraction = plain.groups()
        value = Decimal(f"{whole}.{fraction or '0'}")
        if value * 100 <= MAX_CENTS:
            return value, None
    shown = quote(text)
    rest = text.strip()
    if not rest:
        raise ParseError("required")
    if len(rest) > 64:
        raise ParseError("amount_invalid", text=shown)
    rest, negative = _strip_sign(rest)
    currency = None
    if match := _LEADING_CURRENCY.match(rest):
        currency, rest = match.group(1), rest[match.end() :]
        rest, signed = _strip_sign(rest)
        negative = negative or signed
    if match := _TRAILING_CURRENCY.search(rest):
        if currency is not None:
            raise ParseError("amount_invalid", text=shown)
        currency, rest = match.group(1), rest[: match.start()]
    if match := _WHOLE_MARK.search(rest):
        decimal_comma, rest = match.group(0)[0] == ",", rest[: match.start()]
    if rest.endswith(_MINUS):
        negative, rest = True, rest[:-1].rstrip()
    if not _NUMBER.fullmatch(rest):
        raise ParseError("amount_invalid", text=shown)
    if negative:
        raise ParseError("amount_negative", text=shown)
    value = _decimal(rest, decimal_comma, shown)
    if value * 100 > MAX_CENTS:
        raise ParseError("amount_too_large", text=shown)
    return value, _currency_code(currency, shown)


def _strip_sign(text: str) -> tuple[str, bool]:
    if text.startswith(_MINUS):
        return text[1:].lstrip(), True
    if text.startswith("(") and text.endswith(")"):
        return text[1:-1].strip(), True
    return text, False


def _currency_code(currency: str | None, shown: str) -> str | None:
    if currency is None:
        return None
    code = _SYMBOLS.get(currency.casefold()) or currency.upper()
    if code not in ISO_CURRENCIES:
        raise ParseError("amount_invalid", text=shown)
    return code


def _decimal(number: str, decimal_comma: bool | None, shown: str) -> Decimal:
    """The digits of `number` as a Decimal, its separators read by the module's rules."""
    parts = _SEPARATOR.split(number)
    runs = parts[0::2]
    seps = [" " if sep in "\u00a0\u202f" else sep.replace("’", "'") for sep in parts[1::2]]
    if not all(runs):
        raise ParseError("amount_invalid", text=shown)
    mark = _decimal_mark_index(runs, seps, decimal_comma)
    groups = seps if mark is None else seps[:mark]
    if len(set(groups)) > 1 or (mark is not None and mark != len(seps) - 1):
        raise ParseError("amount_invalid", text=shown)
    whole = runs if mark is None else runs[:-1]
    if groups and not (len(whole[0]) <= 3 and all(len(run) == 3 for run in whole[1:])):
        raise ParseError("amount_invalid", text=shown)
    fraction = runs[-1] if mark is not None else "0"
    return Decimal(f"{''.join(whole)}.{fraction}")


def _decimal_mark_index(runs: list[str], seps: list[str], decimal_comma: bool | None) -> int | None:
    """Which separator is the decimal mark, or None for a whole number."""
    marks = [index for index, sep in enumerate(seps) if sep in ".,"]
    if not marks or marks[-1] != len(seps) - 1:
        return None
    last = marks[-1]
    if len({seps[index] for index in marks}) == 2:
        return last
    if len(marks) > 1:
        return None
    if len(runs[-1]) != 3 or len(seps) > 1 or len(runs[0]) > 3 or runs[0] == "0":
        return last
    if decimal_comma is None:
        return None
    return last if (seps[last] == ",") == decimal_comma else None
