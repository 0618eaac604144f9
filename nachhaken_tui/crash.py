"""The last line of defence: an unexpected error becomes a log entry and one line.

Users never see a traceback; the details go to `crash.log` in the platform's
state folder, where a bug report can pick them up. The log holds the error's
type and the code locations only: an exception's message may quote a client's
name or a cell of an imported file, and that is not ours to write to a log.
"""

from __future__ import annotations

import traceback

from nachhaken_tui.core.i18n import Catalog
from nachhaken_tui.core.paths import log_dir

__all__ = ["report_crash"]

_TEXT = Catalog(
    {
        "crash": {
            "de": "nachhaken ist auf einen unerwarteten Fehler gestoßen ({kind}). "
            "Ihre gespeicherten Daten sind unverändert. Details: {log}",
            "en": "nachhaken hit an unexpected error ({kind}). Your saved data is unchanged. Details: {log}",
        },
    }
)


def report_crash(error: BaseException, lang: str) -> str:
    """Log `error` with its traceback and return the one-line message to show."""
    try:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        log = folder / "crash.log"
        with log.open("a", encoding="utf-8") as handle:
            handle.write("".join(traceback.format_tb(error.__traceback__)))
            handle.write(f"{type(error).__module__}.{type(error).__qualname__}\n\n")
        where = str(log)
    except OSError:
        where = "-"
    return _TEXT.text(lang, "crash", kind=type(error).__name__, log=where)
