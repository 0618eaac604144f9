"""`nachhaken away`: enter, list and remove the periods you are away.

No follow-up falls on those days (they count like public holidays), the
overdue count does not grow during them, and an open offer dated inside one
moves to the first business day after it. Dates are typed as in the app:
`21.12.`, `2026-12-21`, `morgen`, `+3`, `Montag`.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

import click

from nachhaken_tui.commands.common import AppContext, common_options, pass_app
from nachhaken_tui.commands.help_texts import help_language
from nachhaken_tui.core.db.absences import Absence, add_absence, list_absences, period_text, remove_absence
from nachhaken_tui.core.errors import UserError
from nachhaken_tui.core.input.dates import parse_user_date
from nachhaken_tui.core.input.fields import ParseError
from nachhaken_tui.core.text.i18n import Catalog
from nachhaken_tui.core.text.terminal import terminal_safe

__all__ = ["away"]

_TEXT = Catalog(
    {
        "help": {
            "de": "Zeit, in der du weg bist (Urlaub, Krankheit): nachhaken away VON BIS [--note TEXT]. "
            "An diesen Tagen ist kein Nachfassen fällig, überfällige Angebote werden nicht "
            "überfälliger, und ein Angebot, dessen Termin hineinfällt, kommt am ersten Werktag danach. "
            "Daten wie in der App: 21.12., 2026-12-21, morgen, +3, Montag.",
            "en": "Time you are away (holiday, illness): nachhaken away FROM TO [--note TEXT]. "
            "No follow-up falls on those days, overdue offers do not grow more overdue, and an offer "
            "dated inside the period comes back on the first business day after it. Dates as in the "
            "app: 21.12., 2026-12-21, tomorrow, +3, monday.",
        },
        "note": {"de": "Eine Notiz, z. B. „Skiurlaub“.", "en": "A note, e.g. “skiing”."},
        "list": {"de": "Alle Zeiträume auflisten.", "en": "List every period."},
        "remove": {
            "de": "Den Zeitraum mit dieser Nummer löschen (siehe --list).",
            "en": "Delete the period with this id (see --list).",
        },
        "usage": {
            "de": "Bitte VON und BIS angeben (z. B. nachhaken away 21.12. 4.1.), oder --list, oder --remove NUMMER.",
            "en": "Please give FROM and TO (e.g. nachhaken away 21.12. 4.1.), or --list, or --remove ID.",
        },
        "from": {"de": "VON", "en": "FROM"},
        "to": {"de": "BIS", "en": "TO"},
        "added": {"de": "Weg: {period} (#{id}).", "en": "Away: {period} (#{id})."},
        "removed": {"de": "Gelöscht: {period} (#{id}).", "en": "Removed: {period} (#{id})."},
        "moved_0": {
            "de": "Kein offenes Angebot musste verschoben werden.",
            "en": "No open offer had to move.",
        },
        "moved_1": {"de": "1 offenes Angebot hat einen neuen Termin.", "en": "1 open offer has a new date."},
        "moved_n": {
            "de": "{n} offene Angebote haben einen neuen Termin.",
            "en": "{n} open offers have a new date.",
        },
        "none": {
            "de": "Keine Abwesenheiten eingetragen. nachhaken away VON BIS trägt eine ein.",
            "en": "No time away entered. nachhaken away FROM TO enters one.",
        },
        "past": {"de": "(vorbei)", "en": "(past)"},
    }
)
_help = partial(_TEXT.text, help_language())


class _AwayUsage(UserError):
    """Neither dates nor --list/--remove, or both."""

    catalog = _TEXT


@click.command("away", help=_help("help"))
@common_options
@click.argument("dates", nargs=-1, metavar="FROM TO")
@click.option("--note", metavar="TEXT", help=_help("note"))
@click.option("--list", "show_list", is_flag=True, help=_help("list"))
@click.option("--remove", "remove_id", metavar="ID", type=int, help=_help("remove"))
@pass_app
def away(
    app: AppContext, dates: tuple[str, ...], note: str | None, show_list: bool, remove_id: int | None
) -> None:
    lang = app.lang
    chosen = sum((bool(dates), show_list, remove_id is not None))
    if chosen != 1 or (dates and len(dates) != 2) or (note is not None and not dates):
        raise _AwayUsage("usage")
    if dates:
        start, end = (_date(text, name, app) for text, name in zip(dates, ("from", "to"), strict=True))
    store = app.open_store(create=not (show_list or remove_id is not None))
    try:
        if show_list:
            _list(list_absences(store), app)
            return
        if remove_id is not None:
            change = remove_absence(store, remove_id, app.today)
            key = "removed"
        else:
            change = add_absence(store, start, end, note, app.today)
            key = "added"
    finally:
        store.close()
    period = period_text(change.absence, lang)
    click.echo(_TEXT.text(lang, key, period=period, id=change.absence.id))
    moved = change.moved
    click.echo(_TEXT.text(lang, "moved_0" if moved == 0 else "moved_1" if moved == 1 else "moved_n", n=moved))


def _date(text: str, name: str, app: AppContext) -> dt.date:
    try:
        return parse_user_date(text, app.today)
    except ParseError as error:
        label = _TEXT.text(app.lang, name)
        raise _DateProblem(label, error) from None


class _DateProblem(UserError):
    """FROM or TO is not a date; the message names which."""

    def __init__(self, label: str, error: ParseError) -> None:
        self.label, self.error = label, error
        super().__init__("date")

    def message(self, lang: str) -> str:
        return f"{self.label}: {self.error.message(lang)}"


def _list(absences: list[Absence], app: AppContext) -> None:
    if not absences:
        click.echo(_TEXT.text(app.lang, "none"))
        return
    for absence in absences:
        parts = [f"#{absence.id}", period_text(absence, app.lang)]
        if absence.note:
            parts.append(terminal_safe(absence.note))
        if absence.ends_on < app.today:
            parts.append(_TEXT.text(app.lang, "past"))
        click.echo("  ".join(parts))
