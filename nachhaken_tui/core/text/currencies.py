"""The one currency table: every ISO 4217 code in use, and the digits of its minor unit.

`value_cents` counts a currency's minor unit (whole yen, thousandths of a
dinar, cents elsewhere), and a typed "12 Stk" must not be read as twelve of a
currency "STK": both questions are answered here, from one table.
`tests/test_currencies.py` checks it against Babel's (CLDR's) list of the
currencies territories use, so a withdrawn code (HRK, CUC, …) is noticed.
"""

from __future__ import annotations

from types import MappingProxyType

__all__ = ["CURRENCY_SYMBOLS", "ISO_CURRENCIES", "MINOR_DIGITS", "minor_digits"]

_NOT_TWO = {
    **dict.fromkeys("BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF".split(), 0),
    **dict.fromkeys("BHD IQD JOD KWD LYD OMR TND".split(), 3),
    **dict.fromkeys("CLF UYW".split(), 4),
}

MINOR_DIGITS = MappingProxyType(
    {
        code: _NOT_TWO.get(code, 2)
        for code in """
        AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BHD BIF BMD BND BOB BOV BRL BSD BTN BWP BYN
        BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR
        FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY
        KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU
        MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON
        RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SYP SZL THB TJS TMT TND TOP TRY
        TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR
        ZMW ZWG
        """.split()
    }
)
"""ISO 4217 code -> decimals of its minor unit (ISO's, which is what amounts are stored in)."""

ISO_CURRENCIES = frozenset(MINOR_DIGITS)
"""The codes nachhaken accepts."""

CURRENCY_SYMBOLS = MappingProxyType({"EUR": "€", "USD": "$", "GBP": "£"})
"""The symbols amounts are shown with; other currencies show their code."""


def minor_digits(currency: str | None) -> int:
    """Decimals of `currency`'s minor unit, the unit `value_cents` counts in (2 for most, EUR by default)."""
    return MINOR_DIGITS.get((currency or "EUR").upper(), 2)
