"""User settings from a TOML file; every key optional, every bad value named.

The file lives in the platform's config folder (or `NACHHAKEN_CONFIG`). A
missing file means defaults; a broken one is refused with a message naming the
key, never silently half-applied.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from nachhaken_tui.core.errors import UserError
from nachhaken_tui.core.safe_files import SETTINGS_LIMIT, FileRefused, read_input, read_toml
from nachhaken_tui.core.text.i18n import Catalog

__all__ = ["Config", "ConfigError", "Profile", "has_profile", "load_config", "save_profile"]


class ConfigError(UserError):
    """The config file cannot be used; the message names the file and the key."""

    catalog = Catalog(
        {
            "unknown_key": {
                "de": "{path}: unbekannter Schlüssel {key!r} (bekannt: {known})",
                "en": "{path}: unknown key {key!r} (known: {known})",
            },
            "int_range": {
                "de": "{path}: {key} muss eine ganze Zahl von {low} bis {high} sein, nicht {value!r}",
                "en": "{path}: {key} must be a whole number from {low} to {high}, not {value!r}",
            },
            "text": {
                "de": "{path}: {key} muss ein nicht leerer Text sein, nicht {value!r}",
                "en": "{path}: {key} must be a non-empty text, not {value!r}",
            },
            "bool": {
                "de": "{path}: {key} muss true oder false sein, nicht {value!r}",
                "en": "{path}: {key} must be true or false, not {value!r}",
            },
            "coaching": {
                "de": '{path}: coaching muss "auto", "full" oder "faded" sein, nicht {value!r}',
                "en": '{path}: coaching must be "auto", "full" or "faded", not {value!r}',
            },
            "language": {
                "de": '{path}: language muss "de" oder "en" sein, nicht {value!r}',
                "en": '{path}: language must be "de" or "en", not {value!r}',
            },
            "currency": {
                "de": "{path}: currency muss ein dreibuchstabiger ISO-4217-Code sein, nicht {value!r}",
                "en": "{path}: currency must be a three-letter ISO 4217 code, not {value!r}",
            },
            "country": {
                "de": "{path}: für das Land {value!r} gibt es keinen Feiertagskalender",
                "en": "{path}: country {value!r} has no public holiday calendar",
            },
            "me_key": {
                "de": "{path}: unbekannter Schlüssel {key!r} in [me] (bekannt: name, phone, signature)",
                "en": "{path}: unknown key {key!r} in [me] (known: name, phone, signature)",
            },
            "me_text": {
                "de": "{path}: me.{key} muss ein Text sein, nicht {value!r}",
                "en": "{path}: me.{key} must be a text, not {value!r}",
            },
            "me_table": {
                "de": "{path}: [me] muss eine Tabelle sein (name, phone, signature), nicht {value!r}",
                "en": "{path}: [me] must be a table (name, phone, signature), not {value!r}",
            },
            "subdivision": {
                "de": "{path}: {country} hat keine Region {value!r} (bekannt: {known})",
                "en": "{path}: {country} has no subdivision {value!r} (known: {known})",
            },
        }
    )


@dataclass(frozen=True, slots=True)
class Profile:
    """Your own details, from the config's `[me]` table; each may be empty.

    They fill the call script (voicemail, opener) and the close-the-loop
    e-mail, so no script ever shows a "<your name>" the user cannot fill.

    Attributes:
        name: how you introduce yourself ("Anna Weber").
        phone: the number clients can call you back on.
        signature: the lines under an e-mail (your name if empty).
    """

    name: str = ""
    phone: str = ""
    signature: str = ""


@dataclass(frozen=True, slots=True)
class Config:
    """Settings that shape cadence, language and money.

    Attributes:
        language: "de" or "en"; None follows the locale.
        country: ISO country code for public holidays (holidays package).
        subdivision: state/region code, e.g. "BY" for Bavaria; None = national.
        currency: ISO 4217 code used when an offer names none.
        first_followup_days: business days after sending until the first call.
        retry_days: business days after an unanswered attempt until the next.
        max_attempts: unanswered attempts before a close-the-loop message.
        expiry_lead_days: business days before an offer's validity ends that
            its follow-up moves to, when the cadence would call later.
        script: path of a user's own call script (TOML); None = the shipped one.
        coaching: "auto" fades the coaching once the user's ratings say they
            are calm and brings it back by itself; "full" or "faded" sets
            that mode for good.
        coaching_fade_after: the last this many rated calls must all have had
            a hesitation of 2 or less before the coaching fades.
        coaching_pause_days: after this many days without a call the full
            coaching comes back.
        calibration: with the fear, guess how likely it is (10–90 %).
        revised_followup_days: business days after a revised offer is sent
            until the follow-up call.
        me: your own details (`[me]`: name, phone, signature).
    """

    language: str | None = None
    country: str = "DE"
    subdivision: str | None = None
    currency: str = "EUR"
    first_followup_days: int = 3
    retry_days: int = 2
    max_attempts: int = 3
    expiry_lead_days: int = 2
    script: str | None = None
    coaching: str = "auto"
    coaching_fade_after: int = 5
    coaching_pause_days: int = 14
    calibration: bool = True
    revised_followup_days: int = 2
    me: Profile = field(default_factory=Profile)


_INT_RANGES = {
    "first_followup_days": (0, 60),
    "retry_days": (1, 60),
    "max_attempts": (1, 20),
    "coaching_fade_after": (1, 50),
    "coaching_pause_days": (1, 365),
    "expiry_lead_days": (0, 30),
    "revised_followup_days": (0, 60),
}
_PROFILE_KEYS = ("name", "phone", "signature")


def load_config(path: Path) -> Config:
    """Read `path`; defaults when it does not exist.

    Raises:
        FileRefused: not a regular file, larger than 1 MiB, not UTF-8, or
            not valid TOML (`core.safe_files.read_toml`).
        ConfigError: an unknown key, or a value of the wrong type or range.
    """
    if not os.path.lexists(path):
        return Config()
    data = read_toml(path)
    known = {f.name for f in fields(Config)}
    for key in data:
        if key not in known:
            raise ConfigError("unknown_key", path=path, key=key, known=", ".join(sorted(known)))
    values = dict(data)
    if "me" in values:
        values["me"] = _profile(path, values["me"])
    for key, value in data.items():
        if key != "me":
            _check(path, key, value)
    for key in ("country", "currency"):
        if key in values:
            values[key] = values[key].upper()
    if "subdivision" in values:
        country = values.get("country", Config().country)
        values["subdivision"] = _subdivision(path, country, values["subdivision"])
    return Config(**values)


def _profile(path: Path, table: object) -> Profile:
    if not isinstance(table, dict):
        raise ConfigError("me_table", path=path, value=table)
    for key, value in table.items():
        if key not in _PROFILE_KEYS:
            raise ConfigError("me_key", path=path, key=key)
        if not isinstance(value, str):
            raise ConfigError("me_text", path=path, key=key, value=value)
    return Profile(**{key: table[key].strip() for key in table})


def has_profile(path: Path) -> bool:
    """Whether the config file has a `[me]` table: the first-run question was answered (or skipped).

    A file that cannot be read counts as answered: the app must not offer to
    write a profile into a file it could not read.
    """
    if not os.path.lexists(path):
        return False
    try:
        return "me" in read_toml(path)
    except FileRefused:
        return True


_ME_TABLE = re.compile(r"(?ms)^\[me\][ \t]*(?:#[^\n]*)?\n.*?(?=^\[|\Z)")


def save_profile(path: Path, profile: Profile) -> None:
    """Write `profile` as the config's `[me]` table; every other line stays as it was.

    An existing `[me]` table is replaced in place, else the table goes at the
    end (a TOML table must follow the top-level keys). The file is written to
    a temporary file and renamed, so a full disk never leaves half a config.
    An all-empty profile is written as an empty `[me]`: the question was
    asked, and skipped.

    Raises:
        FileRefused: the file cannot be read (`safe_files.read_input`) or written.
    """
    lines = ["[me]"]
    for key in _PROFILE_KEYS:
        value = getattr(profile, key)
        if value:
            lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
    table = "\n".join(lines) + "\n"
    try:
        text = read_input(path, SETTINGS_LIMIT).decode("utf-8") if os.path.lexists(path) else ""
    except UnicodeDecodeError as exc:
        raise FileRefused("not_utf8", path=path, position=exc.start) from None
    if _ME_TABLE.search(text):
        text = _ME_TABLE.sub(lambda _: table + "\n", text, count=1).rstrip("\n") + "\n"
    else:
        text = (text.rstrip("\n") + "\n\n" if text.strip() else "") + table
    tomllib.loads(text)  # what we write must read back
    temporary = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise FileRefused("unwritable", path=path, reason=exc.strerror or exc) from None


def _subdivision(path: Path, country: str, value: str) -> str:
    """The holidays package's spelling of a region code, or a ConfigError.

    Checked here because `holidays` raises NotImplementedError for an unknown
    region the first time a date is computed, which `nachhaken add` reported
    as a crash (issue 7).
    """
    import holidays

    known = holidays.list_supported_countries().get(country, [])
    canonical = {code.upper(): code for code in known}.get(value.upper())
    if canonical is None:
        raise ConfigError(
            "subdivision", path=path, country=country, value=value, known=", ".join(known) or "–"
        )
    return canonical


def _check(path: Path, key: str, value: object) -> None:
    if key in _INT_RANGES:
        low, high = _INT_RANGES[key]
        if type(value) is not int or not low <= value <= high:
            raise ConfigError("int_range", path=path, key=key, low=low, high=high, value=value)
        return
    if key == "calibration":
        if not isinstance(value, bool):
            raise ConfigError("bool", path=path, key=key, value=value)
        return
    if not isinstance(value, str) or not value.strip():
        raise ConfigError("text", path=path, key=key, value=value)
    if key == "coaching" and value not in ("auto", "full", "faded"):
        raise ConfigError("coaching", path=path, value=value)
    if key == "language" and value not in ("de", "en"):
        raise ConfigError("language", path=path, value=value)
    if key == "currency":
        # The same list `nachhaken add --currency` checks against: "XYZ" is
        # three letters but no currency, and the config must not let in what
        # the command line refuses (issue 7).
        from nachhaken_tui.core.text.currencies import ISO_CURRENCIES

        if value.upper() not in ISO_CURRENCIES:
            raise ConfigError("currency", path=path, value=value)
    if key == "country":
        import holidays

        if value.upper() not in holidays.list_supported_countries():
            raise ConfigError("country", path=path, value=value)
