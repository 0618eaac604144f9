"""Checking an offer field by field: the one gate for new offers.

`nachhaken add`, the CSV import and the TUI's form all go through
`validate_offer` or `check_offer`, so an offer is checked the same way
wherever it comes from. It collects one `FieldProblem` per field so a form or
an import report can name every bad field at once. Its own module because it
builds on `amounts`, `dates` and `phone` alike.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from nachhaken_tui.core.errors import UserError
from nachhaken_tui.core.input.amounts import _SYMBOLS, _minor_units, _parse_money
from nachhaken_tui.core.input.dates import (
    _DAY_MONTH,
    _DOTTED,
    _ISO,
    parse_date,
    parse_past_date,
    parse_user_date,
)
from nachhaken_tui.core.input.fields import FIELDS, NOTES_LIMIT, TEXT_LIMIT, ParseError, field_label, quote
from nachhaken_tui.core.input.phone import PHONE_HINTS, normalise_phone
from nachhaken_tui.core.models import OfferDraft
from nachhaken_tui.core.text.currencies import ISO_CURRENCIES, minor_digits
from nachhaken_tui.core.text.i18n import Catalog

__all__ = [
    "FieldNote",
    "FieldProblem",
    "OfferCheck",
    "OfferInvalid",
    "check_offer",
    "validate_offer",
]


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """Why one field of an offer was refused."""

    field: str
    """One of `FIELDS`."""
    error: ParseError

    def message(self, lang: str, label: str | None = None) -> str:
        """ "Wert: 'abc' ist kein Betrag …"; `label` replaces the field's name."""
        return f"{label or field_label(self.field, lang)}: {self.error.message(lang)}"


class OfferInvalid(UserError):
    """One or more fields of an offer were refused; `problems` lists each."""

    def __init__(self, problems: list[FieldProblem]):
        self.problems = problems
        super().__init__("offer_invalid")

    def message(self, lang: str, labels: Mapping[str, str] | None = None) -> str:
        """Every problem in one line; `labels` may name fields as the caller shows them."""
        labels = labels or {}
        return "; ".join(problem.message(lang, labels.get(problem.field)) for problem in self.problems)


@dataclass(frozen=True, slots=True)
class FieldNote:
    """Something to tell the user about a field that was accepted.

    For now: a phone number kept as typed because it could not be read as a
    valid number (`key` is a `phone.PHONE_HINTS` key).
    """

    field: str
    """One of `FIELDS`."""
    catalog: Catalog
    key: str
    facts: Mapping[str, object]

    def text(self, lang: str) -> str:
        """The note alone: "kept as typed: not a valid number for DE"."""
        return self.catalog.text(lang, self.key, **self.facts)

    def message(self, lang: str, label: str | None = None) -> str:
        """ "phone: kept as typed …"; `label` replaces the field's name."""
        return f"{label or field_label(self.field, lang)}: {self.text(lang)}"


@dataclass(frozen=True, slots=True)
class OfferCheck:
    """What `check_offer` found: the draft if every field is good, and per field why not.

    A form shows `problems` and `notes` under their fields and `values` (the
    accepted value of each good field: a resolved date, a normalised phone)
    beside them, even while other fields are still bad.
    """

    draft: OfferDraft | None
    """The offer, or None when `problems` is not empty."""
    problems: tuple[FieldProblem, ...]
    """One per refused field, in `FIELDS` order."""
    notes: tuple[FieldNote, ...]
    """Hints about accepted fields (a phone kept as typed)."""
    values: Mapping[str, object]
    """Field -> accepted value (None when empty or refused); `value` holds cents."""

    def problem(self, field: str) -> FieldProblem | None:
        """Why `field` was refused, or None."""
        return next((problem for problem in self.problems if problem.field == field), None)

    def note(self, field: str) -> FieldNote | None:
        """The hint about `field`, or None."""
        return next((note for note in self.notes if note.field == field), None)


RawValue = str | dt.date | None
_FIELD_NAMES = frozenset(FIELDS)


def validate_offer(
    raw: Mapping[str, RawValue],
    *,
    decimal_comma: bool | None = None,
    phone_country: str | None = None,
    today: dt.date | None = None,
    as_of: dt.date | None = None,
    currency: str | None = None,
) -> OfferDraft:
    """An `OfferDraft` from the fields as typed or imported, or every reason it is not one.

    The one gate for new offers: `nachhaken add`, the CSV import and the TUI's
    form all call it, so an offer is checked the same way wherever it comes
    from.

    - `client`, `title` and `sent_on` are required; every text is stripped and
      an empty one counts as missing.
    - One-line fields (all but `notes`) have runs of whitespace, including line
      breaks from spreadsheet cells, collapsed to one space; at most
      `TEXT_LIMIT` characters. `notes` keep their line breaks (CRLF becomes
      LF); at most `NOTES_LIMIT`. A NUL character is refused; everything else
      is kept literally (the UI shows it safely).
    - `email` must look like name@domain.tld; `currency` is an ISO 4217
      code (any case) or €/$/£/Euro; `value` goes through `parse_amount`, and a currency
      written with the amount fills an empty `currency` (a different one is
      refused); dates go through `parse_date` (a `datetime.date` is taken as is),
      or `parse_past_date` when `today` is given.
    - Dates must fit together: `first_talk_on` may not be later than
      `sent_on` (the talk comes before the offer), and with `today` or
      `as_of` neither may be later than that day (an offer is recorded once
      it has been sent).
    - With `phone_country`, `phone` goes through `phone.normalise_phone`: a
      valid number is stored as E.164, anything else as typed (with a note,
      see `check_offer`). Without it (the CSV import) the phone is only
      cleaned like any one-line field.

    Args:
        raw: field name (one of `FIELDS`) -> text; missing keys count as empty.
        decimal_comma: passed to `parse_amount`.
        phone_country: ISO country for phone numbers typed without a country
            code (the config's `country`); None leaves numbers as typed.
        today: read dates as a person types them (`gestern`, `3.11.`, `-3`),
            and refuse dates after it; None accepts only full dates, as an
            import has them.
        as_of: refuse dates after this day without reading typed dates (the
            CSV import passes the day it runs); defaults to `today`. With
            neither, no date is too late.
        currency: the currency of an offer that names none (the configured
            one), which says how many decimals its amount may have.

    Raises:
        OfferInvalid: with one `FieldProblem` per refused field, in `FIELDS` order.
        ValueError: `raw` holds a key that is not a field (a programming error).
    """
    check = check_offer(
        raw,
        decimal_comma=decimal_comma,
        phone_country=phone_country,
        today=today,
        as_of=as_of,
        currency=currency,
    )
    if check.problems:
        raise OfferInvalid(list(check.problems))
    assert check.draft is not None
    return check.draft


def check_offer(
    raw: Mapping[str, RawValue],
    *,
    decimal_comma: bool | None = None,
    phone_country: str | None = None,
    today: dt.date | None = None,
    as_of: dt.date | None = None,
    currency: str | None = None,
) -> OfferCheck:
    """`validate_offer`'s rules, reporting instead of raising: for forms and for notes.

    Takes the same arguments; never raises `OfferInvalid`.

    Raises:
        ValueError: `raw` holds a key that is not a field (a programming error).
    """
    if not _FIELD_NAMES.issuperset(raw):
        raise ValueError(f"not offer fields: {sorted(set(raw) - _FIELD_NAMES)}")
    problems: list[FieldProblem] = []
    notes: list[FieldNote] = []
    date = _date if today is None else _user_date(today)

    def check(field: str, convert: Callable[[RawValue], object]) -> Any:
        try:
            return convert(raw.get(field))
        except ParseError as error:
            problems.append(FieldProblem(field, error))
            return None

    values = {
        "client": check("client", _required_line),
        "contact": check("contact", _line),
        "salutation": check("salutation", _line),
        "phone": check("phone", _line),
        "email": check("email", _email),
        "title": check("title", _required_line),
        "reference": check("reference", _line),
        "amount": check("value", lambda value: _amount(value, decimal_comma)),
        "currency": check("currency", _currency),
        "sent_on": check("sent_on", _required(date)),
        "first_talk_on": check("first_talk_on", date),
        "valid_until": check("valid_until", _date if today is None else _coming_date(today)),
        "notes": check("notes", _notes),
    }
    if phone_country is not None and values["phone"] is not None:
        phone = normalise_phone(values["phone"], phone_country)
        values["phone"] = phone.value
        if phone.hint_key is not None:
            notes.append(FieldNote("phone", PHONE_HINTS, phone.hint_key, {"country": phone.country or ""}))
    _check_dates(raw, values, problems, as_of or today)
    amount, written = values.pop("amount") or (None, None)
    cents = None
    if written and values["currency"] and written != values["currency"]:
        error = ParseError("currency_conflict", found=written, given=values["currency"])
        problems.append(FieldProblem("currency", error))
    if amount is not None:
        code = values["currency"] or written or currency
        try:
            cents = _minor_units(amount, minor_digits(code), str(raw.get("value")).strip(), code)
        except ParseError as error:
            problems.append(FieldProblem("value", error))
    problems.sort(key=lambda problem: FIELDS.index(problem.field))
    accepted = {**values, "value": cents, "currency": values["currency"] or written}
    draft = (
        None if problems else OfferDraft(value_cents=cents, **{**values, "currency": accepted["currency"]})
    )
    return OfferCheck(draft, tuple(problems), tuple(notes), accepted)


def _check_dates(
    raw: Mapping[str, RawValue],
    values: dict[str, Any],
    problems: list[FieldProblem],
    latest: dt.date | None,
) -> None:
    """Refuse a sent date or first talk after `latest`, and a first talk after the sent date.

    The message quotes the date as it was typed (or imported), so the user
    finds it; a refused date is no longer an accepted value (None in `values`).
    """

    def refuse(field: str, key: str, **facts: object) -> None:
        typed, day = raw.get(field), values[field].isoformat()
        if not isinstance(typed, str):
            shown = quote(day)
        else:
            text = " ".join(typed.split())
            written_out = _ISO.fullmatch(text) or _DOTTED.fullmatch(text)
            shown = quote(text) if written_out else f"{quote(text)} ({day})"
        problems.append(FieldProblem(field, ParseError(key, text=shown, **facts)))
        values[field] = None

    sent, talk, valid = values["sent_on"], values["first_talk_on"], values["valid_until"]
    if latest is not None and sent is not None and sent > latest:
        refuse("sent_on", "sent_future", today=latest.isoformat())
        sent = None
    typed_valid = raw.get("valid_until")
    if sent is not None and valid is not None and isinstance(typed_valid, str):
        # "20.11." typed for an offer sent on 10.11. means this 20.11., not next year's
        if _DAY_MONTH.fullmatch(typed_valid.strip()) and sent <= _a_year_earlier(valid):
            values["valid_until"] = valid = _a_year_earlier(valid)
    if sent is not None and valid is not None and valid < sent:
        refuse("valid_until", "valid_before_sent", sent=sent.isoformat())
    if latest is not None and talk is not None and talk > latest:
        refuse("first_talk_on", "talk_future", today=latest.isoformat())
    elif sent is not None and talk is not None and talk > sent:
        refuse("first_talk_on", "talk_after_sent", sent=sent.isoformat())


def _a_year_earlier(day: dt.date) -> dt.date:
    """The same day a year before (28 Feb for a 29 Feb)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def _required(convert: Callable[[RawValue], object]) -> Callable[[RawValue], object]:
    def required(value: RawValue) -> object:
        result = convert(value)
        if result is None:
            raise ParseError("required")
        return result

    return required


def _text(value: RawValue, limit: int) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    if "\x00" in text:
        raise ParseError("nul")
    if len(text) > limit:
        raise ParseError("too_long", length=len(text), limit=limit)
    return text or None


def _line(value: RawValue) -> str | None:
    if value is None:
        return None
    if len(typed := str(value)) <= TEXT_LIMIT and "\x00" not in typed:
        # Short and without NUL, it cannot be refused: only stripped and collapsed (an import's every cell)
        return " ".join(typed.split()) or None
    text = _text(typed, TEXT_LIMIT * 4)
    if text is None:
        return None
    collapsed = " ".join(text.split())
    if len(collapsed) > TEXT_LIMIT:
        raise ParseError("too_long", length=len(collapsed), limit=TEXT_LIMIT)
    return collapsed


def _notes(value: RawValue) -> str | None:
    text = _text(value, NOTES_LIMIT)
    return text.replace("\r\n", "\n").replace("\r", "\n") if text else None


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


def _email(value: RawValue) -> str | None:
    text = _line(value)
    if text is not None and not _EMAIL.fullmatch(text):
        raise ParseError("email", text=quote(text))
    return text


def _currency(value: RawValue) -> str | None:
    text = _line(value)
    if text is None:
        return None
    code = _SYMBOLS.get(text.casefold()) or text.upper()
    if code not in ISO_CURRENCIES:
        raise ParseError("currency", text=quote(text))
    return code


def _amount(value: RawValue, decimal_comma: bool | None) -> tuple[Decimal, str | None] | None:
    """The amount in the main unit; counted in minor units once the currency is known (`check_offer`)."""
    text = _line(value)
    return None if text is None else _parse_money(text, decimal_comma)


def _date(value: RawValue) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    text = _line(value)
    return None if text is None else parse_date(text)


def _coming_date(today: dt.date) -> Callable[[RawValue], dt.date | None]:
    """A date as typed for the future (`+14`, `3.12.`, `Freitag`): an offer's validity."""

    def coming_date(value: RawValue) -> dt.date | None:
        if isinstance(value, dt.date):
            return value
        text = _line(value)
        return None if text is None else parse_user_date(text, today)

    return coming_date


def _user_date(today: dt.date) -> Callable[[RawValue], dt.date | None]:
    def user_date(value: RawValue) -> dt.date | None:
        if isinstance(value, dt.date):
            return value
        text = _line(value)
        return None if text is None else parse_past_date(text, today)

    return user_date


_required_line = _required(_line)
