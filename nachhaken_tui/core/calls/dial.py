"""Links that hand a number or a message to another program: `tel:` and `mailto:`.

No Textual here: the offer card, the dial step, the QR screen and the
close-the-loop dialog all build their links through these two functions, so a
number or an address typed by a user can never smuggle extra parts (a second
recipient, a `?cc=` header, a different scheme) into a link.
"""

from __future__ import annotations

import re
from urllib.parse import quote

__all__ = ["MIN_DIGITS", "mailto_uri", "tel_uri"]

MIN_DIGITS = 3
"""Fewer digits than this is not a number anyone can dial (112 is the shortest we know)."""

_TRUNK_ZERO = re.compile(r"^\s*\+\s*(\d{1,3})[\s\-./]*\(\s*0\s*\)")
""""+49 (0)171 …": the "(0)" is only dialled from inside the country; a tel: link drops it."""

_ADDRESS_SAFE = "@!$'()*+;:"
"""Characters RFC 6068 allows unencoded in an address (`some-delims` without `,`).

A comma would separate a second recipient, so it is encoded like `?`, `&`, `#`, `%`.
"""


def tel_uri(phone: str | None) -> str | None:
    """A `tel:` URI (RFC 3966, global or local number) for a phone number as typed.

    Keeps the digits and a leading "+" and nothing else: spaces, dashes, dots,
    slashes and brackets are separators people type, and the "(0)" of
    "+49 (0)171 2345678" is dropped because it is not dialled from abroad.

    Args:
        phone: the number as stored, e.g. "+49 171 234-5678" or "030 / 123 45".

    Returns:
        e.g. "tel:+491712345678", or None when there is nothing dialable
        (no number, or fewer than `MIN_DIGITS` digits).
    """
    if not phone:
        return None
    text = _TRUNK_ZERO.sub(lambda match: f"+{match.group(1)}", phone)
    digits = "".join(char for char in text if "0" <= char <= "9")
    if len(digits) < MIN_DIGITS:
        return None
    plus = "+" if text.lstrip().startswith("+") else ""
    return f"tel:{plus}{digits}"


def mailto_uri(email: str, subject: str, body: str) -> str:
    """A `mailto:` URI (RFC 6068) that opens a new message in the user's mail program.

    Everything but unreserved characters is percent-encoded as UTF-8, line
    breaks become %0D%0A, and the address cannot add recipients or headers.

    Args:
        email: the one recipient, e.g. "sabine@example.com".
        subject: the subject line.
        body: the message text; "\\n" line breaks are fine.
    """
    address = quote(email.strip(), safe=_ADDRESS_SAFE)
    crlf_body = body.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")
    return f"mailto:{address}?subject={quote(subject, safe='')}&body={quote(crlf_body, safe='')}"
