"""The config file: defaults, valid values, and messages that name the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from nachhaken_tui.core.config import Config, load_config
from nachhaken_tui.core.errors import UserError


def test_missing_file_means_defaults(tmp_path):
    assert load_config(tmp_path / "none.toml") == Config()


def test_valid_file_is_read_and_codes_uppercased(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text(
        'language = "de"\ncountry = "at"\nsubdivision = "9"\ncurrency = "chf"\n'
        "first_followup_days = 5\nretry_days = 1\nmax_attempts = 4\n",
        encoding="utf-8",
    )
    assert load_config(path) == Config(
        language="de",
        country="AT",
        subdivision="9",
        currency="CHF",
        first_followup_days=5,
        retry_days=1,
        max_attempts=4,
    )


@pytest.mark.parametrize(
    ("text", "english", "german"),
    [
        ("retry_days = [", "not valid TOML", "kein gültiges TOML"),
        ("colour = 'red'", "unknown key 'colour'", "unbekannter Schlüssel 'colour'"),
        ("retry_days = 'two'", "retry_days must be a whole number from 1 to 60", "retry_days muss"),
        ("retry_days = 0", "retry_days must be a whole number", "ganze Zahl"),
        ("max_attempts = true", "max_attempts must be a whole number", "max_attempts muss"),
        ("language = 'fr'", 'language must be "de" or "en"', 'language muss "de" oder "en"'),
        ("currency = 'EURO'", "three-letter ISO 4217", "ISO-4217"),
        ("country = 'XX'", "country 'XX' has no public holiday calendar", "Feiertagskalender"),
        ("subdivision = 3", "subdivision must be a non-empty text", "subdivision muss"),
        ("coaching = 'sometimes'", 'coaching must be "auto", "full" or "faded"', "coaching muss"),
        ("calibration = 'no'", "calibration must be true or false", "calibration muss true oder false"),
        ("coaching_fade_after = 0", "coaching_fade_after must be a whole number from 1 to 50", "ganze Zahl"),
        (
            "coaching_pause_days = 400",
            "coaching_pause_days must be a whole number from 1 to 365",
            "ganze Zahl",
        ),
    ],
)
def test_invalid_values_name_the_key_in_both_languages(tmp_path: Path, text, english, german):
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as caught:
        load_config(path)
    assert english in str(caught.value)
    assert str(path) in str(caught.value)
    assert german in caught.value.message("de")


def test_the_coaching_keys_are_read(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text(
        'coaching = "full"\ncalibration = false\ncoaching_fade_after = 3\ncoaching_pause_days = 7\n',
        encoding="utf-8",
    )
    assert load_config(path) == Config(
        coaching="full", calibration=False, coaching_fade_after=3, coaching_pause_days=7
    )
    assert (Config().coaching, Config().calibration, Config().coaching_fade_after) == ("auto", True, 5)
