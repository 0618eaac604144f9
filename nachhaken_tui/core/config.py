"""User settings from a TOML file; every key optional, every bad value named.

The file lives in the platform's config folder (or `NACHHAKEN_CONFIG`). A
missing file means defaults; a broken one is refused with a message naming the
key, never silently half-applied.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path

from nachhaken_tui.core.errors import UserError
from nachhaken_tui.core.i18n import Catalog
from nachhaken_tui.core.safe_files import read_toml

__all__ = ["Config", "ConfigError", "load_config"]


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
                "de": "{path}: coaching muss \"auto\", \"full\" oder \"faded\" sein, nicht {value!r}",
                "en": "{path}: coaching must be \"auto\", \"full\" or \"faded\", not {value!r}",
            },
            "language": {
                "de": "{path}: language muss \"de\" oder \"en\" sein, nicht {value!r}",
                "en": "{path}: language must be \"de\" or \"en\", not {value!r}",
            },
            "currency": {
                "de": "{path}: currency muss ein dreibuchstabiger ISO-4217-Code sein, nicht {value!r}",
                "en": "{path}: currency must be a three-letter ISO 4217 code, not {value!r}",
            },
            "country": {
                "de": "{path}: für das Land {value!r} gibt es keinen Feiertagskalender",
                "en": "{path}: country {value!r} has no public holiday calendar",
            },
            "subdivision": {
                "de": "{path}: {country} hat keine Region {value!r} (bekannt: {known})",
                "en": "{path}: {country} has no subdivision {value!r} (known: {known})",
            },
        }
    )


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


_INT_RANGES = {
    "first_followup_days": (0, 60),
    "retry_days": (1, 60),
    "max_attempts": (1, 20),
    "coaching_fade_after": (1, 50),
    "coaching_pause_days": (1, 365),
    "expiry_lead_days": (0, 30),
}


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
    for key, value in data.items():
        _check(path, key, value)
    values = dict(data)
    for key in ("country", "currency"):
        if key in values:
            values[key] = values[key].upper()
    if "subdivision" in values:
        country = values.get("country", Config().country)
        values["subdivision"] = _subdivision(path, country, values["subdivision"])
    return Config(**values)


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
        from nachhaken_tui.core.currencies import ISO_CURRENCIES

        if value.upper() not in ISO_CURRENCIES:
            raise ConfigError("currency", path=path, value=value)
    if key == "country":
        import holidays

        if value.upper() not in holidays.list_supported_countries():
            raise ConfigError("country", path=path, value=value)
