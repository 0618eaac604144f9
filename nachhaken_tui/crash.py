"""The last line of defence: an unexpected error becomes a log entry and one line.

Users never see a traceback; the details go to `crash.log` in the platform's
state folder, where a bug report can pick them up. The log holds the error's
type and the code locations only: an exception's message may quote a client's
name or a cell of an imported file, and that is not ours to write to a log.
"""

from __future__ import annotations

import os
import traceback

from nachhaken_tui.core.paths import log_dir
from nachhaken_tui.core.text.i18n import Catalog

__all__ = ["report_crash"]

_TEXT = Catalog(
    {
        "crash": {
            "de": "nachhaken ist auf einen unerwarteten Fehler gestoßen ({kind}). "
            "Deine gespeicherten Daten sind unverändert. Details: {log}",
            "en": "nachhaken hit an unexpected error ({kind}). Your saved data is unchanged. Details: {log}",
        },
    }
)


def report_crash(error: BaseException, lang: str) -> str:
    """Log `error` with its traceback and return the one-line message to show.

    An error from a Textual worker arrives wrapped in `WorkerFailed`, which
    was never raised and so has no traceback of its own: the error inside is
    the one to log and name (before, crash.log held one useless line for a
    crash while saving; issue 7). Errors it was raised from or while handling
    are logged after it, again as locations and types only.
    """
    error = _unwrap(error)
    try:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        log = folder / "crash.log"
        with log.open("a", encoding="utf-8") as handle:
            for number, link in enumerate(_chain(error)):
                if number:
                    handle.write("-- while handling or caused by:\n")
                handle.write("".join(traceback.format_tb(link.__traceback__)))
                handle.write(f"{type(link).__module__}.{type(link).__qualname__}\n")
            handle.write("\n")
        os.chmod(log, 0o600)
        where = str(log)
    except OSError:
        where = "-"
    return _TEXT.text(lang, "crash", kind=type(error).__name__, log=where)


def _unwrap(error: BaseException) -> BaseException:
    """The error a Textual `WorkerFailed` carries (duck-typed: no Textual import here)."""
    inner = getattr(error, "error", None)
    if type(error).__name__ == "WorkerFailed" and isinstance(inner, BaseException):
        return inner
    return error


def _chain(error: BaseException) -> list[BaseException]:
    """`error`, then its cause or context, and so on (each once)."""
    chain: list[BaseException] = []
    link: BaseException | None = error
    while link is not None and link not in chain and len(chain) < 10:
        chain.append(link)
        link = link.__cause__ or (None if link.__suppress_context__ else link.__context__)
    return chain
