"""The one currency table agrees with Babel (CLDR): the codes in use, and their minor units.

A code no territory uses any more (HRK since 2023, CUC since 2021, BGN since
Bulgaria took the euro) must leave the table; a new one (XCG, ZWG) must be in
it. Checked for the tests' fixed day, so the result does not change with the
calendar; move the day forward when the table is reviewed.
"""

from __future__ import annotations

import pytest
from babel.core import get_global
from babel.numbers import get_currency_precision, get_territory_currencies
from click.testing import CliRunner
from conftest import TODAY

from nachhaken_tui.cli import cli
from nachhaken_tui.core.text.currencies import ISO_CURRENCIES, MINOR_DIGITS, minor_digits

NOT_MONEY = {
    "CNH",
    "XAD",
    "XAG",
    "XAU",
    "XBA",
    "XBB",
    "XBC",
    "XBD",
    "XDR",
    "XPD",
    "XPT",
    "XSU",
    "XTS",
    "XUA",
    "XXX",
}
"""Codes CLDR lists that are no money to send an offer in: metals, units of
account, test codes, and CNH (offshore yuan, not in ISO 4217)."""

ISO_MINOR_UNIT_NOT_CLDRS = {
    **dict.fromkeys("AFN ALL COP HUF IDR IRR KPW LAK LBP MGA MMK SOS SYP YER".split(), 2),
    "IQD": 3,
}
"""Where ISO 4217's minor unit (what amounts are stored in) differs from the
digits CLDR shows in practice (0 for all of these)."""


def _in_use() -> set[str]:
    codes: set[str] = set()
    for territory in get_global("territory_currencies"):
        codes.update(get_territory_currencies(territory, TODAY, tender=True, non_tender=True))
    return codes - NOT_MONEY


def test_the_table_has_exactly_the_currencies_in_use():
    in_use = _in_use()
    assert sorted(ISO_CURRENCIES - in_use) == [], "withdrawn: remove from core/text/currencies.py"
    assert sorted(in_use - ISO_CURRENCIES) == [], "new: add to core/text/currencies.py"
    assert {"HRK", "CUC"}.isdisjoint(ISO_CURRENCIES)


def test_minor_units_are_iso_4217s():
    expected = {
        code: ISO_MINOR_UNIT_NOT_CLDRS.get(code, get_currency_precision(code)) for code in ISO_CURRENCIES
    }
    assert dict(MINOR_DIGITS) == expected
    assert (minor_digits("jpy"), minor_digits("KWD"), minor_digits(None), minor_digits("EUR")) == (0, 3, 2, 2)


@pytest.mark.parametrize(("code", "accepted"), [("HRK", False), ("CUC", False), ("XCG", True), ("EUR", True)])
def test_a_withdrawn_code_is_refused_where_offers_are_entered(db_path, code, accepted):
    result = CliRunner().invoke(
        cli,
        [
            "add",
            "--db",
            str(db_path),
            "--client",
            "C",
            "--title",
            "T",
            "--value",
            "100",
            "--currency",
            code,
            "--lang",
            "en",
            "--today",
            TODAY.isoformat(),
        ],
    )
    assert result.exit_code == (0 if accepted else 1), result.output
    if not accepted:
        assert code in result.output
