"""`nachhaken forget`: erase a client's (or some offers') data for good.

On an interactive terminal it lists what would go and asks first ("Really
erase everything about Müller & Söhne? [y/N]"); `--yes` skips the question,
and so does a run without a terminal (a script or cron job states its intent
on the command line). `--dry-run` only shows what would go. Afterwards it says what was erased, and where traces may
still be (other offers mentioning the same name or number, older backups).
"""

from __future__ import annotations

import os
import sys
from functools import partial

import click

from nachhaken_tui.commands.common import AppContext, common_options, pass_app, say
from nachhaken_tui.commands.help_texts import help_language
from nachhaken_tui.core.db.privacy import OfferSummary, forget_offers, offers_by_id, offers_of_client
from nachhaken_tui.core.errors import UserError
from nachhaken_tui.core.text.i18n import Catalog, format_date_long
from nachhaken_tui.core.text.terminal import terminal_safe
from nachhaken_tui.core.text.wording import status_label

__all__ = ["forget"]

_TEXT = Catalog(
    {
        "help": {
            "de": "Die Angebote eines Kunden (--client) oder einzelne Angebote (--offer) mit allen "
            "Anrufen und Antworten endgültig löschen; danach wird die Datei neu aufgebaut, sodass "
            "kein Byte davon in ihr bleibt. --dry-run zeigt nur, was gelöscht würde.",
            "en": "Erase a client's offers (--client) or single offers (--offer) with all their calls "
            "and answers for good; the file is then rebuilt so that no byte of them stays in it. "
            "--dry-run only shows what would go.",
        },
        "client": {
            "de": "Der Kundenname, genau wie gespeichert (Groß-/Kleinschreibung egal).",
            "en": "The client's name, exactly as stored (case does not matter).",
        },
        "offer": {"de": "Nummer eines Angebots (mehrfach möglich).", "en": "An offer's id (repeatable)."},
        "dry_run": {
            "de": "Nur auflisten, was gelöscht würde; nichts ändern.",
            "en": "Only list what would be erased; change nothing.",
        },
        "finish": {
            "de": "Nur die Datei neu aufbauen, um ein früheres forget abzuschließen, das daran "
            "gescheitert ist (etwa an vollem Speicherplatz).",
            "en": "Only rebuild the file, to finish an earlier forget that could not (a full disk, say).",
        },
        "usage": {
            "de": "Bitte genau eines angeben: --client NAME, --offer NUMMER oder --finish.",
            "en": "Please give exactly one of --client NAME, --offer ID or --finish.",
        },
        "finished": {
            "de": "Die Datei wurde neu aufgebaut: Kein Byte gelöschter Daten ist mehr in ihr oder "
            "ihrem Protokoll.",
            "en": "The file was rebuilt: no byte of erased data is left in the file or its log.",
        },
        "would_erase": {
            "de": "Würde {offers} löschen, mit {calls} und {answers}:",
            "en": "Would erase {offers}, with {calls} and {answers}:",
        },
        "erased": {
            "de": "Gelöscht: {offers}, mit {calls} und {answers}:",
            "en": "Erased {offers}, with {calls} and {answers}:",
        },
        "offers_1": {"de": "1 Angebot", "en": "1 offer"},
        "offers_n": {"de": "{n} Angebote", "en": "{n} offers"},
        "calls_1": {"de": "1 Anruf", "en": "1 call"},
        "calls_n": {"de": "{n} Anrufe", "en": "{n} calls"},
        "with_calls_1": {"de": "1 Anruf", "en": "1 call"},
        "with_calls_n": {"de": "{n} Anrufen", "en": "{n} calls"},
        "with_answers_1": {"de": "1 Antwort", "en": "1 answer"},
        "with_answers_n": {"de": "{n} Antworten", "en": "{n} answers"},
        "line": {
            "de": "#{id} {client} · {title} · gesendet {sent} · {status} · {calls}",
            "en": "#{id} {client} · {title} · sent {sent} · {status} · {calls}",
        },
        "dry_run_done": {"de": "Nichts wurde gelöscht (--dry-run).", "en": "Nothing was erased (--dry-run)."},
        "yes": {
            "de": "Nicht nachfragen (für Skripte); ohne Terminal wird ohnehin nicht gefragt.",
            "en": "Do not ask first (for scripts); without a terminal nothing is asked anyway.",
        },
        "really": {
            "de": "Wirklich alles über {who} löschen? [j/N]",
            "en": "Really erase everything about {who}? [y/N]",
        },
        "kept": {"de": "Nichts wurde gelöscht.", "en": "Nothing was erased."},
        "compacted": {
            "de": "Die Datei wurde neu aufgebaut: Kein Byte davon ist mehr in ihr oder ihrem Protokoll.",
            "en": "The file was rebuilt: no byte of it is left in the file or its log.",
        },
        "not_compacted": {
            "de": "Ein anderes Programm liest die Datenbank gerade, daher ist ihr Protokoll (-wal) noch "
            "nicht geleert. Es wird geleert, sobald nachhaken überall geschlossen ist.",
            "en": "Another program is reading the database, so its log (-wal) is not emptied yet. It "
            "is emptied once nachhaken is closed everywhere.",
        },
        "still_mentioned": {
            "de": "Diese Angebote nennen noch denselben Namen, dieselbe Nummer oder E-Mail: {ids}",
            "en": "These offers still mention the same name, number or e-mail: {ids}",
        },
        "backups": {
            "de": "Frühere Sicherungen enthalten die Daten noch: {paths}",
            "en": "Earlier backups still hold the data: {paths}",
        },
        "leftovers": {
            "de": "Neben der Datenbank liegen unfertige Kopien einer abgebrochenen Sicherung oder eines "
            "Exports, die die Daten enthalten können; lösche sie, wenn gerade keine Sicherung läuft: {paths}",
            "en": "Beside the database are unfinished copies left by an interrupted backup or export, "
            "which may hold the data; delete them unless a backup is running right now: {paths}",
        },
    }
)
_help = partial(_TEXT.text, help_language())


class _ForgetUsage(UserError):
    """Neither or both of --client and --offer."""

    catalog = _TEXT


@click.command("forget", help=_help("help"))
@common_options
@click.option("--client", metavar="NAME", help=_help("client"))
@click.option("--offer", "offer_ids", metavar="ID", type=int, multiple=True, help=_help("offer"))
@click.option("--dry-run", is_flag=True, help=_help("dry_run"))
@click.option("--finish", is_flag=True, help=_help("finish"))
@click.option("--yes", "-y", "assume_yes", is_flag=True, help=_help("yes"))
@pass_app
@click.pass_context
def forget(
    ctx: click.Context,
    app: AppContext,
    client: str | None,
    offer_ids: tuple[int, ...],
    dry_run: bool,
    finish: bool,
    assume_yes: bool,
) -> None:
    if [client is not None, bool(offer_ids), finish].count(True) != 1:
        raise _ForgetUsage("usage")
    lang = app.lang
    store = app.open_store(create=False)
    try:
        if finish:
            offers = []
        elif client is not None:
            offers = offers_of_client(store, client)
        else:
            offers = offers_by_id(store, list(offer_ids))
        if dry_run:
            _list(offers, "would_erase", lang)
            click.echo(_TEXT.text(lang, "dry_run_done"))
            return
        if offers and not assume_yes and _interactive() and not _really(offers, lang):
            click.echo(_TEXT.text(lang, "kept"))
            return
        report = forget_offers(store, [offer.id for offer in offers])
    finally:
        store.close()
    if not finish:
        _list(report.offers, "erased", lang)
    if report.unfinished is None:
        done = "finished" if finish else "compacted"
        click.echo(_TEXT.text(lang, done if report.compacted else "not_compacted"))
    if report.still_mentioned:
        click.echo(
            _TEXT.text(lang, "still_mentioned", ids=", ".join(f"#{i}" for i in report.still_mentioned))
        )
    for key, paths in (("backups", report.backups), ("leftovers", report.leftovers)):
        if paths:
            say(_TEXT.text(lang, key, paths=", ".join(os.fspath(path) for path in paths)))
    if report.unfinished is not None:
        say(report.unfinished_message(lang, app.database), err=True)
        ctx.exit(1)


def _interactive() -> bool:
    """A person at a terminal, who can be asked (a script or cron job cannot)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def _really(offers: list[OfferSummary], lang: str) -> bool:
    """List what would go and ask; only j/ja (German) or y/yes say yes, and the default is no."""
    _list(offers, "would_erase", lang)
    who = " / ".join(dict.fromkeys(terminal_safe(offer.client) for offer in offers))
    try:
        question = _TEXT.text(lang, "really", who=who)
        answer = click.prompt(question, default="", show_default=False, prompt_suffix=" ")
    except click.Abort:  # Ctrl+D or Ctrl+C: no
        click.echo()
        return False
    return answer.strip().casefold() in (("j", "ja", "y", "yes") if lang == "de" else ("y", "yes"))


def _list(offers: list[OfferSummary], key: str, lang: str) -> None:
    calls, answers = sum(o.calls for o in offers), sum(o.answers for o in offers)
    click.echo(
        _TEXT.text(
            lang,
            key,
            offers=_count(len(offers), "offers", lang),
            calls=_count(calls, "with_calls", lang),
            answers=_count(answers, "with_answers", lang),
        )
    )
    for offer in offers:
        line = _TEXT.text(
            lang,
            "line",
            id=offer.id,
            client=terminal_safe(offer.client),
            title=terminal_safe(offer.title),
            sent=format_date_long(offer.sent_on, lang),
            status=status_label(offer.status, lang),
            calls=_count(offer.calls, "calls", lang),
        )
        click.echo(f"  {line}")


def _count(n: int, noun: str, lang: str) -> str:
    return _TEXT.text(lang, f"{noun}_1") if n == 1 else _TEXT.text(lang, f"{noun}_n", n=n)
