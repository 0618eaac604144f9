"""tel: and mailto: links: only dialable digits, and nothing a typed value can inject."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from nachhaken_tui.core.calls.dial import mailto_uri, tel_uri


@pytest.mark.parametrize(
    ("phone", "uri"),
    [
        ("+49 171 2345678", "tel:+491712345678"),
        ("+49 (0)171 234-5678", "tel:+491712345678"),
        ("+49 (0) 30 / 123 45 67", "tel:+49301234567"),
        ("+44 20 7946 0958", "tel:+442079460958"),
        ("  +1 (555) 010-4477", "tel:+15550104477"),
        ("0171 2345678", "tel:01712345678"),
        ("030/123.45.67", "tel:0301234567"),
        ("(0 89) 12 34 56", "tel:089123456"),
        ("0049 171 2345678", "tel:00491712345678"),
        ("112", "tel:112"),
        ("171 +49", "tel:17149"),  # a + that does not lead is no country code
        ("[red]0[/red] 171 2345", "tel:01712345"),
        ("+49 171 2345678 (mobil)", "tel:+491712345678"),
        ("+49\u00a0171\u00a02345678", "tel:+491712345678"),  # no-break spaces from a web page
    ],
)
def test_tel_uri_keeps_digits_and_a_leading_plus(phone, uri):
    assert tel_uri(phone) == uri


@pytest.mark.parametrize("phone", [None, "", "   ", "n/a", "–", "12", "+", "[red]0[/red]", "tel:"])
def test_tel_uri_is_none_when_nothing_is_dialable(phone):
    assert tel_uri(phone) is None


@pytest.mark.parametrize(
    ("email", "subject", "body", "expected"),
    [
        ("sabine@example.com", "Hi", "Hello", "mailto:sabine@example.com?subject=Hi&body=Hello"),
        ("a@b.de", "Ihr Angebot „X“", "", "mailto:a@b.de?subject=Ihr%20Angebot%20%E2%80%9EX%E2%80%9C&body="),
        ("a@b.de", "S", "line 1\nline 2", "mailto:a@b.de?subject=S&body=line%201%0D%0Aline%202"),
        ("a@b.de", "S", "x\r\ny", "mailto:a@b.de?subject=S&body=x%0D%0Ay"),
        (
            "a@b.de",
            "A & B = C?",
            "50% #1",
            "mailto:a@b.de?subject=A%20%26%20B%20%3D%20C%3F&body=50%25%20%231",
        ),
        ("  first+tag@b.de ", "S", "B", "mailto:first+tag@b.de?subject=S&body=B"),
    ],
)
def test_mailto_uri_percent_encodes_as_rfc_6068_asks(email, subject, body, expected):
    assert mailto_uri(email, subject, body) == expected


def test_mailto_address_cannot_add_recipients_or_headers():
    uri = mailto_uri("evil@x.de?cc=boss@x.de&bcc=all@x.de,second@x.de#frag", "S", "B")
    parts = urlsplit(uri)
    assert parts.fragment == ""
    assert unquote(parts.path) == "evil@x.de?cc=boss@x.de&bcc=all@x.de,second@x.de#frag"  # one odd address
    assert "," not in parts.path and "?" not in parts.path
    assert parse_qs(parts.query) == {"subject": ["S"], "body": ["B"]}


def test_mailto_round_trips_umlauts_and_line_breaks():
    body = "Guten Tag Frau Müller,\n\nGrüße – ß"
    query = parse_qs(urlsplit(mailto_uri("m@x.de", "Rückfrage", body)).query)
    assert query == {"subject": ["Rückfrage"], "body": [body.replace("\n", "\r\n")]}
