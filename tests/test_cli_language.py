"""Click's own words (help option, --version, usage lines and usage errors) in the user's language."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from nachhaken_tui.cli import cli


def _invoke(*args: str):
    return CliRunner().invoke(cli, list(args), prog_name="nachhaken")


def _help_pages(lang: str) -> str:
    """`nachhaken --help` and `nachhaken import --help` as a process started with `--lang` words them.

    Help texts are chosen when the commands are defined, from the command line
    the process was started with, hence the fresh interpreter.
    """
    code = (
        "import sys\n"
        f"sys.argv = ['nachhaken', '--lang', {lang!r}]\n"
        "from click.testing import CliRunner\n"
        "from nachhaken_tui.cli import cli\n"
        f"for args in (['--lang', {lang!r}, '--help'], ['import', '--help', '--lang', {lang!r}]):\n"
        "    result = CliRunner().invoke(cli, args, prog_name='nachhaken')\n"
        "    print(f'## {result.exit_code}')\n"
        "    print(result.output)\n"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize(
    ("lang", "expected", "absent"),
    [
        (
            "de",
            [
                "Aufruf: nachhaken [OPTIONEN] [BEFEHL] [ARGUMENTE]...",
                "Aufruf: nachhaken import [OPTIONEN] DATEI",
                "--map SPALTE=FELD",
                "--db DATEI",
                "Optionen:",
                "Befehle:",
                "Diese Hilfe zeigen und beenden.",
                "Die Version zeigen und beenden.",
            ],
            [
                "Usage:",
                "Options:",
                "Commands:",
                "Show this message",
                "Show the version",
                "[OPTIONS]",
                "COLUMN=FIELD",
                " FILE",
            ],
        ),
        (
            "en",
            [
                "Usage: nachhaken [OPTIONS]",
                "Usage: nachhaken import [OPTIONS] FILE",
                "--map COLUMN=FIELD",
                "Options:",
                "Commands:",
                "Show this message and exit.",
                "Show the version and exit.",
            ],
            ["Aufruf:", "Optionen:", "Diese Hilfe"],
        ),
    ],
)
def test_help_pages_are_in_the_language_asked_for(lang, expected, absent):
    output = _help_pages(lang)
    assert output.count("## 0") == 2
    for text in expected:
        assert text in output
    for text in absent:
        assert text not in output
    assert output.count("-h, --help") == 2  # one help option each, not Click's as well as ours


def test_the_help_option_is_still_last_and_h_still_works():
    lines = [line for line in _invoke("due", "-h").output.splitlines() if line.startswith("  -")]
    assert lines[-1].startswith("  -h, --help")


@pytest.mark.parametrize(("lang", "expected"), [("de", "nachhaken, Version "), ("en", "nachhaken, version ")])
def test_version_in_both_languages(lang, expected):
    for args in (["--lang", lang, "--version"], ["--version", "--lang", lang]):
        result = _invoke(*args)
        assert result.exit_code == 0
        assert result.output.startswith(expected)


@pytest.mark.parametrize(
    ("args", "german", "english"),
    [
        (
            ["import"],
            (
                "Aufruf: nachhaken import [OPTIONS] FILE\nHilfe mit 'nachhaken import --help'.\n\n"
                "Fehler: Fehlendes Argument 'FILE'.\n"
            ),
            (
                "Usage: nachhaken import [OPTIONS] FILE\nTry 'nachhaken import --help' for help.\n\n"
                "Error: Missing argument 'FILE'.\n"
            ),
        ),
        (
            ["--bogus"],
            (
                "Aufruf: nachhaken [OPTIONEN] [BEFEHL] [ARGUMENTE]...\nHilfe mit 'nachhaken --help'.\n\n"
                "Fehler: Unbekannte Option '--bogus'.\n"
            ),
            (
                "Usage: nachhaken [OPTIONS] [COMMAND] [ARGS]...\nTry 'nachhaken --help' for help.\n\n"
                "Error: No such option '--bogus'.\n"
            ),
        ),
        (
            ["due", "--jso"],
            "Fehler: Unbekannte Option '--jso'. Meintest du '--json'?\n",
            "Error: No such option '--jso'. Did you mean '--json'?\n",
        ),
        (
            ["due", "extra"],
            "Fehler: Unerwartetes zusätzliches Argument (extra)\n",
            "Error: Got unexpected extra argument (extra)\n",
        ),
        (
            ["export", "--format", "xml"],
            "Fehler: Ungültiger Wert für '--format': 'xml' geht nicht; möglich sind 'csv', 'json'.\n",
            "Error: Invalid value for '--format': 'xml' is not one of 'csv', 'json'.\n",
        ),
        (
            ["add", "--client"],
            "Fehler: Die Option '--client' braucht einen Wert.\n",
            "Error: Option '--client' requires an argument.\n",
        ),
    ],
)
def test_usage_errors_speak_the_language_and_exit_with_1(args, german, english):
    """Wherever --lang stands: before the error, after it, at the group or the command."""
    for lang, expected in (("de", german), ("en", english)):
        # after `add --client`, a --lang would be the client's name
        orders = (
            [["--lang", lang, *args]]
            if args[-1] == "--client"
            else [["--lang", lang, *args], [*args, "--lang", lang]]
        )
        for given in orders:
            result = _invoke(*given)
            assert result.exit_code == 1, given
            assert result.stdout == ""
            assert result.stderr.endswith(expected), (given, result.stderr)


def test_a_usage_error_follows_the_config_and_the_locale(monkeypatch, tmp_path: Path):
    assert _invoke("import").stderr.endswith("Error: Missing argument 'FILE'.\n")  # conftest: LANG=en_US
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert _invoke("import").stderr.endswith("Fehler: Fehlendes Argument 'FILE'.\n")
    assert _invoke("--lang", "en", "import").stderr.endswith("Error: Missing argument 'FILE'.\n")


def test_an_unknown_language_is_refused_in_english():
    result = _invoke("--lang", "fr", "due")
    assert result.exit_code == 1
    assert result.stderr.endswith("Error: Invalid value for '--lang': 'fr' is not one of 'de', 'en'.\n")


def test_an_option_checked_after_lang_speaks_its_language(tmp_path: Path):
    """--lang is eager: read before --db is checked, even when it comes after it."""
    result = _invoke("--db", str(tmp_path), "--lang", "de", "due")
    assert result.exit_code == 1
    assert result.stderr.endswith(
        f"Fehler: Ungültiger Wert für '--db': '{tmp_path}' ist ein Ordner, keine Datei.\n"
    )


def test_a_german_usage_error_comes_from_clicks_catalog(monkeypatch):
    """Click words the message itself, from the German catalog: change the catalog, the message changes."""
    import gettext

    from nachhaken_tui import cli as cli_module

    german = gettext.translation("click", cli_module._LOCALE_DIR, languages=["de"])
    assert german.gettext("No such option {name!r}.") == "Unbekannte Option {name!r}."
    monkeypatch.setattr(
        german, "_catalog", {**german._catalog, "No such option {name!r}.": "Aus dem Katalog: {name!r}."}
    )
    monkeypatch.setattr(
        cli_module, "_catalog", lambda lang: german if lang == "de" else gettext.NullTranslations()
    )
    assert _invoke("--lang", "de", "--bogus").stderr.endswith("Fehler: Aus dem Katalog: '--bogus'.\n")


def test_english_stays_english_after_a_german_run():
    assert _invoke("--lang", "de", "--bogus").stderr.endswith("Fehler: Unbekannte Option '--bogus'.\n")
    assert _invoke("--lang", "en", "--bogus").stderr.endswith("Error: No such option '--bogus'.\n")
    import click

    @click.command()
    def plain() -> None:
        pass

    assert "Error: No such option '--bogus'." in CliRunner().invoke(plain, ["--bogus"]).output
