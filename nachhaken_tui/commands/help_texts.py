"""`--help` in German or English.

Click needs help texts when the commands are defined, before options are
parsed, so the language is decided from the raw arguments (`--lang`), the
config file and the locale. Each command module keeps its own texts in a
`Catalog` and words them with `help_language()` when it is loaded, which
happens while the command line is parsed. The group's own texts, defined
when `nachhaken.cli` is imported, are worded only when a help page shows
them (`commands.common.WordedOption`), so importing reads no config.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from nachhaken_tui.core.text.i18n import Catalog, detect_language

if TYPE_CHECKING:
    import click

__all__ = ["HELP", "help_language", "localize_metavars"]


def help_language(argv: list[str] | None = None) -> str:
    """The language of help texts for this process."""
    args = sys.argv[1:] if argv is None else argv
    for index, arg in enumerate(args):
        if arg == "--lang" and index + 1 < len(args):
            return args[index + 1] if args[index + 1] in ("de", "en") else "en"
        if arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
            return value if value in ("de", "en") else "en"
    return detect_language(None, _configured_language())


def _configured_language() -> str | None:
    from nachhaken_tui.core.config import load_config
    from nachhaken_tui.core.errors import UserError
    from nachhaken_tui.core.paths import default_config_path

    try:
        return load_config(default_config_path()).language
    except UserError:
        return None


HELP = Catalog(
    {
        "cli": {
            "de": "nachhaken: Angebote nachfassen, ohne zu zögern. Ohne Unterbefehl öffnet sich die "
            "Oberfläche mit dem Posteingang fälliger Angebote und dem Gesprächsleitfaden.",
            "en": "nachhaken: follow up on your offers without dread. Without a subcommand it opens "
            "the app: the inbox of due offers and the guided call script.",
        },
        "opt_db": {
            "de": "Datenbankdatei (sonst NACHHAKEN_DB oder der Datenordner des Systems).",
            "en": "Database file (else NACHHAKEN_DB, else the platform's data folder).",
        },
        "opt_lang": {
            "de": "Sprache der Texte: de oder en (sonst Konfiguration, dann Systemsprache).",
            "en": "Language of all text: de or en (else the config, then the locale).",
        },
        "opt_demo": {
            "de": "Mit einer frischen Demo-Datenbank in einem temporären Ordner starten "
            "(nie mit deinen echten Daten).",
            "en": "Open on a fresh demo database in a temporary folder (never your real data).",
        },
        "opt_script": {
            "de": "Eigenen Gesprächsleitfaden (TOML-Datei) verwenden.",
            "en": "Use your own call script (a TOML file).",
        },
    }
)


_GERMAN_METAVARS = {
    "[OPTIONS]": "[OPTIONEN]",
    "COMMAND [ARGS]...": "BEFEHL [ARGUMENTE]...",
    "[COMMAND] [ARGS]...": "[BEFEHL] [ARGUMENTE]...",
    "FILE": "DATEI",
    "DIRECTORY": "ORDNER",
    "PATH": "PFAD",
    "COLUMN=FIELD": "SPALTE=FELD",
    "TEXT": "TEXT",
    "AMOUNT": "BETRAG",
    "CODE": "CODE",
    "DATE": "DATUM",
    "NAME": "NAME",
    "ID": "NUMMER",
    "CHAR": "ZEICHEN",
    "INTEGER": "ZAHL",
}
"""The placeholders of usage lines and options ("--map COLUMN=FIELD"), as German help shows them."""


def localize_metavars(command: click.Command, lang: str | None = None) -> click.Command:
    """`command` with the placeholders of its help in `lang` (German: `[OPTIONEN] DATEI`,
    `--map SPALTE=FELD`; English: Click's own). Returns `command`, changed in place;
    calling it again with the other language switches back.

    Click builds a placeholder from an option's `metavar`, else from its type
    (a file path is `FILE`), else from an argument's name; each is looked up
    in `_GERMAN_METAVARS`, and choices (`[de|en]`) stay as they are. A
    subcommand is worded when it is loaded, in `help_language()` (as its help
    texts are); the group when its usage line is shown (`cli._Group`).
    """
    english = command.__dict__.setdefault("_english_metavars", _english_metavars(command))
    german = (lang or help_language()) == "de"
    for owner, attribute, shown in english:
        if not german:
            value = shown
        elif shown is not None:
            value = _GERMAN_METAVARS.get(shown, shown)
        else:  # a parameter whose placeholder Click makes from its type or name
            value = _implicit_german(owner) if attribute == "metavar" else None
        setattr(owner, attribute, value)
    return command


def _english_metavars(command: click.Command) -> list[tuple[object, str, str | None]]:
    """(owner, attribute, value) of every placeholder as Click words it, before any change."""
    import click

    found: list[tuple[object, str, str | None]] = [(command, "options_metavar", command.options_metavar)]
    if isinstance(command, click.Group):
        found.append((command, "subcommand_metavar", command.subcommand_metavar))
    found += [(param, "metavar", param.metavar) for param in command.params]
    return found


def _implicit_german(param: click.Parameter) -> str | None:
    """The German for a placeholder Click would make itself (None: leave it to Click)."""
    import click

    if isinstance(param, click.Option) and param.is_flag or isinstance(param.type, click.Choice):
        return None
    if isinstance(param.type, click.Path):
        shown = "FILE" if not param.type.dir_okay else "DIRECTORY" if not param.type.file_okay else "PATH"
    elif isinstance(param, click.Argument):
        shown = (param.name or "").upper()
    else:
        shown = param.type.name.upper()
    if shown not in _GERMAN_METAVARS:
        return None
    german = _GERMAN_METAVARS[shown]
    if isinstance(param, click.Argument):  # Click adds these only to a metavar it made itself
        german += "..." if param.nargs != 1 else ""
        german = german if param.required else f"[{german}]"
    return german
