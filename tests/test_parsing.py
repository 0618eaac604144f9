"""Amounts, dates, typed dates and offer validation: tables of what people write."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import TODAY
from hypothesis import given
from hypothesis import strategies as st

from nachhaken_tui.core.input import amounts
from nachhaken_tui.core.input.amounts import MAX_CENTS, parse_amount
from nachhaken_tui.core.input.dates import parse_date, parse_user_date, read_user_date
from nachhaken_tui.core.input.fields import NOTES_LIMIT, TEXT_LIMIT, ParseError
from nachhaken_tui.core.input.offer_check import OfferInvalid, check_offer, validate_offer
from nachhaken_tui.core.text.i18n import format_money

D = dt.date

AMOUNTS = [
    # text, decimal_comma, cents, currency
    ("4800", None, 480_000, None),
    ("4800.50", None, 480_050, None),
    ("4800,50", None, 480_050, None),
    ("4800,5", None, 480_050, None),
    ("4.800,50", True, 480_050, None),
    ("4.800,50 €", None, 480_050, "EUR"),
    ("€ 1,250.00", None, 125_000, "EUR"),
    ("€1,250", None, 125_000, "EUR"),
    ("1.250", True, 125_000, None),
    ("1.250", None, 125_000, None),
    ("1,250", None, 125_000, None),
    ("1.250", False, 125, None),
    ("1,250", True, 125, None),
    ("1,250", False, 125_000, None),
    ("4800.50", True, 480_050, None),
    ("1.250.000", None, 125_000_000, None),
    ("1.250.000,99", None, 125_000_099, None),
    ("EUR 300", None, 30_000, "EUR"),
    ("300 eur", None, 30_000, "EUR"),
    ("300 Euro", None, 30_000, "EUR"),
    ("$ 99.99", None, 9_999, "USD"),
    ("£12", None, 1_200, "GBP"),
    ("CHF 1'200.00", None, 120_000, "CHF"),
    ("CHF 1’200.50", None, 120_050, "CHF"),
    ("4 800,50", None, 480_050, None),
    ("4\u00a0800,50 €", None, 480_050, "EUR"),
    ("4.800,-", False, 480_000, None),
    ("4.800,- €", None, 480_000, "EUR"),
    ("0", None, 0, None),
    ("0,99", None, 99, None),
    ("0.500", None, 50, None),
    ("4800.000", None, 480_000, None),
    ("  4800  ", None, 480_000, None),
    ("10000000000", None, MAX_CENTS, None),
]


@pytest.mark.parametrize(("text", "decimal_comma", "cents", "currency"), AMOUNTS)
def test_amounts_people_write_are_read_exactly(text, decimal_comma, cents, currency):
    assert parse_amount(text, decimal_comma) == (cents, currency)


AMOUNT_ERRORS = [
    ("", "required"),
    ("   ", "required"),
    ("abc", "amount_invalid"),
    ("EUR", "amount_invalid"),
    ("1e5", "amount_invalid"),
    ("12abc", "amount_invalid"),
    ("12 Stk", "amount_invalid"),
    ("1..2", "amount_invalid"),
    ("1.2.3", "amount_invalid"),
    ("12,34,567", "amount_invalid"),
    ("1,25.0", "amount_invalid"),
    ("1.250 000", "amount_invalid"),
    ("4.800,", "amount_invalid"),
    ("€ 300 EUR", "amount_invalid"),
    ("1" * 70, "amount_invalid"),
    ("nan", "amount_invalid"),
    ("Infinity", "amount_invalid"),
    ("-300", "amount_negative"),
    ("−300", "amount_negative"),
    ("€ -300", "amount_negative"),
    ("-€300", "amount_negative"),
    ("(300)", "amount_negative"),
    ("300-", "amount_negative"),
    ("4.800,505", "amount_decimals"),
    ("0.001", "amount_decimals"),
    ("10000000000.01", "amount_too_large"),
    ("99999999999999", "amount_too_large"),
]


@pytest.mark.parametrize(("text", "key"), AMOUNT_ERRORS)
def test_amounts_that_are_not_amounts_are_refused_with_a_reason(text, key):
    with pytest.raises(ParseError) as caught:
        parse_amount(text, None)
    assert caught.value.key == key


def test_amount_errors_quote_the_text_in_both_languages():
    with pytest.raises(ParseError) as caught:
        parse_amount("12 Äpfel", True)
    assert caught.value.message("en") == "'12 Äpfel' is not an amount (e.g. 4800, 4.800,50 € or 4,800.50)"
    assert caught.value.message("de").startswith("'12 Äpfel' ist kein Betrag")


@given(st.integers(min_value=0, max_value=MAX_CENTS), st.sampled_from(["de", "en"]))
def test_every_amount_nachhaken_shows_reads_back_exactly(cents, lang):
    assert parse_amount(format_money(cents, "EUR", lang), None) == (cents, "EUR")


@given(st.text(max_size=40), st.sampled_from([None, True, False]))
def test_any_text_is_an_amount_or_a_parse_error(text, decimal_comma):
    try:
        cents, _ = parse_amount(text, decimal_comma)
    except ParseError:
        return
    assert isinstance(cents, int) and 0 <= cents <= MAX_CENTS


@given(
    st.one_of(
        st.from_regex(r"[0-9]{1,70}([.,][0-9]{0,4})?", fullmatch=True),
        st.text(alphabet="0123456789.,' \u0663", max_size=70),
    ),
    st.sampled_from([None, True, False]),
)
def test_plain_amounts_read_as_the_general_rules_read_them(text, decimal_comma):
    """`_parse_money` reads digits with one or two decimals directly (the import's
    common case): the same Decimal, or the same refusal, as the general rules."""

    def read(plain):
        with pytest.MonkeyPatch.context() as patch:
            if not plain:
                patch.setattr(amounts, "_PLAIN", re.compile(r"(?!)()()"))
            try:
                value, currency = amounts._parse_money(text, decimal_comma)
            except ParseError as error:
                return error.key, error.fields
            return str(value), currency

    assert read(plain=True) == read(plain=False)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("  Müller \t Bau\r\nGmbH ", "Müller Bau GmbH"),
        (" " * 3, None),
        ("x" * TEXT_LIMIT, "x" * TEXT_LIMIT),
        (" " + "x" * TEXT_LIMIT + " ", "x" * TEXT_LIMIT),  # longer only by what is stripped
        ("x  " * (TEXT_LIMIT // 2), ("x " * (TEXT_LIMIT // 2)).strip()),  # longer only by what collapses
    ],
)
def test_one_line_fields_are_stripped_and_collapsed_however_long_they_are_typed(typed, kept):
    check = check_offer({"client": "A", "title": "T", "sent_on": "2026-11-03", "contact": typed})
    assert (check.problems, check.values["contact"]) == ((), kept)


DATES = [
    ("2026-11-03", D(2026, 11, 3)),
    ("2026-1-3", D(2026, 1, 3)),
    ("2026-11-03T10:15:00", D(2026, 11, 3)),
    ("2026-11-03 10:15", D(2026, 11, 3)),
    ("2026-11-03T10:15:00+01:00", D(2026, 11, 3)),
    ("3.11.2026", D(2026, 11, 3)),
    ("03.11.2026", D(2026, 11, 3)),
    ("3.11.26", D(2026, 11, 3)),
    ("29.02.2028", D(2028, 2, 29)),
    (" 31.12.99 ", D(2099, 12, 31)),
]


@pytest.mark.parametrize(("text", "expected"), DATES)
def test_dates_from_files_and_options(text, expected):
    assert parse_date(text) == expected


DATE_ERRORS = [
    ("", "required"),
    ("tomorrow", "date_invalid"),
    ("11/03/2026", "date_invalid"),
    ("3.11.", "date_invalid"),
    ("2026-11", "date_invalid"),
    ("3.11.202", "date_invalid"),
    ("31.02.2026", "date_impossible"),
    ("29.02.2026", "date_impossible"),
    ("2026-13-01", "date_impossible"),
    ("0000-01-01", "date_impossible"),
    ("1.1.1900", "date_range"),
    ("9999-12-31", "date_range"),
]


@pytest.mark.parametrize(("text", "key"), DATE_ERRORS)
def test_impossible_or_unknown_dates_are_refused(text, key):
    with pytest.raises(ParseError) as caught:
        parse_date(text)
    assert caught.value.key == key


# TODAY is Thursday, 26 November 2026.
USER_DATES = [
    ("2026-12-03", D(2026, 12, 3)),
    ("3.12.2026", D(2026, 12, 3)),
    ("3.12.26", D(2026, 12, 3)),
    ("3.12.", D(2026, 12, 3)),
    ("3.12", D(2026, 12, 3)),
    ("26.11.", TODAY),
    ("3.1.", D(2027, 1, 3)),
    ("25.11.", D(2027, 11, 25)),
    ("+3", D(2026, 11, 29)),
    ("+ 3", D(2026, 11, 29)),
    ("+3d", D(2026, 11, 29)),
    ("+3t", D(2026, 11, 29)),
    ("+2w", D(2026, 12, 10)),
    ("+1m", D(2026, 12, 26)),
    ("+0", TODAY),
    ("in 3 Tagen", D(2026, 11, 29)),
    ("in 2 weeks", D(2026, 12, 10)),
    ("heute", TODAY),
    ("Today", TODAY),
    ("morgen", D(2026, 11, 27)),
    ("TOMORROW", D(2026, 11, 27)),
    ("übermorgen", D(2026, 11, 28)),
    ("Uebermorgen", D(2026, 11, 28)),
    ("day after tomorrow", D(2026, 11, 28)),
    ("Montag", D(2026, 11, 30)),
    ("monday", D(2026, 11, 30)),
    ("mo", D(2026, 11, 30)),
    ("Mon", D(2026, 11, 30)),
    ("Di.", D(2026, 12, 1)),
    ("tue", D(2026, 12, 1)),
    ("Mittwoch", D(2026, 12, 2)),
    ("donnerstag", D(2026, 12, 3)),
    ("thursday", D(2026, 12, 3)),
    ("Fr", D(2026, 11, 27)),
    ("friday", D(2026, 11, 27)),
    ("next friday", D(2026, 12, 4)),  # the Friday of next week, not tomorrow
    ("nächsten Freitag", D(2026, 12, 4)),
    ("diesen Freitag", D(2026, 11, 27)),
    ("am Freitag", D(2026, 11, 27)),
    ("Samstag", D(2026, 11, 28)),
    ("sonntag", D(2026, 11, 29)),
    ("nächste Woche", D(2026, 11, 30)),
    ("naechste woche", D(2026, 11, 30)),
    ("NÄCHSTE  WOCHE", D(2026, 11, 30)),
    ("next week", D(2026, 11, 30)),
]


@pytest.mark.parametrize(("text", "expected"), USER_DATES)
def test_dates_typed_into_a_date_field(text, expected):
    assert parse_user_date(text, TODAY) == expected


def test_typed_dates_near_month_and_week_ends():
    sunday = D(2026, 11, 29)
    assert parse_user_date("next week", sunday) == D(2026, 11, 30)
    assert parse_user_date("sonntag", sunday) == D(2026, 12, 6)
    assert parse_user_date("+1m", D(2026, 1, 31)) == D(2026, 2, 28)
    assert parse_user_date("29.2.", D(2027, 3, 1)) == D(2028, 2, 29)


MONDAY = D(2026, 11, 30)
PHRASES = [
    ("KW 50", D(2026, 12, 7)),
    ("kw50", D(2026, 12, 7)),
    ("week 50", D(2026, 12, 7)),
    ("KW 48", D(2027, 11, 29)),  # this year's week 48 is over
    ("Anfang Januar", D(2027, 1, 1)),
    ("early January", D(2027, 1, 1)),
    ("Mitte Dezember", D(2026, 12, 15)),
    ("mid-December", D(2026, 12, 15)),
    ("Ende Februar", D(2027, 2, 28)),
    ("end of February", D(2027, 2, 28)),
    ("nächste Woche Mittwoch", D(2026, 12, 9)),
    ("Mittwoch nächste Woche", D(2026, 12, 9)),
    ("next week wednesday", D(2026, 12, 9)),
    ("next Wednesday", D(2026, 12, 9)),
    ("nächsten Donnerstag", D(2026, 12, 10)),  # on a Monday: Thursday of next week
    ("Donnerstag", D(2026, 12, 3)),
    ("Donnerstag 14 Uhr", D(2026, 12, 3)),
    ("Do um 14", D(2026, 12, 3)),
    ("morgen 9:30", D(2026, 12, 1)),
    ("3.12. 14 Uhr", D(2026, 12, 3)),
    ("Dec 3", D(2026, 12, 3)),
    ("3 Dec", D(2026, 12, 3)),
    ("3. Dezember", D(2026, 12, 3)),
    ("December 3rd 2027", D(2027, 12, 3)),
    ("Nov 3", D(2027, 11, 3)),  # passed this year: next year's
]


@pytest.mark.parametrize(("text", "expected"), PHRASES)
def test_longer_phrases_a_week_of_use_brought_up(text, expected):
    assert parse_user_date(text, MONDAY) == expected


def test_the_reading_of_an_ambiguous_phrase_is_said():
    day, readings = read_user_date("nächsten Donnerstag", MONDAY)
    assert day == D(2026, 12, 10)
    assert [reading.text("de") for reading in readings] == [
        "Donnerstag nächster Woche; für diese Woche tippe „Donnerstag“"
    ]
    assert readings[0].text("en") == "Thursday of next week; for this week's, type “thursday”"
    assert [r.text("de") for r in read_user_date("KW 50", MONDAY)[1]] == ["Montag der KW 50"]
    assert [r.text("en") for r in read_user_date("Thursday 2pm", MONDAY)[1]] == [
        "only the date counts, not the time"
    ]
    assert read_user_date("Dec 3", MONDAY)[1] == []


@pytest.mark.parametrize("text", ["31 Feb", "KW 60", "Feb 30 2027"])
def test_phrases_naming_no_real_day_are_refused(text):
    with pytest.raises(ParseError) as caught:
        parse_user_date(text, MONDAY)
    assert caught.value.key == "date_impossible"


USER_DATE_ERRORS = [
    ("", "required"),
    ("bald", "user_date_invalid"),
    ("next", "user_date_invalid"),
    ("+", "user_date_invalid"),
    ("+3x", "user_date_invalid"),
    ("-3", "user_date_invalid"),
    ("in 3 jahren", "user_date_invalid"),
    ("\x1b[31m", "user_date_invalid"),
    ("31.2.", "date_impossible"),
    ("29.2.", "date_impossible"),
    ("30.02.2026", "date_impossible"),
    ("+9999m", "date_range"),
]


@pytest.mark.parametrize(("text", "key"), USER_DATE_ERRORS)
def test_typed_dates_that_mean_nothing_are_refused(text, key):
    with pytest.raises(ParseError) as caught:
        parse_user_date(text, TODAY)
    assert caught.value.key == key


def test_a_refused_typed_date_says_what_would_work_in_both_languages():
    with pytest.raises(ParseError) as caught:
        parse_user_date("bald", TODAY)
    assert "tomorrow" in caught.value.message("en")
    assert "KW 50" in caught.value.message("de")
    assert "\x1b" not in ParseError("user_date_invalid", text=repr("\x1b")).message("en")


@given(st.text(max_size=30))
def test_any_typed_text_is_a_date_or_a_parse_error(text):
    try:
        day = parse_user_date(text, TODAY)
    except ParseError:
        return
    assert isinstance(day, dt.date)


def test_a_valid_offer_is_cleaned_up():
    draft = validate_offer(
        {
            "client": "  Müller\n GmbH ",
            "title": "Website\trelaunch",
            "contact": "",
            "email": " anna@mueller.de ",
            "value": "4.800,50 €",
            "sent_on": "3.11.26",
            "first_talk_on": dt.date(2026, 10, 20),
            "notes": " line one\r\nline two [b]x[/b] \x1b[31m ",
        }
    )
    assert draft.client == "Müller GmbH"
    assert draft.title == "Website relaunch"
    assert draft.contact is None
    assert draft.email == "anna@mueller.de"
    assert (draft.value_cents, draft.currency) == (480_050, "EUR")
    assert draft.sent_on == D(2026, 11, 3)
    assert draft.first_talk_on == D(2026, 10, 20)
    assert draft.notes == "line one\nline two [b]x[/b] \x1b[31m"


def test_every_bad_field_is_reported_at_once_in_field_order():
    with pytest.raises(OfferInvalid) as caught:
        validate_offer(
            {"client": " ", "email": "nope", "value": "-5", "currency": "EU", "sent_on": "31.2.2026"}
        )
    assert [problem.field for problem in caught.value.problems] == [
        "client",
        "email",
        "title",
        "value",
        "currency",
        "sent_on",
    ]
    assert str(caught.value).startswith("client: is required; e-mail: 'nope' is not an e-mail address")
    german = caught.value.message("de")
    assert "Kunde: fehlt" in german and "Gesendet am: '31.2.2026': diesen Tag gibt es nicht" in german
    assert caught.value.message("en", {"value": "--value"}).count("--value: '-5' is negative") == 1


def test_currency_from_the_amount_must_agree_with_the_currency_field():
    assert (
        validate_offer(
            {"client": "A", "title": "T", "sent_on": "2026-11-03", "value": "300", "currency": "chf"}
        ).currency
        == "CHF"
    )
    assert (
        validate_offer(
            {"client": "A", "title": "T", "sent_on": "2026-11-03", "value": "€300", "currency": "€"}
        ).currency
        == "EUR"
    )
    with pytest.raises(OfferInvalid) as caught:
        validate_offer(
            {"client": "A", "title": "T", "sent_on": "2026-11-03", "value": "$300", "currency": "EUR"}
        )
    assert str(caught.value) == "currency: the amount says USD but the currency is EUR"


@pytest.mark.parametrize(
    ("field", "value", "key"),
    [
        ("client", "x" * (TEXT_LIMIT + 1), "too_long"),
        ("notes", "x" * (NOTES_LIMIT + 1), "too_long"),
        ("notes", "a\x00b", "nul"),
        ("title", "a\x00b", "nul"),
        ("email", "a@b", "email"),
        ("email", "a b@c.de", "email"),
        ("currency", "Euros", "currency"),
        ("currency", "ABC", "currency"),
        ("currency", "€€€", "currency"),
    ],
)
def test_field_limits(field, value, key):
    raw = {"client": "A", "title": "T", "sent_on": "2026-11-03", field: value}
    with pytest.raises(OfferInvalid) as caught:
        validate_offer(raw)
    assert [(p.field, p.error.key) for p in caught.value.problems] == [(field, key)]


def test_unknown_keys_are_a_programming_error():
    with pytest.raises(ValueError):
        validate_offer({"client": "A", "title": "T", "sent_on": "2026-11-03", "status": "won"})


# ------------------------------------------------------- dates that fit together


@pytest.mark.parametrize(
    ("dates", "checks", "problems"),
    [
        # a sent date after today: refused when today is known (add, the form, the import)
        ({"sent_on": "2099-01-01"}, {"today": TODAY}, [("sent_on", "sent_future")]),
        ({"sent_on": "27.11.2026"}, {"as_of": TODAY}, [("sent_on", "sent_future")]),
        ({"sent_on": D(2026, 11, 27)}, {"today": TODAY}, [("sent_on", "sent_future")]),
        ({"sent_on": "2099-01-01"}, {}, []),  # no today, no upper bound
        ({"sent_on": "2026-11-26"}, {"as_of": TODAY}, []),  # today itself is fine
        # a first talk after the offer went out: refused with or without today
        (
            {"sent_on": "10.11.2026", "first_talk_on": "20.11.2026"},
            {},
            [("first_talk_on", "talk_after_sent")],
        ),
        (
            {"sent_on": "gestern", "first_talk_on": "heute"},
            {"today": TODAY},
            [("first_talk_on", "talk_after_sent")],
        ),
        ({"sent_on": "10.11.2026", "first_talk_on": "10.11.2026"}, {}, []),
        ({"sent_on": "10.11.2026", "first_talk_on": "1.11.2026"}, {"today": TODAY}, []),
        # a first talk after today is reported as that, once
        ({"first_talk_on": "2026-12-01"}, {"as_of": TODAY}, [("first_talk_on", "talk_future")]),
        (
            {"sent_on": "2099-01-01", "first_talk_on": "2099-02-01"},
            {"as_of": TODAY},
            [("sent_on", "sent_future"), ("first_talk_on", "talk_future")],
        ),
    ],
)
def test_sent_and_first_talk_dates_must_have_been_and_fit_together(dates, checks, problems):
    raw = {"client": "A", "title": "T", "sent_on": "2026-11-03", **dates}
    check = check_offer(raw, **checks)
    assert [(p.field, p.error.key) for p in check.problems] == problems
    assert (check.draft is None) == bool(problems)
    for field, _key in problems:
        assert check.values[field] is None  # a refused date is no accepted value


def test_a_refused_date_says_which_value_and_why_in_both_languages():
    with pytest.raises(OfferInvalid) as caught:
        validate_offer({"client": "A", "title": "T", "sent_on": "1.1.2099"}, as_of=TODAY)
    assert str(caught.value) == (
        "sent on: '1.1.2099' is after today (2026-11-26); record an offer once it has been sent"
    )
    assert caught.value.message("de") == (
        "Gesendet am: '1.1.2099' liegt nach heute (2026-11-26); "
        "ein Angebot wird erfasst, wenn es verschickt ist"
    )
    with pytest.raises(OfferInvalid) as caught:
        validate_offer(
            {"client": "A", "title": "T", "sent_on": "gestern", "first_talk_on": "heute"}, today=TODAY
        )
    assert str(caught.value) == (
        "first talk: 'heute' (2026-11-26) is after the sent date 2026-11-25; "
        "the first talk comes before the offer"
    )
    assert caught.value.message("de") == (
        "Erstgespräch: 'heute' (2026-11-26) liegt nach dem Versanddatum 2026-11-25; "
        "das Erstgespräch kommt vor dem Angebot"
    )


# ------------------------------------------------------------ minor units per currency


@pytest.mark.parametrize(
    ("value", "currency", "units", "shown_en", "shown_de"),
    [
        ("4.800,50 €", None, 480_050, "€4,800.50", "4.800,50 €"),
        ("5000", "JPY", 5_000, "JPY 5,000", "5.000 JPY"),  # the yen has no minor unit
        ("¥", None, None, None, None),
        ("0.125", "KWD", 125, "KWD 0.125", "0,125 KWD"),  # the dinar counts thousandths (fils)
        ("1200", "CHF", 120_000, "CHF 1,200", "1.200 CHF"),
    ],
)
def test_value_cents_counts_the_currencys_own_minor_unit(value, currency, units, shown_en, shown_de):
    raw = {"client": "A", "title": "T", "sent_on": "2026-11-03", "value": value}
    if currency:
        raw["currency"] = currency
    if units is None:
        with pytest.raises(OfferInvalid):
            validate_offer(raw)
        return
    draft = validate_offer(raw)
    assert draft.value_cents == units
    assert format_money(draft.value_cents, draft.currency or "EUR", "en") == shown_en
    assert format_money(draft.value_cents, draft.currency or "EUR", "de") == shown_de


@pytest.mark.parametrize(
    ("value", "currency", "message"),
    [
        ("5000.5", "JPY", "'5000.5' has more decimals than JPY has (0)"),
        ("4800.505", "EUR", "'4800.505' has more than two decimals"),
        ("0.1255", "KWD", "'0.1255' has more decimals than KWD has (3)"),
    ],
)
def test_more_decimals_than_the_currency_has_are_refused(value, currency, message):
    with pytest.raises(OfferInvalid) as caught:
        validate_offer(
            {"client": "A", "title": "T", "sent_on": "2026-11-03", "value": value, "currency": currency}
        )
    assert [problem.field for problem in caught.value.problems] == ["value"]
    assert message in str(caught.value)
