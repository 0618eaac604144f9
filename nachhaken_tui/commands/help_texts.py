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

from nachhaken_tui.core.i18n import Catalog, detect_language

__all__ = ["HELP", "help_language"]


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
